import type { DecisionReason, MfaDecision } from './decision';
import { REASON_DESCRIPTIONS } from './decision';

/** RFC 9470 error code for "authenticate again, more strongly or more recently". */
export const INSUFFICIENT_USER_AUTHENTICATION = 'insufficient_user_authentication';

/** JSON body of a 403 from a protected route handler or middleware. */
export interface InsufficientAuthenticationBody {
  readonly error: typeof INSUFFICIENT_USER_AUTHENTICATION;
  readonly reason: DecisionReason;
  readonly error_description: string;
  readonly policy: string | null;
  readonly max_age: number | null;
  readonly step_up_url: string;
}

/**
 * What a server action wrapped by `withSessionMfa` returns instead of running when step-up is needed.
 * Serializable across the server-action boundary; recognised by {@link isStepUpRequired} and the client hook.
 */
export interface StepUpRequiredResult {
  readonly sessionMfa: 'step_up_required';
  readonly reason: DecisionReason;
  readonly message: string;
  readonly policy: string | null;
  readonly maxAge: number | null;
  /** Where to send the user; `return_to` is filled in by the client hook with the current page. */
  readonly stepUpUrl: string;
}

/** Builds the 403 body for a denied decision. */
export function insufficientAuthenticationBody(
  decision: MfaDecision,
  stepUpUrl: string,
): InsufficientAuthenticationBody {
  return {
    error: INSUFFICIENT_USER_AUTHENTICATION,
    reason: decision.reason,
    error_description: REASON_DESCRIPTIONS[decision.reason],
    policy: decision.policy?.name ?? null,
    max_age: decision.policy?.maxAge ?? null,
    step_up_url: stepUpUrl,
  };
}

function quoted(value: string): string {
  return `"${value.replace(/["\\]/g, '')}"`;
}

/**
 * The RFC 9470 challenge header value, e.g.
 * `Bearer error="insufficient_user_authentication", error_description="…", max_age=600`.
 */
export function wwwAuthenticate(decision: MfaDecision): string {
  const parts = [
    `error=${quoted(INSUFFICIENT_USER_AUTHENTICATION)}`,
    `error_description=${quoted(REASON_DESCRIPTIONS[decision.reason])}`,
  ];
  const policy = decision.policy;
  if (policy && policy.acrValues.length > 0) parts.push(`acr_values=${quoted(policy.acrValues.join(' '))}`);
  if (policy && policy.maxAge !== null) parts.push(`max_age=${policy.maxAge}`);
  return `Bearer ${parts.join(', ')}`;
}

/** Builds the server-action step-up result for a denied decision. */
export function stepUpRequired(decision: MfaDecision, stepUpUrl: string): StepUpRequiredResult {
  return {
    sessionMfa: 'step_up_required',
    reason: decision.reason,
    message: REASON_DESCRIPTIONS[decision.reason],
    policy: decision.policy?.name ?? null,
    maxAge: decision.policy?.maxAge ?? null,
    stepUpUrl,
  };
}

/** `true` when a server action's result asks for step-up. */
export function isStepUpRequired(value: unknown): value is StepUpRequiredResult {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { sessionMfa?: unknown }).sessionMfa === 'step_up_required' &&
    typeof (value as { stepUpUrl?: unknown }).stepUpUrl === 'string'
  );
}

/**
 * Opens the `text/plain` body the middleware sends when it refuses a server-action POST for want of step-up.
 * Next's client throws an `Error` whose message is that body, so the client hook can recognise it.
 */
export const STEP_UP_REQUIRED_MESSAGE_PREFIX = 'authkit-session-mfa:step_up_required:v1 ';

/** The refusal as an error message: the versioned prefix, then the step-up result as JSON. */
export function stepUpRequiredMessage(result: StepUpRequiredResult): string {
  return `${STEP_UP_REQUIRED_MESSAGE_PREFIX}${JSON.stringify(result)}`;
}

/** The step-up result carried by an error (or its message) built with {@link stepUpRequiredMessage}; else `null`. */
export function readStepUpRequiredMessage(error: unknown): StepUpRequiredResult | null {
  const message = error instanceof Error ? error.message : error;
  if (typeof message !== 'string' || !message.startsWith(STEP_UP_REQUIRED_MESSAGE_PREFIX)) return null;
  try {
    const parsed: unknown = JSON.parse(message.slice(STEP_UP_REQUIRED_MESSAGE_PREFIX.length));
    return isStepUpRequired(parsed) ? parsed : null;
  } catch {
    return null;
  }
}
