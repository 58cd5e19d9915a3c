import type { MfaDecision } from '../core/decision';
import { REASON_DESCRIPTIONS } from '../core/decision';
import { insufficientAuthenticationBody, wwwAuthenticate } from '../core/step-up-response';

const NO_STORE = { 'cache-control': 'no-store' };

/** 401 for a request without a signed-in session. */
export function unauthenticatedResponse(): Response {
  return Response.json(
    { error: 'unauthenticated', reason: 'not_signed_in', error_description: REASON_DESCRIPTIONS.not_signed_in },
    { status: 401, headers: { ...NO_STORE, 'www-authenticate': 'Bearer' } },
  );
}

/**
 * The refusal for a signed-in session without sufficient MFA: 403 with the RFC 9470 challenge header and a
 * JSON body naming the reason and the step-up URL. `ledger_unavailable` is a 503: retrying later may pass,
 * stepping up cannot.
 */
export function insufficientAuthenticationResponse(decision: MfaDecision, stepUpUrl: string): Response {
  if (decision.reason === 'ledger_unavailable' || decision.reason === 'policy_error') {
    return Response.json(
      { error: 'temporarily_unavailable', reason: decision.reason, error_description: REASON_DESCRIPTIONS[decision.reason] },
      { status: 503, headers: { ...NO_STORE, 'retry-after': '1' } },
    );
  }
  return Response.json(insufficientAuthenticationBody(decision, stepUpUrl), {
    status: 403,
    headers: { ...NO_STORE, 'www-authenticate': wwwAuthenticate(decision) },
  });
}
