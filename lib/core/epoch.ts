/**
 * The one rule for which times are plausible. A time outside it is malformed evidence, never a pass: a token
 * or entry dated before 2001-09-09 or after 2100 is corrupt or forged, not old or young.
 */

/** Earliest plausible epoch second (2001-09-09: 1e9 s, a common floor for Unix-time claims). */
export const MIN_EPOCH_SECONDS = 1_000_000_000;
/** Latest plausible epoch second (2100-01-01). */
export const MAX_EPOCH_SECONDS = 4_102_444_800;

/** `true` for a whole number of epoch seconds in the plausible range. */
export function isEpochSeconds(value: unknown): value is number {
  return (
    typeof value === 'number' && Number.isInteger(value) && value >= MIN_EPOCH_SECONDS && value <= MAX_EPOCH_SECONDS
  );
}
