/**
 * Authentication method references (RFC 8176) and the factor category each proves.
 * Vendor dialects are mapped onto RFC 8176 values so one policy reads every issuer's tokens.
 */

/** The three factor categories of NIST SP 800-63B: something you know, have, are. */
export type FactorCategory = 'knowledge' | 'possession' | 'inherence';

// Maps, not object literals: method values come from tokens and configuration, and a plain object would answer
// `constructor` or `__proto__` from its prototype.
const CATEGORY: ReadonlyMap<string, FactorCategory> = new Map([
  ['pwd', 'knowledge'],
  ['pin', 'knowledge'],
  ['kba', 'knowledge'],
  ['otp', 'possession'],
  ['sms', 'possession'],
  ['tel', 'possession'],
  ['hwk', 'possession'],
  ['swk', 'possession'],
  ['sc', 'possession'],
  ['pop', 'possession'],
  ['mca', 'possession'],
  ['fpt', 'inherence'],
  ['face', 'inherence'],
  ['iris', 'inherence'],
  ['retina', 'inherence'],
  ['vbm', 'inherence'],
]);

/**
 * Vendor spellings → RFC 8176. `null` drops a value that must never count (e.g. Entra's `wiaormfa`,
 * which may mean no MFA at all). Conservative on purpose: a synced passkey is `pop`, not `hwk`.
 */
const DIALECT: ReadonlyMap<string, string | null> = new Map([
  ['password', 'pwd'],
  ['totp', 'otp'],
  ['hotp', 'otp'],
  ['rsa', 'otp'],
  ['phone', 'sms'],
  ['fido', 'hwk'],
  ['u2f', 'hwk'],
  ['webauthn', 'pop'],
  ['passkey', 'pop'],
  ['ngcmfa', 'mfa'],
  ['wiaormfa', null],
]);

/** Normalises one method value (case-insensitive); `null` when it must be ignored. */
export function normalizeMethod(value: string): string | null {
  const lower = value.trim().toLowerCase();
  if (!/^[a-z0-9/_-]{1,32}$/.test(lower)) return null;
  const dialect = DIALECT.get(lower);
  return dialect === undefined ? lower : dialect;
}

/** The factor category of a normalised method, or `undefined` for values that prove no factor (`mfa`, `geo`…). */
export function categoryOf(method: string): FactorCategory | undefined {
  return CATEGORY.get(method);
}

/** Distinct factor categories proven by a set of normalised methods. */
export function categoriesOf(methods: readonly string[]): Set<FactorCategory> {
  const out = new Set<FactorCategory>();
  for (const m of methods) {
    const c = categoryOf(m);
    if (c) out.add(c);
  }
  return out;
}
