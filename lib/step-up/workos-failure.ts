import type { StepUpFailureCode } from '../shared/result';

/** What a failed WorkOS MFA call means for the user, and when to try again if WorkOS said so. */
export interface WorkosFailure {
  readonly code: StepUpFailureCode;
  /** Seconds WorkOS asked the caller to wait (`Retry-After` of a 429), when it gave them. */
  readonly retryAfterSeconds?: number;
}

/**
 * Maps an error from `@workos-inc/node` to a step-up failure; anything unrecognised is `unavailable` (nothing
 * changed).
 * - HTTP 429 — WorkOS's rate limiting. The SDK retries it (sleeping `Retry-After`, ≤ 60 s) and then throws
 *   `RateLimitExceededException` with `retryAfter` in seconds: `rate_limited` with that wait.
 * - `one_time_code_too_many_attempts` — listed in WorkOS's OpenAPI spec (0.1.0) as a 400 of challenge
 *   verification; its threshold and duration are undocumented and it has not been observed: `rate_limited`
 *   without a wait.
 */
export function workosFailure(error: unknown): WorkosFailure {
  const { status, code, retryAfter } = (typeof error === 'object' && error !== null ? error : {}) as {
    status?: unknown;
    code?: unknown;
    retryAfter?: unknown;
  };
  if (status === 429) {
    return typeof retryAfter === 'number' && Number.isFinite(retryAfter) && retryAfter > 0
      ? { code: 'rate_limited', retryAfterSeconds: retryAfter }
      : { code: 'rate_limited' };
  }
  switch (code) {
    case 'authentication_challenge_expired':
      return { code: 'challenge_expired' };
    case 'authentication_challenge_previously_verified':
      return { code: 'challenge_rejected' };
    case 'one_time_code_too_many_attempts':
      return { code: 'rate_limited' };
    default:
      return { code: status === 404 ? 'challenge_rejected' : 'unavailable' };
  }
}
