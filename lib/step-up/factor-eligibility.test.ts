import { describe, expect, it } from 'vitest';
import { idTimestamp, isEligibleFactor, sessionStartedAt } from './factor-eligibility';

describe('factor eligibility', () => {
  it('reads the creation time of a ULID WorkOS id, and nothing from other ids', () => {
    // The first 10 ULID characters are the creation time in ms: 01K742SG00 = 1_760_000_000_000.
    expect(idTimestamp('session_01K742SG00ABCDEFGHJKMNPQRS')).toBe(1_760_000_000);
    expect(idTimestamp('auth_factor_alice_totp')).toBeNull();
    expect(idTimestamp('session_a')).toBeNull();
  });

  it('prefers the token auth_time over the id', () => {
    expect(sessionStartedAt({ sessionId: 'session_01J0000000ABCDEFGHJKMNPQRS', userId: 'user_1', authTime: 1_800_000_000 })).toBe(1_800_000_000);
  });

  it('accepts factors older than the session, refuses newer ones unless the session proved MFA', () => {
    const session = { sessionId: 'session_x', userId: 'user_1', authTime: 1_760_000_000 };
    expect(isEligibleFactor(new Date(1_759_999_999_000).toISOString(), session, false)).toBe(true);
    expect(isEligibleFactor(new Date(1_760_000_000_000).toISOString(), session, false)).toBe(false);
    expect(isEligibleFactor(new Date(1_760_000_100_000).toISOString(), session, true)).toBe(true);
    expect(isEligibleFactor('not a date', session, false)).toBe(false);
  });
});
