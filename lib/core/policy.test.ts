import { describe, expect, it } from 'vitest';
import { MfaConfigError } from './errors';
import { defineMfaPolicy, MFA_PRESETS, mfaPreset, perOrganization, resolvePolicy, type MfaPolicyOptions } from './policy';
import { parseDuration } from './duration';

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(MfaConfigError);
    return (e as MfaConfigError).field;
  }
  throw new Error('expected a throw');
}

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
  it('covers every preset name', () => expect(Object.keys(MFA_PRESETS).sort()).toEqual(['aal2', 'aal3', 'lax', 'moderate', 'strict']));
  it('accepts overrides', () => expect(mfaPreset('strict', { name: 'rotate', maxAge: 5 }).maxAge).toBe(5));
  it('rejects an unknown preset', () => expect(fieldOf(() => mfaPreset('loose' as never))).toBe('preset'));
});

describe('defineMfaPolicy validation names the bad field', () => {
  it.each<[MfaPolicyOptions, string]>([
    [{ maxAge: '10 minutes' as never }, 'maxAge'],
    [{ maxAge: -1 }, 'maxAge'],
    [{ maxAge: 1.5 }, 'maxAge'],
    [{ maxAge: '999d' }, 'maxAge'],
    [{ methods: ['telepathy!'] }, 'methods[0]'],
    [{ methods: 'otp' as never }, 'methods'],
    [{ acrValues: [''] }, 'acrValues[0]'],
    [{ sources: [] }, 'sources'],
    [{ sources: ['cookie' as never] }, 'sources[0]'],
    [{ requireAllFactors: true }, 'requireAllFactors'],
    [{ requireAllFactors: 'yes' as never }, 'requireAllFactors'],
    [{ name: 'has space' }, 'name'],
    [{ clockSkew: 0 }, 'clockSkew'],
  ])('%j → %s', (options, field) => {
    expect(fieldOf(() => defineMfaPolicy(options))).toBe(field);
  });

  it('normalises methods to RFC 8176', () => {
    expect(defineMfaPolicy({ methods: ['FIDO', 'totp'] }).methods).toEqual(['hwk', 'otp']);
  });
});

describe('parseDuration', () => {
  it.each([
    [600, 600],
    ['30s', 30],
    ['10m', 600],
    ['12h', 43_200],
    ['1d', 86_400],
  ] as const)('%s → %i', (input, seconds) => expect(parseDuration(input, 'x')).toBe(seconds));
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
    expect(resolvePolicy(() => { throw new Error('db down'); }, { userId: 'u' })).toBeNull();
    expect(resolvePolicy((() => ({ name: 'fake' })) as never, { userId: 'u' })).toBeNull();
  });
  it('rejects a non-policy at definition time', () => {
    expect(fieldOf(() => perOrganization(base, { org_x: { maxAge: 5 } as never }))).toBe('byOrganization.org_x');
  });
});
