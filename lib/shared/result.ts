/**
 * Outcomes of a step-up attempt: plain, serializable values with stable codes (never thrown errors), so a
 * server action can hand them to the browser as they are.
 */

/**
 * Why a step-up attempt did not verify the session. Stable: safe to branch on, log and test against.
 * - `not_signed_in` — no verified session.
 * - `invalid_input` — the code is not 6 digits, or the factor id is not an identifier.
 * - `invalid_code` — WorkOS says the code is wrong.
 * - `code_reused` — this code was already used for this factor (replay).
 * - `unknown_factor` — the factor is not one of the session user's own TOTP factors.
 * - `factor_too_new` — the factor was enrolled during this session before it passed MFA, so it proves nothing.
 * - `factor_unconfirmed` — the app's enrollment of this factor never finished (no first code confirmed it, or it is
 *   the leftover of a failed enrollment), so it verifies no session.
 * - `challenge_expired` — the challenge expired before it was verified.
 * - `challenge_rejected` — the challenge belongs to another factor, was already verified, or is unknown.
 * - `rate_limited` — too many attempts for this session or this user, or WorkOS is throttling (HTTP 429); even a
 *   right code is refused. `retryAfterSeconds` says when to try again, when known.
 * - `ledger_unavailable` — the code was right but the ledger write failed, so the session is **not** verified.
 * - `unavailable` — WorkOS or Redis failed; nothing changed.
 */
export type StepUpFailureCode =
  | 'not_signed_in'
  | 'invalid_input'
  | 'invalid_code'
  | 'code_reused'
  | 'unknown_factor'
  | 'factor_too_new'
  | 'factor_unconfirmed'
  | 'challenge_expired'
  | 'challenge_rejected'
  | 'rate_limited'
  | 'ledger_unavailable'
  | 'unavailable';

/** A successful step-up: the ledger now holds evidence for this session. */
export interface StepUpSuccess {
  readonly ok: true;
  /** When the session was verified, epoch seconds. */
  readonly verifiedAt: number;
  readonly factorId: string;
}

/** A failed step-up: nothing changed. */
export interface StepUpFailure {
  readonly ok: false;
  readonly code: StepUpFailureCode;
  /** A sentence for the user. */
  readonly message: string;
  /** For `rate_limited`: seconds until another attempt may be made, when known (omitted when nobody said). */
  readonly retryAfterSeconds?: number;
}

/** Result of a TOTP step-up attempt. */
export type StepUpResult = StepUpSuccess | StepUpFailure;

const PAUSED = 'Too many attempts. For your security, verification is paused.';

/** Messages shown for each failure; written for the person at the keyboard, not for developers. */
export const STEP_UP_MESSAGES: Readonly<Record<StepUpFailureCode, string>> = {
  not_signed_in: 'Your session has ended. Sign in again to continue.',
  invalid_input: 'Enter the 6-digit code from your authenticator app.',
  invalid_code: 'That code is not right. Check your authenticator app and enter the code it shows now.',
  code_reused: 'That code was already used. Wait for your authenticator app to show a new code.',
  unknown_factor: 'That authenticator is not enrolled on your account. Choose one of the authenticators listed.',
  factor_too_new:
    'That authenticator was added during this session, before the session passed a second-factor check, so it cannot verify it. Use an authenticator you had before signing in.',
  factor_unconfirmed:
    'That authenticator’s setup was never finished, so it cannot verify a session. Remove it and set it up again from your account.',
  challenge_expired: 'The verification request expired before it was checked. Enter a new code.',
  challenge_rejected: 'The verification request could not be used. Enter a new code.',
  rate_limited: `${PAUSED} Try again later.`,
  ledger_unavailable:
    'Your code was right, but the verification could not be saved, so this session is not verified yet. Try again in a moment.',
  unavailable: 'Verification is unavailable right now and nothing was changed. Try again in a moment.',
};

function waitPhrase(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

/**
 * Builds a failure with its user-facing message. A `rate_limited` failure with a known wait names it (and carries
 * `retryAfterSeconds`); without one it says "later" rather than invent a time.
 * @example stepUpFailure('rate_limited', 120).message // 'Too many attempts. … Try again in 2 minutes.'
 */
export function stepUpFailure(code: StepUpFailureCode, retryAfterSeconds?: number): StepUpFailure {
  if (
    code === 'rate_limited' &&
    retryAfterSeconds !== undefined &&
    Number.isFinite(retryAfterSeconds) &&
    retryAfterSeconds > 0
  ) {
    const wait = Math.ceil(retryAfterSeconds);
    return { ok: false, code, message: `${PAUSED} Try again in ${waitPhrase(wait)}.`, retryAfterSeconds: wait };
  }
  return { ok: false, code, message: STEP_UP_MESSAGES[code] };
}
