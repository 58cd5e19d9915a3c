import type { StepUpFailureCode } from './result';

/** What a failed WorkOS MFA call means for the user; anything unrecognised is `unavailable` (nothing changed). */
export function workosFailureCode(error: unknown): StepUpFailureCode {
  const { status, code } = (typeof error === 'object' && error !== null ? error : {}) as { status?: unknown; code?: unknown };
  switch (code) {
    case 'authentication_challenge_expired':
      return 'challenge_expired';
    case 'authentication_challenge_previously_verified':
      return 'challenge_rejected';
    case 'one_time_code_too_many_attempts':
      return 'rate_limited';
    default:
      return status === 404 ? 'challenge_rejected' : 'unavailable';
  }
}
