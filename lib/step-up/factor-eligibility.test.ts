import { describe, expect, it } from 'vitest';
import { idTimestamp, isEligibleFactor, sessionStartedAt } from './factor-eligibility';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** A WorkOS-style id whose ULID encodes `ms` (the first 10 characters), with a fixed random part. */
function ulidId(ms: number, prefix = 'session_'): string {
  let time = '';
  for (let i = 0, rest = ms; i < 10; i++, rest = Math.floor(rest / 32)) time = CROCKFORD[rest % 32] + time;
  return `${prefix}${time}ABCDEFGHJKMNPQRS`;
}
const MIN_MS = Date.UTC(2015, 0, 1);
const MAX_MS = Date.UTC(2100, 0, 1);

describe('idTimestamp', () => {
  it('reads the creation time of a ULID WorkOS id, and nothing from other ids', () => {
    // The first 10 ULID characters are the creation time in ms: 01K742SG00 = 1_760_000_000_000.
    expect(idTimestamp('session_01K742SG00ABCDEFGHJKMNPQRS')).toBe(1_760_000_000);
    expect(idTimestamp('session_01k742sg00abcdefghjkmnpqrs')).toBe(1_760_000_000);
    expect(idTimestamp('auth_factor_01K742SG00ABCDEFGHJKMNPQRS')).toBe(1_760_000_000);
    expect(idTimestamp('01K742SG00ABCDEFGHJKMNPQRS')).toBe(1_760_000_000);
    expect(idTimestamp('auth_factor_alice_totp')).toBeNull();
    expect(idTimestamp('session_a')).toBeNull();
  });

  it('floors to whole seconds', () => expect(idTimestamp(ulidId(1_760_000_000_999))).toBe(1_760_000_000));

  it.each([
    ['27 characters, one extra in front', 'session_X01K742SG00ABCDEFGHJKMNPQRS'],
    ['27 characters, one extra at the end', 'session_01K742SG00ABCDEFGHJKMNPQRSX'],
    ['25 characters', 'session_01K742SG00ABCDEFGHJKMNPQR'],
    ['a letter Crockford leaves out (I) in the time part', 'session_01K742SGI0ABCDEFGHJKMNPQRS'],
    ['a letter Crockford leaves out (U) in the random part', 'session_01K742SG00ABCDEFGHJKMNPQRU'],
  ])('%s → null', (_name, id) => expect(idTimestamp(id)).toBeNull());

  it.each([
    ['2015-01-01, the earliest plausible', MIN_MS, MIN_MS / 1000],
    ['a millisecond before 2015', MIN_MS - 1, null],
    ['2100-01-01, the latest plausible', MAX_MS, MAX_MS / 1000],
    ['a millisecond after 2100', MAX_MS + 1, null],
  ])('%s', (_name, ms, expected) => expect(idTimestamp(ulidId(ms))).toBe(expected));
});

describe('sessionStartedAt', () => {
  const id = ulidId(1_750_000_000_000);
  it('prefers the token auth_time over the id', () => {
    expect(sessionStartedAt({ sessionId: id, userId: 'user_1', authTime: 1_800_000_000 })).toBe(1_800_000_000);
  });
  it.each([0, -5, Number.NaN, Number.POSITIVE_INFINITY, undefined])(
    'falls back to the id when auth_time is %s',
    (authTime) => {
      expect(sessionStartedAt({ sessionId: id, userId: 'user_1', authTime: authTime as number })).toBe(1_750_000_000);
      expect(sessionStartedAt({ sessionId: 'session_x', userId: 'user_1', authTime: authTime as number })).toBeNull();
    },
  );
  it('takes auth_time 1', () => expect(sessionStartedAt({ sessionId: id, userId: 'user_1', authTime: 1 })).toBe(1));
});

describe('isEligibleFactor', () => {
  const session = { sessionId: 'session_x', userId: 'user_1', authTime: 1_760_000_000 };
  it('accepts factors older than the session, refuses newer ones unless the session proved MFA', () => {
    expect(isEligibleFactor(new Date(1_759_999_999_000).toISOString(), session, false)).toBe(true);
    expect(isEligibleFactor(new Date(1_759_999_999_999).toISOString(), session, false)).toBe(true);
    expect(isEligibleFactor(new Date(1_760_000_000_000).toISOString(), session, false)).toBe(false);
    expect(isEligibleFactor(new Date(1_760_000_100_000).toISOString(), session, true)).toBe(true);
    expect(isEligibleFactor('not a date', session, false)).toBe(false);
    expect(isEligibleFactor('not a date', session, true)).toBe(true);
  });
  it('fails closed when the session start is unknown, even for a factor from 1960', () => {
    const unknown = { sessionId: 'session_x', userId: 'user_1' };
    expect(isEligibleFactor('1960-01-01T00:00:00Z', unknown, false)).toBe(false);
    expect(isEligibleFactor('2020-01-01T00:00:00Z', unknown, false)).toBe(false);
  });
  it('reads the session start from its id when the token has no auth_time', () => {
    const fromId = { sessionId: ulidId(1_760_000_000_000), userId: 'user_1' };
    expect(isEligibleFactor(new Date(1_759_000_000_000).toISOString(), fromId, false)).toBe(true);
    expect(isEligibleFactor(new Date(1_761_000_000_000).toISOString(), fromId, false)).toBe(false);
  });
});
