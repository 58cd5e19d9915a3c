/**
 * Why `useStepUp` could not deliver the action's result. Stable codes:
 * - `step_up_cancelled` — the user left the step-up page without verifying (Cancel, or Back).
 * - `step_up_not_satisfied` — after step-up the action still asked for it (e.g. the verification could not
 *   be saved); the hook does not loop.
 * - `step_up_expired` — the user came back too late; the saved action was dropped, not run.
 * - `step_up_unavailable` — the action could not be saved for the round trip (no `sessionStorage`, arguments
 *   that are not JSON, or a step-up URL on another origin).
 * - `action_failed` — the action itself threw (see `cause`).
 */
export type StepUpErrorCode =
  'step_up_cancelled' | 'step_up_not_satisfied' | 'step_up_expired' | 'step_up_unavailable' | 'action_failed';

/** The error `useStepUp` reports; branch on `code`. */
export class StepUpError extends Error {
  readonly code: StepUpErrorCode;

  constructor(code: StepUpErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StepUpError';
    this.code = code;
  }
}

/** `true` when `value` is a {@link StepUpError} with code `step_up_cancelled`. */
export function isStepUpCancelled(value: unknown): value is StepUpError {
  return value instanceof Error && (value as { code?: unknown }).code === 'step_up_cancelled';
}
