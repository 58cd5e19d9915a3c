import { parseDuration, type Duration } from '../core/duration';
import { MfaConfigError } from '../core/errors';
import { checkKeyPrefix, DEFAULT_KEY_PREFIX, slottedKey } from '../core/keys';

/** What an attempt is counted against: the session and, separately, its user (so new sessions don't reset it). */
export interface AttemptSubject {
  readonly kind: 'session' | 'user';
  /** A WorkOS id (`session_…`, `user_…`). */
  readonly id: string;
}

/** The limiter's answer for one attempt. */
export type AttemptVerdict =
  { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

/**
 * Counts step-up attempts. Implementations must fail closed: when the store fails, `consume` throws and the
 * caller refuses the attempt.
 */
export interface AttemptLimiter {
  /** Counts one attempt against every subject; refused when any of them has no attempts left. */
  consume(subjects: readonly AttemptSubject[]): Promise<AttemptVerdict>;
  /**
   * Gives back the attempt of a verification that succeeded, so only failed attempts count (NIST SP 800-63B
   * limits *consecutive failed* attempts). Best effort: a failure leaves the attempt counted.
   */
  refund(subjects: readonly AttemptSubject[]): Promise<void>;
  /**
   * Forgets every attempt counted against `subjects` (support's unlock). @throws when the store fails.
   */
  reset(subjects: readonly AttemptSubject[]): Promise<void>;
  /**
   * Checks that the store can run this limiter (e.g. that it has Lua scripting), so a deployment that cannot is
   * caught at startup rather than by every step-up failing as "unavailable". Await it where the app starts.
   * @throws MfaError `ERR_MFA_CONFIG_INVALID` (field `redis`) saying why and what to use instead; any other
   * error when the store cannot be reached.
   */
  check(): Promise<void>;
}

/** Options shared by the limiters. */
export interface AttemptLimiterOptions {
  /** Attempts allowed per window, per session and per user. @default 5 */
  readonly attempts?: number;
  /** The window. @default '15m' */
  readonly window?: Duration;
  /** Namespace of the keys (`<prefix>:v1:{<id>}:step-up:<kind>`). @default 'authkit-mfa' */
  readonly keyPrefix?: string;
  /** Budget of one store call in milliseconds; slower counts as a failure (the attempt is refused). @default 1000 */
  readonly timeoutMs?: number;
}

/** Default attempts per window. */
export const DEFAULT_STEP_UP_ATTEMPTS = 5;
/** Default attempt window. */
export const DEFAULT_STEP_UP_WINDOW: Duration = '15m';

/** Validated limiter options. */
export interface ResolvedLimiterOptions {
  readonly attempts: number;
  readonly windowSeconds: number;
  readonly keyPrefix: string;
  readonly timeoutMs: number;
}

/**
 * Validates limiter options.
 * @throws MfaConfigError naming the bad option.
 */
export function resolveLimiterOptions(options: AttemptLimiterOptions): ResolvedLimiterOptions {
  const {
    attempts = DEFAULT_STEP_UP_ATTEMPTS,
    window = DEFAULT_STEP_UP_WINDOW,
    keyPrefix = DEFAULT_KEY_PREFIX,
    timeoutMs = 1000,
  } = options;
  if (!Number.isSafeInteger(attempts) || attempts < 1 || attempts > 1000)
    throw new MfaConfigError(
      'ERR_MFA_CONFIG_INVALID',
      'attempts',
      `must be a whole number from 1 to 1000, got ${String(attempts)}.`,
    );
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0)
    throw new MfaConfigError(
      'ERR_MFA_CONFIG_INVALID',
      'timeoutMs',
      `must be a number of milliseconds > 0, got ${String(timeoutMs)}.`,
    );
  return { attempts, windowSeconds: parseDuration(window, 'window'), keyPrefix: checkKeyPrefix(keyPrefix), timeoutMs };
}

/**
 * The part of an attempt key after `<prefix>:v1:` — `{<id>}:step-up:<kind>`. The `{id}` hash tag keeps a
 * session's keys in one Redis Cluster slot.
 */
export function attemptIdentifier(subject: AttemptSubject): string {
  return slottedKey(subject.id, `step-up:${subject.kind}`);
}
