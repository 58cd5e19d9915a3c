import { describe, expect, it } from 'vitest';
import { readMfaClaims, readSessionIdentity } from './claims';

const T = 1_800_000_000;

describe('readMfaClaims', () => {
  it.each([
    ['RFC 8176 mfa', { amr: ['pwd', 'mfa'] }, true, ['pwd', 'mfa']],
    ['two categories', { amr: ['pwd', 'otp'] }, true, ['pwd', 'otp']],
    ['knowledge twice is one category', { amr: ['pwd', 'pin'] }, false, ['pwd', 'pin']],
    ['password only', { amr: ['pwd'] }, false, ['pwd']],
    ['Entra ngcmfa', { amr: ['ngcmfa'] }, true, ['mfa']],
    ['Entra wiaormfa never counts', { amr: ['wiaormfa'] }, false, []],
    ['Supabase objects', { amr: [{ method: 'password', timestamp: T - 100 }, { method: 'totp', timestamp: T - 10 }] }, true, ['pwd', 'otp']],
    ['case-insensitive', { amr: ['PWD', 'OTP'] }, true, ['pwd', 'otp']],
  ])('%s', (_name, payload, mfa, methods) => {
    const c = readMfaClaims(payload);
    expect(c.amrShowsMfa).toBe(mfa);
    expect(c.methods).toEqual(methods);
    expect(c.malformed).toEqual([]);
  });

  it('takes the latest per-method timestamp when auth_time is absent', () => {
    expect(readMfaClaims({ amr: [{ method: 'password', timestamp: T - 100 }, { method: 'totp', timestamp: T - 10 }] }).authTime).toBe(T - 10);
  });

  it.each([
    ['amr string', { amr: 'mfa' }, 'amr'],
    ['amr object', { amr: { mfa: true } }, 'amr'],
    ['amr numbers', { amr: [1, 2] }, 'amr'],
    ['amr empty', { amr: [] }, 'amr'],
    ['amr huge', { amr: Array.from({ length: 33 }, () => 'otp') }, 'amr'],
    ['auth_time future year 3000', { amr: ['mfa'], auth_time: 32_503_680_000 }, 'auth_time'],
    ['auth_time negative', { amr: ['mfa'], auth_time: -5 }, 'auth_time'],
    ['auth_time string', { amr: ['mfa'], auth_time: '1800000000' }, 'auth_time'],
    ['auth_time milliseconds', { amr: ['mfa'], auth_time: T * 1000 }, 'auth_time'],
    ['acr number', { acr: 2 }, 'acr'],
  ])('%s is malformed, never a throw', (_name, payload, claim) => {
    const c = readMfaClaims(payload);
    expect(c.malformed).toContain(claim);
    if (claim === 'amr') expect(c.amrShowsMfa).toBe(false);
    if (claim === 'auth_time') expect(c.authTime).toBeNull();
  });

  it('reads custom claim names', () => {
    const c = readMfaClaims({ 'https://acme.test/amr': ['pwd', 'hwk'], login_at: T }, { claimNames: { amr: 'https://acme.test/amr', authTime: 'login_at' } });
    expect(c.amrShowsMfa).toBe(true);
    expect(c.authTime).toBe(T);
  });

  it('treats configured second-factor methods as MFA', () => {
    expect(readMfaClaims({ amr: ['otp'] }).amrShowsMfa).toBe(false);
    expect(readMfaClaims({ amr: ['otp'] }, { mfaMethods: ['otp'] }).amrShowsMfa).toBe(true);
    expect(readMfaClaims({ amr: ['otp'] }, { mfaMethods: ['otp'] }).allFactors).toBe(false);
  });

  it.each([null, undefined, 'jwt', 42, []])('survives a non-object payload (%s)', (payload) => {
    expect(readMfaClaims(payload).amrShowsMfa).toBe(false);
  });
});

describe('readSessionIdentity', () => {
  it('reads sub, sid and org_id', () => {
    expect(readSessionIdentity({ sub: 'user_1', sid: 'session_1', org_id: 'org_1' })).toEqual({ userId: 'user_1', sessionId: 'session_1', organizationId: 'org_1' });
  });
  it.each([{ sid: 's' }, { sub: 'u' }, { sub: 'u', sid: '' }, { sub: 'u', sid: 'a b' }, { sub: 'u', sid: 'x}{y' }, { sub: 1, sid: 's' }])('rejects %j', (payload) => {
    expect(readSessionIdentity(payload)).toBeNull();
  });
});
