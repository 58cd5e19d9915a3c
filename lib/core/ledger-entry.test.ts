import { describe, expect, it } from 'vitest';
import { MfaError } from './errors';
import {
  isLedgerEntry,
  isSafeId,
  parseLedgerEntry,
  serializeLedgerEntry,
  toLedgerEntry,
  type LedgerEntry,
} from './ledger-entry';

const T = 1_800_000_000;
const entry: LedgerEntry = {
  sessionId: 'session_1',
  userId: 'user_alice',
  verifiedAt: T,
  methods: ['otp'],
  source: 'step_up',
};
const full: LedgerEntry = {
  ...entry,
  organizationId: 'org_acme',
  factorId: 'auth_factor_1',
  challengeId: 'auth_challenge_1',
};

describe('isSafeId', () => {
  it.each(['user_01J0ABC', 'a', 'A-z_9', 'x'.repeat(128)])('accepts %j', (id) => expect(isSafeId(id)).toBe(true));
  it.each(['', 'x'.repeat(129), 'a b', 'a}b', 'a:b', 'а', 'a\n', 42, null, undefined, ['a']])('refuses %j', (id) =>
    expect(isSafeId(id)).toBe(false),
  );
});

describe('toLedgerEntry', () => {
  it('returns a copy of the known fields of a valid entry', () => {
    const copy = toLedgerEntry({ ...full, extra: 'dropped' });
    expect(copy).toEqual(full);
    expect(copy?.methods).not.toBe(full.methods);
    expect(toLedgerEntry(entry)).toEqual(entry);
    expect(Object.keys(toLedgerEntry(entry)!)).toEqual(['sessionId', 'userId', 'verifiedAt', 'methods', 'source']);
  });

  it('returns a frozen entry, which stays an entry', () => {
    const copy = toLedgerEntry(full)!;
    expect([Object.isFrozen(copy), Object.isFrozen(copy.methods)]).toEqual([true, true]);
    expect(isLedgerEntry(copy)).toBe(true);
    expect(toLedgerEntry(copy)).toEqual(full);
  });

  it.each(['step_up', 'webhook', 'reauthentication'] as const)('accepts source %s', (source) => {
    expect(toLedgerEntry({ ...entry, source })?.source).toBe(source);
  });

  // The one plausibility rule of lib/core/epoch.ts: 2001-09-09 (1e9 s) to 2100-01-01, both included.
  it.each([1_000_000_000, T, 4_102_444_800])('accepts verifiedAt %i', (verifiedAt) =>
    expect(toLedgerEntry({ ...entry, verifiedAt })?.verifiedAt).toBe(verifiedAt),
  );

  it.each<[string, unknown]>([
    ['null', null],
    ['a string', 'entry'],
    ['an array', [entry]],
    ['a function carrying the fields', Object.assign(() => undefined, entry)],
    ['verifiedAt "abc"', { ...entry, verifiedAt: 'abc' }],
    ['verifiedAt as a numeric string', { ...entry, verifiedAt: String(T) }],
    ['verifiedAt null', { ...entry, verifiedAt: null }],
    ['verifiedAt missing', { ...entry, verifiedAt: undefined }],
    ['verifiedAt -5', { ...entry, verifiedAt: -5 }],
    ['verifiedAt 0', { ...entry, verifiedAt: 0 }],
    ['verifiedAt fractional', { ...entry, verifiedAt: T + 0.5 }],
    ['verifiedAt NaN', { ...entry, verifiedAt: Number.NaN }],
    ['verifiedAt Infinity', { ...entry, verifiedAt: Number.POSITIVE_INFINITY }],
    ['verifiedAt past the year-2100 limit', { ...entry, verifiedAt: 4_102_444_801 }],
    ['verifiedAt before 2001-09-09', { ...entry, verifiedAt: 999_999_999 }],
    ['verifiedAt 1', { ...entry, verifiedAt: 1 }],
    ['verifiedAt in milliseconds', { ...entry, verifiedAt: T * 1000 }],
    ['an unknown source', { ...entry, source: 'admin' }],
    ['source missing', { ...entry, source: undefined }],
    ['source of the wrong type', { ...entry, source: ['step_up'] }],
    ['methods empty', { ...entry, methods: [] }],
    ['methods a string', { ...entry, methods: 'otp' }],
    ['methods missing', { ...entry, methods: undefined }],
    ['methods with a number', { ...entry, methods: ['otp', 1] }],
    ['methods with null', { ...entry, methods: [null] }],
    ['methods with an empty string', { ...entry, methods: [''] }],
    ['methods upper case', { ...entry, methods: ['OTP'] }],
    ['methods with a space', { ...entry, methods: ['o tp'] }],
    ['methods over 32 characters', { ...entry, methods: ['x'.repeat(33)] }],
    ['sessionId missing', { ...entry, sessionId: undefined }],
    ['sessionId unsafe', { ...entry, sessionId: 'session_1}:x' }],
    ['userId missing', { ...entry, userId: undefined }],
    ['userId unsafe', { ...entry, userId: 'user alice' }],
    ['organizationId unsafe', { ...entry, organizationId: 'org acme' }],
    ['organizationId null', { ...entry, organizationId: null }],
    ['factorId unsafe', { ...entry, factorId: 'f{1}' }],
    ['challengeId of the wrong type', { ...entry, challengeId: 7 }],
  ])('refuses %s', (_name, value) => {
    expect(toLedgerEntry(value)).toBeNull();
    expect(isLedgerEntry(value)).toBe(false);
  });

  it('accepts methods of exactly 32 characters and every allowed character', () => {
    expect(toLedgerEntry({ ...entry, methods: ['x'.repeat(32), 'a-b_c9'] })?.methods).toEqual([
      'x'.repeat(32),
      'a-b_c9',
    ]);
  });
});

describe('parseLedgerEntry / serializeLedgerEntry', () => {
  it('round-trips an entry', () => {
    expect(parseLedgerEntry(serializeLedgerEntry(full))).toEqual(full);
    expect(JSON.parse(serializeLedgerEntry(entry))).toEqual(entry);
  });
  it.each(['', 'not json', '{"sessionId":', 'null', '42', JSON.stringify({ ...entry, verifiedAt: 'abc' })])(
    'parses %j as no entry, never a throw',
    (raw) => {
      expect(parseLedgerEntry(raw)).toBeNull();
    },
  );
  it('refuses to serialize a malformed entry, with a stable code', () => {
    expect(() => serializeLedgerEntry({ ...entry, verifiedAt: -5 })).toThrow(MfaError);
    expect(() => serializeLedgerEntry({ ...entry, methods: [] })).toThrow(
      expect.objectContaining({
        code: 'ERR_MFA_LEDGER_ENTRY_INVALID',
        message: expect.stringMatching(/malformed ledger entry/),
      }),
    );
  });
});
