import 'server-only';
import { getSignInUrl } from '@workos-inc/authkit-nextjs';
import { safeReturnTo } from '../core/return-to';
import { isCrossOrigin } from '../next/cross-origin';
import { auditContextOf } from '../next/request-context';
import { crossOriginResponse, jsonResponse } from '../next/responses';
import { dialogTexts, factorViews, formTexts, pageHref, type DropIn } from './drop-in';
import { currentStepUpSession } from './session';
import { failureText } from './texts';
import { FIELDS, type DialogData, type VerifyAnswer } from '../shared/wire';

/** Query parameters the route puts on the page after a refused attempt without JavaScript. */
export const FAILURE_PARAMS = { code: 'error', retryAfter: 'retry_after' } as const;

const NO_STORE = { 'cache-control': 'no-store' };

function seeOther(location: string): Response {
  return new Response(null, { status: 303, headers: { ...NO_STORE, location } });
}

function json(body: DialogData | VerifyAnswer | { readonly error: string }, status = 200): Response {
  return jsonResponse(body, status);
}

function field(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}

/** HTTP status of a refused attempt, for clients that look (the JSON says the same in `code`). */
const FAILURE_STATUS: Partial<Record<string, number>> = {
  not_signed_in: 401,
  rate_limited: 429,
  unavailable: 503,
  ledger_unavailable: 503,
};

/**
 * The step-up route (`<step-up page>/verify`), shared by the page's forms (with or without JavaScript) and the
 * dialog. The session always comes from authkit's verified session, never from the request's fields.
 * - `GET` → the dialog's data (factors, texts) as JSON; `GET ?intent=sign-in&return_to=…` → AuthKit sign-in,
 *   back to the step-up page.
 * - `POST intent=verify` (factor_id, code, return_to) → JSON with `Accept: application/json`; otherwise 303 to
 *   `return_to`, or back to the page with the failure.
 * - `POST intent=reauthenticate` (return_to) → 303 to a forced AuthKit sign-in (when configured).
 * A POST from another origin is refused before anything runs: it could spend the user's attempts.
 */
export function stepUpRoute(config: DropIn) {
  async function GET(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.searchParams.get(FIELDS.intent) === 'sign-in') {
      const returnTo = safeReturnTo(url.searchParams.get(FIELDS.returnTo));
      return seeOther(await getSignInUrl({ returnTo: pageHref(config, returnTo) }));
    }
    const current = await currentStepUpSession();
    if (!current) return json({ status: 'signed_out' });
    const factors = await factorViews(config, current);
    return json({
      status: 'ready',
      factors,
      reauthentication: config.reauthentication !== null,
      enrollUrl: config.enrollUrl,
      texts: dialogTexts(config),
      form: formTexts(config, factors ?? []),
    });
  }

  async function POST(request: Request): Promise<Response> {
    const wantsJson = (request.headers.get('accept') ?? '').includes('application/json');
    if (isCrossOrigin(request)) return crossOriginResponse();
    let form: FormData;
    try {
      form = await request.formData();
    } catch {
      return json({ error: 'invalid_request' }, 400);
    }
    const returnTo = safeReturnTo(field(form, FIELDS.returnTo));
    const current = await currentStepUpSession();

    if (field(form, FIELDS.intent) === 'reauthenticate') {
      if (!config.reauthentication) return json({ error: 'not_configured' }, 404);
      return seeOther(
        await config.reauthentication.signInUrl({ returnTo, ...(current ? { loginHint: current.user.email } : {}) }),
      );
    }

    const result = await config.totp.verify({
      session: current?.session ?? null,
      factorId: field(form, FIELDS.factorId),
      code: field(form, FIELDS.code),
      requestId: auditContextOf(request.headers, 'step-up').requestId,
    });
    if (result.ok) return wantsJson ? json({ ok: true, redirectTo: returnTo }) : seeOther(returnTo);
    const message = failureText(config.texts, result.code, result.retryAfterSeconds, config.locale);
    const retryAfter = result.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: result.retryAfterSeconds };
    if (wantsJson)
      return json({ ok: false, code: result.code, message, ...retryAfter }, FAILURE_STATUS[result.code] ?? 422);
    const back = new URLSearchParams({ [FIELDS.returnTo]: returnTo, [FAILURE_PARAMS.code]: result.code });
    if (result.retryAfterSeconds !== undefined) back.set(FAILURE_PARAMS.retryAfter, String(result.retryAfterSeconds));
    return seeOther(`${config.pagePath}?${back}`);
  }

  return { GET, POST };
}
