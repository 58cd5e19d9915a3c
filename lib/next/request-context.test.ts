import { describe, expect, it } from 'vitest';
import { FRESH_REQUEST_ID, HOSTILE_REQUEST_IDS } from '../../test/helpers/hostile-request-ids';
import { auditContextOf } from './request-context';

describe('auditContextOf', () => {
  it('copies a well-formed request id, the first forwarded address and the user agent', () => {
    const ctx = auditContextOf(
      new Headers({
        'x-request-id': 'req-1',
        'x-forwarded-for': '203.0.113.7, 10.0.0.1',
        'user-agent': 'Mozilla/5.0 Test',
      }),
      'GET /admin',
    );
    expect(ctx).toEqual({ target: 'GET /admin', requestId: 'req-1', ip: '203.0.113.7', userAgent: 'Mozilla/5.0 Test' });
  });

  it.each(['', 'a b', 'x'.repeat(129), 'id\nforged: yes', '<script>'])(
    'replaces a malformed request id %j with a fresh one',
    (id) => {
      const ctx = auditContextOf(new Headers(id ? { 'x-request-id': id.replace(/\n/g, ' ') } : {}), 't');
      expect(ctx.requestId).toMatch(/^[0-9a-f-]{36}$/);
    },
  );

  it.each([...HOSTILE_REQUEST_IDS.overHttp, ...HOSTILE_REQUEST_IDS.inProcess])(
    'replaces a hostile request id (%s) with a fresh UUID',
    (_name, id) => {
      const ctx = auditContextOf(new Headers({ 'x-request-id': id }), 't');
      expect(ctx.requestId).toMatch(FRESH_REQUEST_ID);
      expect(ctx.requestId).not.toBe(id);
    },
  );

  it('makes a new id for each request', () => {
    const headers = new Headers({ 'x-request-id': '<script>' });
    expect(auditContextOf(headers, 't').requestId).not.toBe(auditContextOf(headers, 't').requestId);
  });

  it('keeps the longest well-formed id (128 characters)', () => {
    expect(auditContextOf(new Headers({ 'x-request-id': 'r'.repeat(128) }), 't').requestId).toBe('r'.repeat(128));
  });

  it('drops addresses and agents that are not plain text', () => {
    const ctx = auditContextOf(new Headers({ 'x-real-ip': 'evil"},{"x":"', 'user-agent': 'bad\u00e9agent' }), 't');
    expect(ctx.ip).toBeUndefined();
    expect(ctx.userAgent).toBeUndefined();
  });
});
