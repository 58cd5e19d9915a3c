import { describe, expect, it } from 'vitest';
import { categoriesOf, categoryOf, normalizeMethod } from './methods';

/** Names every plain object inherits; a lookup table must not answer them. */
const INHERITED = [
  'constructor',
  '__proto__',
  'tostring',
  'valueof',
  'hasownproperty',
  'isprototypeof',
  '__definegetter__',
];

describe('normalizeMethod', () => {
  it.each([
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
    ['  TOTP ', 'otp'],
    ['pwd', 'pwd'],
    ['mfa/phone', 'mfa/phone'],
  ])('%j → %j', (value, method) => expect(normalizeMethod(value)).toBe(method));

  it.each(['wiaormfa', 'WiaOrMfa', '', ' ', 'a b', 'mfa!', 'x'.repeat(33), 'ü'])('drops %j', (value) =>
    expect(normalizeMethod(value)).toBeNull(),
  );

  it('keeps a value of exactly 32 characters', () => expect(normalizeMethod('x'.repeat(32))).toBe('x'.repeat(32)));

  it.each(INHERITED)('reads %j as the plain string it is, never as a prototype member', (name) => {
    expect(normalizeMethod(name)).toBe(name);
  });
});

describe('categoryOf / categoriesOf', () => {
  it.each([
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
  ])('%s proves %s', (method, category) => expect(categoryOf(method)).toBe(category));

  it.each(['mfa', 'geo', 'user', 'wia', 'rba', 'password', ...INHERITED])('%s proves no factor category', (method) => {
    expect(categoryOf(method)).toBeUndefined();
  });

  it('counts distinct categories only', () => {
    expect([...categoriesOf(['pwd', 'pin', 'otp', 'hwk', 'mfa'])]).toEqual(['knowledge', 'possession']);
    expect(categoriesOf(['pwd', 'otp', 'fpt']).size).toBe(3);
    expect(categoriesOf([]).size).toBe(0);
  });

  it('inherited names are not a second factor category', () => {
    expect(categoriesOf(['pwd', 'constructor']).size).toBe(1);
    expect(categoriesOf(['pwd', '__proto__', 'tostring']).size).toBe(1);
  });
});
