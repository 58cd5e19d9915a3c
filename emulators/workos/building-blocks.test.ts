import { describe, expect, it } from 'vitest';
import { isLoopbackAddress, parseJsonObject } from './http';
import { paginate } from './pagination';
import { verifyPkceS256 } from './pkce';
import { checkTotp, currentTotpCode } from './totp';

describe('isLoopbackAddress', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['10.0.0.1', false],
    ['::ffff:192.168.1.2', false],
    ['fe80::1', false],
    [undefined, false],
  ])('%s → %s', (address, expected) => {
    expect(isLoopbackAddress(address)).toBe(expected);
  });
});

describe('verifyPkceS256', () => {
  it('matches the RFC 7636 appendix B example and nothing else', () => {
    expect(
      verifyPkceS256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk', 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'),
    ).toBe(true);
    expect(
      verifyPkceS256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXx', 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'),
    ).toBe(false);
    expect(verifyPkceS256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk', 'short')).toBe(false);
  });
});

describe('checkTotp', () => {
  // RFC 6238 appendix B, SHA-1 secret "12345678901234567890", truncated to 6 digits.
  const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
  const at59 = 59_000;

  it('accepts the RFC 6238 test vector and ±1 step, not ±2', () => {
    expect(currentTotpCode(secret, at59)).toBe('287082');
    expect(checkTotp({ secret, lastUsedStep: -1 }, '287082', at59)).toEqual({ ok: true, step: 1 });
    expect(checkTotp({ secret, lastUsedStep: -1 }, '287082', at59 + 30_000)).toEqual({ ok: true, step: 1 });
    expect(checkTotp({ secret, lastUsedStep: -1 }, '287082', at59 + 60_000)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuses a replayed step and malformed codes', () => {
    expect(checkTotp({ secret, lastUsedStep: 1 }, '287082', at59)).toEqual({ ok: false, reason: 'replayed' });
    expect(checkTotp({ secret, lastUsedStep: -1 }, '28708', at59)).toEqual({ ok: false, reason: 'malformed' });
    expect(checkTotp({ secret, lastUsedStep: -1 }, '2870822', at59)).toEqual({ ok: false, reason: 'malformed' });
  });
});

describe('paginate', () => {
  const items = [1, 2, 3, 4, 5].map((n) => ({ id: `item_${n}`, createdAt: n }));
  const query = (q: Record<string, string>) => new URLSearchParams(q);

  it('defaults to newest first, 10 per page', () => {
    expect(paginate(items, query({})).data.map((i) => i.id)).toEqual([
      'item_5',
      'item_4',
      'item_3',
      'item_2',
      'item_1',
    ]);
  });

  it('pages with limit and the after/before cursors', () => {
    const first = paginate(items, query({ limit: '2', order: 'asc' }));
    expect(first).toMatchObject({ data: [{ id: 'item_1' }, { id: 'item_2' }], before: null, after: 'item_2' });
    const second = paginate(items, query({ limit: '2', order: 'asc', after: 'item_2' }));
    expect(second).toMatchObject({ data: [{ id: 'item_3' }, { id: 'item_4' }], before: 'item_3', after: 'item_4' });
    const back = paginate(items, query({ limit: '2', order: 'asc', before: 'item_3' }));
    expect(back.data.map((i) => i.id)).toEqual(['item_1', 'item_2']);
  });

  it('rejects a bad limit with 422', () => {
    expect(() => paginate(items, query({ limit: '0' }))).toThrow('limit must be an integer from 1 to 100.');
    expect(() => paginate(items, query({ limit: 'x' }))).toThrow('limit');
  });
});

describe('parseJsonObject', () => {
  it('treats an empty body as {} and rejects non-objects', () => {
    expect(parseJsonObject('')).toEqual({});
    expect(parseJsonObject('{"a":1}')).toEqual({ a: 1 });
    expect(() => parseJsonObject('[1]')).toThrow('must be a JSON object');
    expect(() => parseJsonObject('{')).toThrow('not valid JSON');
  });
});
