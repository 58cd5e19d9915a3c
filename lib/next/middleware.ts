import { authkit, handleAuthkitProxy } from '@workos-inc/authkit-nextjs';
import type { AuthkitOptions } from '@workos-inc/authkit-nextjs';
import type { NextMiddleware, NextRequest, NextResponse } from 'next/server';
import { match } from 'path-to-regexp';
import { MfaConfigError } from '../core/errors';
import type { PolicySpec } from '../core/policy';
import { stepUpPath } from '../core/return-to';
import type { SessionMfa } from '../session-mfa';
import { requestKind, returnPathOf } from './request-kind';
import { insufficientAuthenticationResponse, unauthenticatedResponse } from './responses';
import { verifiedPayload } from './token-payload';
import { auditContextOf } from './request-context';

/** One protected route segment. */
export interface MfaRouteRule {
  /** A path pattern in path-to-regexp syntax, e.g. `/admin`, `/admin/:path*`, `/api/admin/(.*)`. */
  readonly path: string;
  /** The policy requests matching `path` must satisfy. */
  readonly policy: PolicySpec;
}

/** Options of {@link createSessionMfaMiddleware}. */
export interface SessionMfaMiddlewareOptions {
  /** The engine (ledger, claims, audit). Use an Edge-safe ledger when running as `middleware.ts`. */
  readonly sessionMfa: SessionMfa;
  /** Protected segments; the first matching rule applies. */
  readonly rules: readonly MfaRouteRule[];
  /** Extra paths (same syntax) that only need a signed-in user. @default [] */
  readonly signInRequired?: readonly string[];
  /** Passed to authkit's `authkit()` (redirect URI, refresh buffer, …). */
  readonly authkit?: AuthkitOptions;
}

type Matcher = (pathname: string) => boolean;

function compile(path: string, field: string): Matcher {
  try {
    const fn = match(path, { decode: decodeURIComponent });
    return (pathname) => fn(pathname) !== false;
  } catch (cause) {
    throw new MfaConfigError('ERR_MFA_CONFIG_INVALID', field, `"${path}" is not a valid path pattern (${(cause as Error).message}).`);
  }
}


function withAuthkitHeaders(response: Response, authkitHeaders: Headers): Response {
  // Keep authkit's cookie updates (a refreshed session) on refusals too.
  for (const cookie of authkitHeaders.getSetCookie()) response.headers.append('set-cookie', cookie);
  return response;
}

/**
 * Middleware (Edge `middleware.ts` or Node `proxy.ts`) that runs authkit and then enforces session MFA on
 * the matching route segments:
 * - page navigations without sufficient MFA → 307 to the step-up page with a same-origin `return_to`;
 * - API and fetch requests → 403 JSON with `WWW-Authenticate` (RFC 9470);
 * - server-action POSTs → never redirected (a redirect would break them): passed through when the session
 *   satisfies the rule, otherwise answered like an API request (401/403/503). `next-action` is a client-set
 *   header, so it must not switch enforcement off — a route handler behind the rule would run unprotected.
 *   Wrap actions with `withSessionMfa` for their own (stricter) policy and its step-up result.
 * Unauthenticated page navigations to protected paths go to AuthKit sign-in; API requests get 401.
 *
 * @remarks The access token's claims are read without a second signature check: authkit verified the
 * token (or received it from WorkOS over TLS on refresh) earlier in this same request.
 * @example
 * ```ts title="middleware.ts"
 * export default createSessionMfaMiddleware({ sessionMfa, rules: [{ path: '/admin/:path*', policy: mfaPreset('aal2') }] });
 * ```
 */
export function createSessionMfaMiddleware(options: SessionMfaMiddlewareOptions): NextMiddleware {
  const rules = options.rules.map((rule, i) => ({ test: compile(rule.path, `rules[${i}].path`), rule }));
  const signIn = (options.signInRequired ?? []).map((p, i) => compile(p, `signInRequired[${i}]`));
  const { sessionMfa } = options;

  return async (request: NextRequest): Promise<NextResponse | Response> => {
    const { session, headers, authorizationUrl } = await authkit(request, options.authkit);
    const pathname = request.nextUrl.pathname;
    const found = rules.find((r) => r.test(pathname));
    const kind = requestKind(request);

    if (!session.user) {
      if (!found && !signIn.some((test) => test(pathname))) return handleAuthkitProxy(request, headers);
      if (kind === 'page' && authorizationUrl) return handleAuthkitProxy(request, headers, { redirect: authorizationUrl });
      // Sign-in-only paths keep passing server actions on: the action itself sees no user.
      if (kind === 'server-action' && !found) return handleAuthkitProxy(request, headers);
      return withAuthkitHeaders(unauthenticatedResponse(), headers);
    }
    if (!found) return handleAuthkitProxy(request, headers);

    const payload = verifiedPayload(session.accessToken);
    const target = `${request.method} ${pathname}`;
    const decision = await sessionMfa.decide(payload, found.rule.policy, auditContextOf(request.headers, target));
    if (decision.allowed) return handleAuthkitProxy(request, headers);

    const stepUp = stepUpPath(returnPathOf(request.nextUrl), sessionMfa.stepUpPath);
    if (kind === 'page' && decision.outcome === 'step_up') return handleAuthkitProxy(request, headers, { redirect: stepUp });
    return withAuthkitHeaders(insufficientAuthenticationResponse(decision, stepUp), headers);
  };
}
