import { describe, expect, it } from 'vitest';
import { MfaConfigError } from './errors';
import {
  defineMfaPolicy,
  isMfaPolicy,
  MFA_PRESETS,
  mfaPreset,
  perOrganization,
  resolvePolicy,
  type MfaPolicy,
  type MfaPolicyOptions,
} from './policy';

function errorOf(fn: () => unknown): MfaConfigError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(MfaConfigError);
    return e as MfaConfigError;
  }
  throw new Error('expected a throw');
}
const fieldOf = (fn: () => unknown) => errorOf(fn).field;

describe('presets', () => {
  it.each([
    ['strict', 600, false],
    ['moderate', 3600, false],
    ['lax', 86_400, false],
    ['aal2', 43_200, false],
    ['aal3', 43_200, true],
  ] as const)('%s → %i s, all factors %s', (name, maxAge, all) => {
    const p = mfaPreset(name);
    expect(p).toMatchObject({ name, maxAge, requireAllFactors: all, sources: ['claims', 'ledger'] });
    expect(Object.isFrozen(p)).toBe(true);
  });
  it('covers every preset name', () =>
    expect(Object.keys(MFA_PRESETS).sort()).toEqual(['aal2', 'aal3', 'lax', 'moderate', 'strict']));
  it('accepts overrides', () => expect(mfaPreset('strict', { name: 'rotate', maxAge: 5 }).maxAge).toBe(5));
  it.each(['loose', 'constructor', '__proto__', 'toString', 'hasOwnProperty'])(
    'rejects the unknown preset %j',
    (name) => {
      const e = errorOf(() => mfaPreset(name as never));
      expect(e.field).toBe('preset');
      expect(e.message).toBe(`preset: "${name}" is not one of strict, moderate, lax, aal2, aal3.`);
    },
  );
});

describe('defineMfaPolicy validation names the bad field', () => {
  it.each<[MfaPolicyOptions, string, string]>([
    [{ maxAge: '10 minutes' as never }, 'maxAge', 'is not a duration'],
    [{ maxAge: -1 }, 'maxAge', 'positive whole number'],
    [{ maxAge: 1.5 }, 'maxAge', 'positive whole number'],
    [{ maxAge: '999d' }, 'maxAge', 'must not exceed 400 days'],
    [{ methods: ['telepathy!'] }, 'methods[0]', '"telepathy!" is not an accepted RFC 8176 method.'],
    [{ methods: ['telepathy'] }, 'methods[0]', '"telepathy" is not an accepted RFC 8176 method.'],
    [{ methods: ['otp', 'constructor'] }, 'methods[1]', '"constructor" is not an accepted RFC 8176 method.'],
    [{ methods: ['__proto__'] }, 'methods[0]', 'is not an accepted RFC 8176 method'],
    [{ methods: ['wiaormfa'] }, 'methods[0]', 'is not an accepted RFC 8176 method'],
    [{ methods: 'otp' as never }, 'methods', 'must be an array of strings.'],
    [{ acrValues: 'phr' as never }, 'acrValues', 'must be an array of strings.'],
    [{ sources: 'ledger' as never }, 'sources', 'must be an array of strings.'],
    [{ methods: [5] as never }, 'methods[0]', 'must be a non-empty string.'],
    [{ acrValues: [''] }, 'acrValues[0]', 'must be a non-empty string.'],
    [{ acrValues: ['phr', '  '] }, 'acrValues[1]', 'must be a non-empty string.'],
    [{ sources: [] }, 'sources', 'must name at least one evidence source, or nothing could ever pass.'],
    [{ sources: ['cookie' as never] }, 'sources[0]', '"cookie" is not one of claims, ledger.'],
    [
      { requireAllFactors: true },
      'requireAllFactors',
      'needs a maxAge: re-proving factors only means something within a window.',
    ],
    [{ requireAllFactors: 'yes' as never }, 'requireAllFactors', 'must be a boolean.'],
    [{ trustIdpMfa: 'yes' as never }, 'trustIdpMfa', 'must be a boolean.'],
    [{ trustIdpMfa: 1 as never }, 'trustIdpMfa', 'must be a boolean.'],
    [{ name: 'has space' }, 'name', 'must be 1–64 characters of letters, digits, "_", ".", ":" or "-".'],
    [{ name: 5 as never }, 'name', 'must be 1–64'],
    [{ name: '' }, 'name', 'must be 1–64'],
    [{ name: 'n'.repeat(65) }, 'name', 'must be 1–64'],
    [{ clockSkew: 0 }, 'clockSkew', 'positive whole number'],
  ])('%j → %s', (options, field, message) => {
    const e = errorOf(() => defineMfaPolicy(options));
    expect(e.field).toBe(field);
    expect(e.code).toBe(
      field.startsWith('maxAge') || field === 'clockSkew' ? 'ERR_MFA_DURATION_INVALID' : 'ERR_MFA_POLICY_INVALID',
    );
    expect(e.message).toContain(message);
  });

  it.each([null, 'strict', 42])('refuses %j as options', (options) => {
    const e = errorOf(() => defineMfaPolicy(options as never));
    expect(e.field).toBe('policy');
    expect(e.message).toBe('policy: must be an options object.');
  });

  it('normalises methods to RFC 8176 and trims every string', () => {
    expect(defineMfaPolicy({ methods: ['FIDO', 'totp'] }).methods).toEqual(['hwk', 'otp']);
    expect(defineMfaPolicy({ methods: [' hwk '], acrValues: [' phr '], sources: [' ledger ' as never] })).toMatchObject(
      { methods: ['hwk'], acrValues: ['phr'], sources: ['ledger'] },
    );
  });

  it('accepts every registered RFC 8176 method', () => {
    const all = [
      'face',
      'fpt',
      'geo',
      'hwk',
      'iris',
      'kba',
      'mca',
      'mfa',
      'otp',
      'pin',
      'pop',
      'pwd',
      'rba',
      'retina',
      'sc',
      'sms',
      'swk',
      'tel',
      'user',
      'vbm',
      'wia',
    ];
    expect(defineMfaPolicy({ methods: all }).methods).toEqual(all);
  });

  it('has these defaults, frozen', () => {
    const p = defineMfaPolicy();
    expect(p).toEqual({
      name: 'custom',
      maxAge: null,
      methods: [],
      acrValues: [],
      requireAllFactors: false,
      sources: ['claims', 'ledger'],
      clockSkew: 60,
      trustIdpMfa: false,
    });
    expect([
      Object.isFrozen(p),
      Object.isFrozen(p.methods),
      Object.isFrozen(p.acrValues),
      Object.isFrozen(p.sources),
    ]).toEqual([true, true, true, true]);
    expect(isMfaPolicy(p)).toBe(true);
  });

  it('removes duplicates and keeps trustIdpMfa', () => {
    expect(
      defineMfaPolicy({
        methods: ['otp', 'totp'],
        acrValues: ['phr', 'phr'],
        sources: ['ledger', 'ledger'],
        trustIdpMfa: true,
      }),
    ).toMatchObject({ methods: ['otp'], acrValues: ['phr'], sources: ['ledger'], trustIdpMfa: true });
  });
});

