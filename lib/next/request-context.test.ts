import { describe, expect, it } from 'vitest';
import { auditContextOf } from './request-context';

describe('auditContextOf', () => {
  it('copies a well-formed request id, the first forwarded address and the user agent', () => {
    const ctx = auditContextOf(new Headers({ 'x-request-id': 'req-1', 'x-forwarded-for': '203.0.113.7, 10.0.0.1', 'user-agent': 'Mozilla/5.0 Test' }), 'GET /admin');
    expect(ctx).toEqual({ target: 'GET /admin', requestId: 'req-1', ip: '203.0.113.7', userAgent: 'Mozilla/5.0 Test' });
  });

  it.each(['', 'a b', 'x'.repeat(129), 'id\nforged: yes', '<script>'])('replaces a malformed request id %j with a fresh one', (id) => {
    const ctx = auditContextOf(new Headers(id ? { 'x-request-id': id.replace(/\n/g, ' ') } : {}), 't');
    expect(ctx.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('drops addresses and agents that are not plain text', () => {
    const ctx = auditContextOf(new Headers({ 'x-real-ip': 'evil"},{"x":"', 'user-agent': 'bad\u00e9agent' }), 't');
    expect(ctx.ip).toBeUndefined();
    expect(ctx.userAgent).toBeUndefined();
  });
});
