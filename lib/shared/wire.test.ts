import { describe, expect, it } from 'vitest';
import { endpointFor, normalizedCode } from './wire';

describe('step-up wire helpers', () => {
  it('finds the step-up route next to the step-up page, on this origin only', () => {
    const origin = 'https://app.example';
    expect(endpointFor('/step-up?return_to=%2Fadmin', origin)).toBe('/step-up/verify');
    expect(endpointFor('/account/verify-it/?return_to=%2F', origin)).toBe('/account/verify-it/verify');
    expect(endpointFor('https://app.example/step-up', origin)).toBe('/step-up/verify');
    expect(endpointFor('https://evil.example/step-up', origin)).toBeNull();
    expect(endpointFor('//evil.example/step-up', origin)).toBeNull();
  });

  it('takes a code as typed or pasted, spaces dropped, and nothing else', () => {
    expect(normalizedCode('123 456')).toBe('123456');
    expect(normalizedCode(' 12 34 56 ')).toBe('123456');
    expect(normalizedCode('12345')).toBeNull();
    expect(normalizedCode('1234567')).toBeNull();
    expect(normalizedCode('12345a')).toBeNull();
    expect(normalizedCode('１２３４５６')).toBeNull(); // full-width digits are not what WorkOS checks
    // Server actions receive whatever the client posts: anything but a string is refused, never thrown on.
    for (const value of [123456, null, undefined, ['123456'], { toString: () => '123456' }])
      expect(normalizedCode(value)).toBeNull();
  });
});
