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
    [
      'Supabase objects',
      {
        amr: [
          { method: 'password', timestamp: T - 100 },
          { method: 'totp', timestamp: T - 10 },
        ],
      },
      true,
      ['pwd', 'otp'],
    ],
    ['case-insensitive', { amr: ['PWD', 'OTP'] }, true, ['pwd', 'otp']],
  ])('%s', (_name, payload, mfa, methods) => {
    const c = readMfaClaims(payload);
    expect(c.amrShowsMfa).toBe(mfa);
    expect(c.methods).toEqual(methods);
    expect(c.malformed).toEqual([]);
  });

  it('takes the latest per-method timestamp when auth_time is absent', () => {
    expect(
      readMfaClaims({
        amr: [
          { method: 'password', timestamp: T - 100 },
          { method: 'totp', timestamp: T - 10 },
        ],
      }).authTime,
    ).toBe(T - 10);
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
    const c = readMfaClaims(
      { 'https://acme.test/amr': ['pwd', 'hwk'], login_at: T },
      { claimNames: { amr: 'https://acme.test/amr', authTime: 'login_at' } },
    );
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
    expect(readSessionIdentity({ sub: 'user_1', sid: 'session_1', org_id: 'org_1' })).toEqual({
      userId: 'user_1',
      sessionId: 'session_1',
      organizationId: 'org_1',
    });
  });
  it.each([
    { sid: 's' },
    { sub: 'u' },
    { sub: 'u', sid: '' },
    { sub: 'u', sid: 'a b' },
    { sub: 'u', sid: 'x}{y' },
    { sub: 1, sid: 's' },
  ])('rejects %j', (payload) => {
    expect(readSessionIdentity(payload)).toBeNull();
  });
});

describe('readMfaClaims: edges', () => {
  it('reads no evidence, and nothing malformed, from a token without MFA claims', () => {
    expect(readMfaClaims({ sub: 'user_1' })).toEqual({
      methods: [],
      amrShowsMfa: false,
      allFactors: false,
      acr: null,
      authTime: null,
      malformed: [],
      fromIdp: false,
    });
  });

  it('treats a claim set to undefined as absent', () => {
    expect(readMfaClaims({ amr: undefined, acr: undefined, auth_time: undefined }).malformed).toEqual([]);
  });

  it('accepts 32 amr values, and object values without a timestamp', () => {
    expect(readMfaClaims({ amr: Array.from({ length: 32 }, () => 'otp') }).malformed).toEqual([]);
    const c = readMfaClaims({ amr: [{ method: 'password' }, { method: 'totp' }], auth_time: T });
    expect({ methods: c.methods, amrShowsMfa: c.amrShowsMfa, malformed: c.malformed, authTime: c.authTime }).toEqual({
      methods: ['pwd', 'otp'],
      amrShowsMfa: true,
      malformed: [],
      authTime: T,
    });
  });

  it.each([
    ['the first plausible second', 1_000_000_000, 1_000_000_000],
    ['the last second of 2099', 4_102_444_800, 4_102_444_800],
    ['one second too early', 999_999_999, null],
    ['one second too late', 4_102_444_801, null],
  ])('auth_time at %s', (_name, authTime, expected) => {
    expect(readMfaClaims({ amr: ['mfa'], auth_time: authTime }).authTime).toBe(expected);
    expect(readMfaClaims({ amr: [{ method: 'mfa', timestamp: authTime }] }).authTime).toBe(expected);
  });

  it('auth_time wins over per-method timestamps, and a malformed auth_time is not replaced by them', () => {
    expect(
      readMfaClaims({
        amr: [
          { method: 'pwd', timestamp: T - 10 },
          { method: 'totp', timestamp: T - 5 },
        ],
        auth_time: T - 3600,
      }).authTime,
    ).toBe(T - 3600);
    const c = readMfaClaims({
      amr: [
        { method: 'pwd', timestamp: T - 10 },
        { method: 'totp', timestamp: T - 5 },
      ],
      auth_time: 'soon',
    });
    expect(c.authTime).toBeNull();
    expect(c.malformed).toEqual(['auth_time']);
  });

  it('mfa alone proves both factors', () => {
    expect(readMfaClaims({ amr: ['mfa'] })).toMatchObject({ amrShowsMfa: true, allFactors: true });
  });

  it.each([
    ['blank', ''],
    ['whitespace only', ' \t '],
    ['over 256 characters', 'a'.repeat(257)],
  ])('a %s acr is malformed', (_name, acr) => {
    const c = readMfaClaims({ amr: ['pwd', 'otp'], acr });
    expect(c.acr).toBeNull();
    expect(c.malformed).toEqual(['acr']);
  });

  it('keeps an acr of 256 characters, and one with spaces around it as written', () => {
    expect(readMfaClaims({ acr: 'a'.repeat(256) }).acr).toBe('a'.repeat(256));
    expect(readMfaClaims({ acr: ' phr ' }).acr).toBe(' phr ');
  });

  it('names malformed custom claims by their configured names', () => {
    const c = readMfaClaims(
      { x_amr: 'mfa', x_acr: 7, x_at: 'now' },
      { claimNames: { amr: 'x_amr', acr: 'x_acr', authTime: 'x_at' } },
    );
    expect(c.malformed).toEqual(['x_amr', 'x_acr', 'x_at']);
  });

  it('configured MFA methods are normalised like token values; unusable ones match nothing', () => {
    expect(readMfaClaims({ amr: ['totp'] }, { mfaMethods: ['TOTP'] }).amrShowsMfa).toBe(true);
    expect(readMfaClaims({ amr: ['otp'] }, { mfaMethods: ['hwk'] }).amrShowsMfa).toBe(false);
    expect(readMfaClaims({ amr: ['otp'] }, { mfaMethods: ['hwk', 'otp'] }).amrShowsMfa).toBe(true);
    expect(readMfaClaims({ amr: ['otp'] }, { mfaMethods: [] }).amrShowsMfa).toBe(false);
    expect(readMfaClaims({ amr: ['wiaormfa'] }, { mfaMethods: ['wiaormfa'] }).amrShowsMfa).toBe(false);
  });

  it('reads only claims the payload itself carries, never inherited ones', () => {
    const inherited = Object.create({ amr: ['mfa'], acr: 'phr', auth_time: T, org_id: 'org_globex' }) as Record<
      string,
      unknown
    >;
    expect(readMfaClaims(inherited, { idpOrganizations: ['org_globex'] })).toEqual(readMfaClaims({}));
    expect(
      readMfaClaims({ amr: ['pwd'] }, { claimNames: { amr: 'constructor', acr: 'toString', authTime: '__proto__' } })
        .malformed,
    ).toEqual([]);
  });

  it('inherited method names are not a second factor', () => {
    for (const amr of [
      ['pwd', 'constructor'],
      ['pwd', '__proto__'],
      ['pwd', 'hasOwnProperty', 'toString'],
    ]) {
      const c = readMfaClaims({ amr });
      expect(c.amrShowsMfa, JSON.stringify(amr)).toBe(false);
      expect(c.methods.every((m) => typeof m === 'string')).toBe(true);
    }
    expect(readMfaClaims({ amr: ['constructor'] }, { mfaMethods: ['otp'] }).amrShowsMfa).toBe(false);
  });
});

