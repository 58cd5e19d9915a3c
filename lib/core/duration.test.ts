import { describe, expect, it } from 'vitest';
import { MAX_DURATION_SECONDS, parseDuration, type Duration } from './duration';

describe('parseDuration', () => {
  it.each<[Duration, number]>([
    [1, 1],
    [600, 600],
    ['30s', 30],
    ['10m', 600],
    ['12h', 43_200],
    ['1d', 86_400],
    ['400d', MAX_DURATION_SECONDS],
    [MAX_DURATION_SECONDS, MAX_DURATION_SECONDS],
    [' 10m ' as Duration, 600],
  ])('%j → %i s', (input, seconds) => expect(parseDuration(input, 'maxAge')).toBe(seconds));

  it.each<[unknown, RegExp]>([
    ['0.5h', /is not a duration/],
    ['10ms', /is not a duration/],
    ['x10m', /is not a duration/],
    ['10 m', /is not a duration/],
    ['10', /is not a duration/],
    ['m', /is not a duration/],
    ['-5m', /is not a duration/],
    ['1234567890s', /is not a duration/],
    ['10M', /is not a duration/],
    ['', /is not a duration/],
    [0, /positive whole number/],
    ['0s', /positive whole number/],
    [-1, /positive whole number/],
    [1.5, /positive whole number/],
    [Number.NaN, /positive whole number/],
    [Number.POSITIVE_INFINITY, /positive whole number/],
    [MAX_DURATION_SECONDS + 1, /must not exceed 400 days/],
    ['401d', /must not exceed 400 days/],
    [null, /must be a number of seconds or a string/],
    [undefined, /must be a number of seconds or a string/],
    [{ seconds: 5 }, /must be a number of seconds or a string/],
  ])('%j is refused: %s', (input, message) => {
    expect(() => parseDuration(input as Duration, 'maxAge')).toThrow(
      expect.objectContaining({
        code: 'ERR_MFA_DURATION_INVALID',
        field: 'maxAge',
        message: expect.stringMatching(message),
      }),
    );
  });

  it('names the value it could not read', () => {
    expect(() => parseDuration('0.5h' as Duration, 'clockSkew')).toThrow('clockSkew: "0.5h" is not a duration');
  });
});
