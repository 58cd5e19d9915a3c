import type { DecisionReason, StepUpRequiredResult } from 'authkit-session-mfa';

/** What removing a factor came to, when the API answered (step-up is handled by the hook). */
export type RemoveFactorOutcome =
  | { readonly status: 'removed'; readonly factorId: string }
  /** Not one of the user's factors (or already gone). */
  | { readonly status: 'not_found'; readonly factorId: string }
  /** The factor is gone but some evidence it proved could not be revoked: the user should sign out. */
  | { readonly status: 'not_revoked'; readonly factorId: string };

interface InsufficientAuthentication {
  error: 'insufficient_user_authentication';
  reason: DecisionReason;
  error_description: string;
  policy: string | null;
  max_age: number | null;
  step_up_url: string;
}

function isInsufficientAuthentication(body: unknown): body is InsufficientAuthentication {
  const b = body as Partial<InsufficientAuthentication> | null;
  return (
    typeof b === 'object' &&
    b !== null &&
    b.error === 'insufficient_user_authentication' &&
    typeof b.step_up_url === 'string' &&
    typeof b.reason === 'string'
  );
}

/**
 * `DELETE /api/mfa/factors/:id` from the browser. The route's RFC 9470 refusal (403 with
 * `insufficient_user_authentication` and `step_up_url`) becomes the step-up result `useStepUp` understands, so
 * the hook takes the user through step-up and sends the request once more on return. Other failures throw
 * (the hook reports them as `action_failed`).
 */
export async function removeFactorRequest(factorId: string): Promise<RemoveFactorOutcome | StepUpRequiredResult> {
  const response = await fetch(`/api/mfa/factors/${encodeURIComponent(factorId)}`, {
    method: 'DELETE',
    headers: { accept: 'application/json' },
    cache: 'no-store',
  });
  if (response.status === 204) return { status: 'removed', factorId };
  if (response.status === 404) return { status: 'not_found', factorId };
  if (response.status === 409) return { status: 'not_revoked', factorId };
  const body: unknown = await response.json().catch(() => null);
  if (response.status === 403 && isInsufficientAuthentication(body)) {
    return {
      sessionMfa: 'step_up_required',
      reason: body.reason,
      message: body.error_description,
      policy: body.policy,
      maxAge: body.max_age,
      stepUpUrl: body.step_up_url,
    };
  }
  if (response.status === 401) throw new Error('You are signed out. Sign in again to manage your authenticators.');
  if (response.status === 503) throw new Error('MFA status cannot be checked right now. Try again shortly.');
  throw new Error(`The server refused the request (HTTP ${response.status}).`);
}