describe('isMfaPolicy', () => {
  const strict = mfaPreset('strict');
  it('accepts every preset and a frozen copy', () => {
    for (const name of Object.keys(MFA_PRESETS)) expect(isMfaPolicy(mfaPreset(name as never)), name).toBe(true);
    expect(isMfaPolicy(Object.freeze({ ...strict }))).toBe(true);
  });
  it.each<[string, unknown]>([
    ['null', null],
    ['a string', 'strict'],
    ['an unfrozen copy', { ...strict }],
    ['maxAge as a duration string', Object.freeze({ ...strict, maxAge: '10m' })],
    ['sources of the wrong type', Object.freeze({ ...strict, sources: 'claims' })],
  ])('refuses %s, every time it is asked', (_name, value) => {
    expect(isMfaPolicy(value)).toBe(false);
    expect(isMfaPolicy(value)).toBe(false);
  });
});

describe('per-organization policies', () => {
  const base = mfaPreset('aal2');
  const globex = mfaPreset('aal2', { name: 'globex', sources: ['claims'] });
  const spec = perOrganization(base, { org_globex: globex });
  it('chooses by organization, falling back otherwise', () => {
    expect(resolvePolicy(spec, { userId: 'u', organizationId: 'org_globex' })).toBe(globex);
    expect(resolvePolicy(spec, { userId: 'u', organizationId: 'org_acme' })).toBe(base);
    expect(resolvePolicy(spec, { userId: 'u' })).toBe(base);
    expect(resolvePolicy(spec, { userId: 'u', organizationId: 'toString' })).toBe(base);
  });
  it('a throwing or lying resolver resolves to null (the caller denies)', () => {
    expect(
      resolvePolicy(
        () => {
          throw new Error('db down');
        },
        { userId: 'u' },
      ),
    ).toBeNull();
    expect(resolvePolicy((() => ({ name: 'fake' })) as never, { userId: 'u' })).toBeNull();
    expect(
      resolvePolicy(() => ({ ...mfaPreset('strict'), maxAge: '10m' }) as unknown as MfaPolicy, { userId: 'u' }),
    ).toBeNull();
    expect(
      resolvePolicy(() => Object.freeze({ ...mfaPreset('strict'), maxAge: '10m' }) as unknown as MfaPolicy, {
        userId: 'u',
      }),
    ).toBeNull();
    expect(resolvePolicy(Object.freeze({ ...base, clockSkew: Number.NaN }), { userId: 'u' })).toBeNull();
  });
  it('passes the session to the resolver', () => {
    const seen: unknown[] = [];
    resolvePolicy((context) => (seen.push(context), base), { userId: 'u', organizationId: 'org_1' });
    expect(seen).toEqual([{ userId: 'u', organizationId: 'org_1' }]);
  });
  it('rejects a non-policy at definition time', () => {
    const e = errorOf(() => perOrganization(base, { org_x: { maxAge: 5 } as never }));
    expect(e.field).toBe('byOrganization.org_x');
    expect(e.message).toBe('byOrganization.org_x: must be a policy from defineMfaPolicy() or mfaPreset().');
    expect(
      fieldOf(() => perOrganization(base, { org_ok: base, org_y: Object.freeze({ ...base, maxAge: '1h' }) as never })),
    ).toBe('byOrganization.org_y');
  });
  it("opts one organization into its IdP's MFA", () => {
    const globexSso = mfaPreset('aal2', { name: 'globex-sso', trustIdpMfa: true });
    const byOrg = perOrganization(base, { org_globex: globexSso });
    expect(resolvePolicy(byOrg, { userId: 'u', organizationId: 'org_globex' })?.trustIdpMfa).toBe(true);
    expect(resolvePolicy(byOrg, { userId: 'u', organizationId: 'org_initech' })?.trustIdpMfa).toBe(false);
  });
});
