import type { MfaDecision } from '../core/decision';
import { REASON_DESCRIPTIONS } from '../core/decision';
import {
  insufficientAuthenticationBody,
  stepUpRequired,
  stepUpRequiredMessage,
  wwwAuthenticate,
} from '../core/step-up-response';

/**
 * Every refusal and JSON answer the library sends is built here: never cached, one shape per kind.
 */
const NO_STORE = { 'cache-control': 'no-store' };

/** A JSON answer that no cache keeps (webhook acknowledgements, the step-up route's data). */
export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { ...NO_STORE, ...headers } });
}

/** 403 for a state-changing browser request from another site (CSRF riding the session cookie). */
export function crossOriginResponse(): Response {
  return jsonResponse(
    { error: 'cross_origin_request', error_description: 'This request came from another site.' },
    403,
  );
}

/** 401 for a request without a signed-in session. */
export function unauthenticatedResponse(): Response {
  return jsonResponse(
    { error: 'unauthenticated', reason: 'not_signed_in', error_description: REASON_DESCRIPTIONS.not_signed_in },
    401,
    { 'www-authenticate': 'Bearer' },
  );
}

/**
 * The refusal for a signed-in session without sufficient MFA: 403 with the RFC 9470 challenge header and a
 * JSON body naming the reason and the step-up URL. `ledger_unavailable` is a 503: retrying later may pass,
 * stepping up cannot.
 */
export function insufficientAuthenticationResponse(decision: MfaDecision, stepUpUrl: string): Response {
  if (decision.reason === 'ledger_unavailable' || decision.reason === 'policy_error') {
    return jsonResponse(
      {
        error: 'temporarily_unavailable',
        reason: decision.reason,
        error_description: REASON_DESCRIPTIONS[decision.reason],
      },
      503,
      { 'retry-after': '1' },
    );
  }
  return jsonResponse(insufficientAuthenticationBody(decision, stepUpUrl), 403, {
    'www-authenticate': wwwAuthenticate(decision),
  });
}

/**
 * The middleware's refusal of a server-action POST. Next's client turns a non-RSC answer into a thrown
 * `Error` whose message is the body — only when the status is ≥ 400 and the content type exactly
 * `text/plain` — so the body is plain text: for a step-up, the marker `useStepUp` recognises (the same
 * step-up result a wrapped action returns, as JSON); otherwise a sentence for the user.
 */
export function serverActionRefusal(decision: MfaDecision | null, stepUpUrl: string): Response {
  const plain = (status: number, body: string, headers: Record<string, string> = {}) =>
    new Response(body, { status, headers: { ...NO_STORE, 'content-type': 'text/plain', ...headers } });
  if (decision === null || decision.reason === 'not_signed_in')
    return plain(401, REASON_DESCRIPTIONS.not_signed_in, { 'www-authenticate': 'Bearer' });
  if (decision.outcome !== 'step_up') return plain(503, REASON_DESCRIPTIONS[decision.reason], { 'retry-after': '1' });
  return plain(403, stepUpRequiredMessage(stepUpRequired(decision, stepUpUrl)), {
    'www-authenticate': wwwAuthenticate(decision),
  });
}
