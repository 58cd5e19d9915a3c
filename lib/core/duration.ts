import { MfaConfigError } from './errors';

/** A span of time: whole seconds, or a string such as `"30s"`, `"10m"`, `"12h"`, `"1d"`. */
export type Duration = number | `${number}${'s' | 'm' | 'h' | 'd'}`;

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;
/** Longest duration accepted anywhere (400 days, WorkOS's longest cookie lifetime). */
export const MAX_DURATION_SECONDS = 400 * 86_400;

/**
 * Converts a {@link Duration} to whole seconds.
 * @param field - the option being parsed, named in the error.
 * @throws MfaConfigError `ERR_MFA_DURATION_INVALID` unless the value is a positive whole number of seconds
 *   (or `<n>s|m|h|d`) no longer than 400 days.
 * @example parseDuration('10m', 'maxAge') // 600
 */
export function parseDuration(value: Duration, field: string): number {
  let seconds: number;
  if (typeof value === 'number') {
    seconds = value;
  } else if (typeof value === 'string') {
    const match = /^(\d{1,9})(s|m|h|d)$/.exec(value.trim());
    if (!match)
      throw new MfaConfigError(
        'ERR_MFA_DURATION_INVALID',
        field,
        `"${value}" is not a duration; use seconds or "<n>s", "<n>m", "<n>h", "<n>d".`,
      );
    seconds = Number(match[1]) * UNIT_SECONDS[match[2] as keyof typeof UNIT_SECONDS];
  } else {
    throw new MfaConfigError(
      'ERR_MFA_DURATION_INVALID',
      field,
      'must be a number of seconds or a string such as "10m".',
    );
  }
  if (!Number.isInteger(seconds) || seconds <= 0)
    throw new MfaConfigError('ERR_MFA_DURATION_INVALID', field, 'must be a positive whole number of seconds.');
  if (seconds > MAX_DURATION_SECONDS)
    throw new MfaConfigError('ERR_MFA_DURATION_INVALID', field, 'must not exceed 400 days.');
  return seconds;
}