describe('readMfaClaims: claims of an organization that signs in through its own IdP', () => {
  const options = { idpOrganizations: ['org_globex', 'org_initech'] };
  it('marks them fromIdp, whatever they say', () => {
    expect(readMfaClaims({ org_id: 'org_globex', amr: ['pwd', 'mfa'] }, options).fromIdp).toBe(true);
    expect(readMfaClaims({ org_id: 'org_initech' }, options).fromIdp).toBe(true);
  });
  it('leaves other organizations, tokens without one, and engines that list none alone', () => {
    expect(readMfaClaims({ org_id: 'org_acme', amr: ['pwd', 'otp', 'mfa'] }, options).fromIdp).toBe(false);
    expect(readMfaClaims({ amr: ['pwd', 'otp', 'mfa'] }, options).fromIdp).toBe(false);
    expect(readMfaClaims({ org_id: ['org_globex'] }, options).fromIdp).toBe(false);
    expect(readMfaClaims({ org_id: 'org_globex' }).fromIdp).toBe(false);
  });
});

describe('readSessionIdentity: own claims only', () => {
  it('ignores inherited sub, sid and org_id', () => {
    expect(readSessionIdentity(Object.create({ sub: 'user_1', sid: 'session_1' }))).toBeNull();
    expect(
      readSessionIdentity(Object.assign(Object.create({ org_id: 'org_1' }), { sub: 'user_1', sid: 'session_1' })),
    ).toEqual({ userId: 'user_1', sessionId: 'session_1' });
  });
  it.each([null, 'jwt', ['user_1']])('returns null for %j', (payload) =>
    expect(readSessionIdentity(payload)).toBeNull(),
  );
  it('drops an org_id that is not an identifier', () => {
    expect(readSessionIdentity({ sub: 'u', sid: 's', org_id: 'org x' })).toEqual({ userId: 'u', sessionId: 's' });
  });
});
