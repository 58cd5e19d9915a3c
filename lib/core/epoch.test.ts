import { describe, expect, it } from 'vitest';
import { isEpochSeconds, MAX_EPOCH_SECONDS, MIN_EPOCH_SECONDS } from './epoch';

describe('isEpochSeconds: the one plausibility rule for times', () => {
  it.each([MIN_EPOCH_SECONDS, 1_800_000_000, MAX_EPOCH_SECONDS])('accepts %i', (value) =>
    expect(isEpochSeconds(value)).toBe(true),
  );
  it.each([
    MIN_EPOCH_SECONDS - 1,
    MAX_EPOCH_SECONDS + 1,
    0,
    -5,
    1_800_000_000.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    1_800_000_000_000,
    '1800000000',
    null,
    undefined,
  ])('refuses %j', (value) => expect(isEpochSeconds(value)).toBe(false));
});
