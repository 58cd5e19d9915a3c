import { describe, expect, it } from 'vitest';
import { agoPhrase, DEFAULT_STEP_UP_TEXTS, failureText, fill, resolveTexts, waitPhrase } from './texts';

describe('step-up texts', () => {
  it('fills placeholders and leaves unknown ones as they are', () => {
    expect(fill('{path} needs {what}', { path: '/admin' })).toBe('/admin needs {what}');
  });

  it('says how long to wait and how long ago, in the locale', () => {
    expect([waitPhrase(1, 'en'), waitPhrase(20, 'en'), waitPhrase(61, 'en'), waitPhrase(0.2, 'en')]).toEqual([
      '1 second',
      '20 seconds',
      '2 minutes',
      '1 second',
    ]);
    expect(waitPhrase(120, 'de')).toBe('2 Minuten');
    expect([
      agoPhrase(0, 'en'),
      agoPhrase(125, 'en'),
      agoPhrase(3 * 3600 + 5, 'en'),
      agoPhrase(2 * 86_400, 'en'),
    ]).toEqual(['now', '2 minutes ago', '3 hours ago', '2 days ago']);
  });

  it('merges overrides one by one, failures included, and keeps the defaults for the rest', () => {
    const texts = resolveTexts({
      title: 'Bestätigen Sie, dass Sie es sind',
      failures: { invalid_code: 'Der Code stimmt nicht.' },
    });
    expect(texts.title).toBe('Bestätigen Sie, dass Sie es sind');
    expect(texts.failures.invalid_code).toBe('Der Code stimmt nicht.');
    expect(texts.failures.code_reused).toBe(DEFAULT_STEP_UP_TEXTS.failures.code_reused);
    expect(texts.verify).toBe('Verify');
  });

  it('tells a rate-limited user the time left, and never invents one', () => {
    expect(failureText(DEFAULT_STEP_UP_TEXTS, 'rate_limited', 42, 'en')).toBe(
      'Too many attempts. For your security, verification is paused. Try again in 42 seconds.',
    );
    expect(failureText(DEFAULT_STEP_UP_TEXTS, 'rate_limited', undefined, 'en')).toBe(
      'Too many attempts. For your security, verification is paused. Try again later.',
    );
    expect(failureText(DEFAULT_STEP_UP_TEXTS, 'invalid_code', undefined, 'en')).toMatch(/^That code is not right/);
  });
});
