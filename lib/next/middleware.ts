import { authkit, handleAuthkitProxy } from '@workos-inc/authkit-nextjs';
import type { NextMiddleware, NextRequest, NextResponse } from 'next/server';
import { match } from 'path-to-regexp';
import { MfaConfigError } from '../core/errors';
import type { PolicySpec } from '../core/policy';
import { stepUpPath } from '../core/return-to';
import type { SessionMfa } from '../session-mfa';
import { requestKind, returnPathOf } from './request-kind';
import { insufficientAuthenticationResponse, serverActionRefusal, unauthenticatedResponse } from './responses';
import { verifiedPayload } from './token-payload';
import { auditContextOf } from './request-context';

/** One protected route segment. */
export interface MfaRouteRule {
  /** A path pattern in path-to-regexp syntax, e.g. `/admin`, `/admin/:path*`, `/api/admin/(.*)`. */
  readonly path: string;
  /** The policy requests matching `path` must satisfy. */
  readonly policy: PolicySpec;
}

/**
 * authkit's own middleware settings, as `authkitProxy()` / `authkitMiddleware()` take them, so moving from
 * authkit's middleware is a change of function name: `authkitProxy(options)` →
 * `createSessionMfaMiddleware({ ...options, sessionMfa, rules })`.
 */
export interface AuthkitMiddlewareSettings {
  /**
   * Require a signed-in user everywhere except `unauthenticatedPaths` (path-to-regexp syntax, as in authkit).
   * Signed-out page navigations go to AuthKit sign-in; API requests get 401. Paths under a session-MFA rule
   * always require sign-in, whatever this says. @default { enabled: false, unauthenticatedPaths: [] }
   */
  readonly middlewareAuth?: { readonly enabled: boolean; readonly unauthenticatedPaths: readonly string[] };
  /** AuthKit callback URL. @default NEXT_PUBLIC_WORKOS_REDIRECT_URI */
  readonly redirectUri?: string;
  /** Paths whose sign-in redirect opens AuthKit's sign-up screen. @default [] */
  readonly signUpPaths?: readonly string[];
  /** Logs authkit's session handling. @default false */
  readonly debug?: boolean;
  /** Makes the access token available to client code on first load (authkit's `eagerAuth`). @default false */
  readonly eagerAuth?: boolean;
  /** Seconds before expiry at which the session is refreshed (authkit's default when unset). */
  readonly refreshBufferSeconds?: number;
}

/** Options of {@link createSessionMfaMiddleware}. */
export interface SessionMfaMiddlewareOptions extends AuthkitMiddlewareSettings {
  /** The engine (ledger, claims, audit). Use an Edge-safe ledger when running as `middleware.ts`. */
  readonly sessionMfa: SessionMfa;
  /** Protected segments; the first matching rule applies. */
  readonly rules: readonly MfaRouteRule[];
}

type Matcher = (pathname: string) => boolean;

function compile(path: string, field: string): Matcher {
  try {
    const fn = match(path, { decode: decodeURIComponent });
    return (pathname) => fn(pathname) !== false;
  } catch (cause) {
    throw new MfaConfigError(
      'ERR_MFA_CONFIG_INVALID',
      field,
      `"${path}" is not a valid path pattern (${(cause as Error).message}).`,
    );
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
 *   satisfies the rule, otherwise refused with 401/403/503 in `text/plain` (the one form Next's client turns
 *   into an error carrying the body): a 403 carries the step-up result `useStepUp` recognises, so it opens
 *   the step-up dialog and retries the action. `next-action` is a client-set header, so it must not switch
 *   enforcement off — a route handler behind the rule would run unprotected. Wrap actions with
 *   `withSessionMfa` for their own (stricter) policy and its step-up result.
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
  const requireSignIn = signInRequirement(options);
  const signUp = (options.signUpPaths ?? []).map((p, i) => compile(p, `signUpPaths[${i}]`));
  const { sessionMfa, debug, redirectUri, eagerAuth, refreshBufferSeconds } = options;

  return async (request: NextRequest): Promise<NextResponse | Response> => {
    const pathname = request.nextUrl.pathname;
    const screenHint = signUp.some((test) => test(pathname)) ? 'sign-up' : 'sign-in';
    const { session, headers, authorizationUrl } = await authkit(request, {
      debug,
      redirectUri,
      eagerAuth,
      refreshBufferSeconds,
      screenHint,
    });
    const found = rules.find((r) => r.test(pathname));
    const kind = requestKind(request);

    if (!session.user) {
      if (!found && !requireSignIn(pathname)) return handleAuthkitProxy(request, headers);
      if (kind === 'page' && authorizationUrl)
        return handleAuthkitProxy(request, headers, { redirect: authorizationUrl });
      // Sign-in-only paths keep passing server actions on: the action itself sees no user.
      if (kind === 'server-action' && !found) return handleAuthkitProxy(request, headers);
      return withAuthkitHeaders(
        kind === 'server-action' ? serverActionRefusal(null, '') : unauthenticatedResponse(),
        headers,
      );
    }
    if (!found) return handleAuthkitProxy(request, headers);

    const payload = verifiedPayload(session.accessToken);
    const target = `${request.method} ${pathname}`;
    const decision = await sessionMfa.decide(payload, found.rule.policy, auditContextOf(request.headers, target));
    if (decision.allowed) return handleAuthkitProxy(request, headers);

    const stepUp = stepUpPath(returnPathOf(request.nextUrl), sessionMfa.stepUpPath);
    if (kind === 'page' && decision.outcome === 'step_up')
      return handleAuthkitProxy(request, headers, { redirect: stepUp });
    if (kind === 'server-action') return withAuthkitHeaders(serverActionRefusal(decision, stepUp), headers);
    return withAuthkitHeaders(insufficientAuthenticationResponse(decision, stepUp), headers);
  };
}

/**
 * Which paths need a signed-in user besides the rules' own: with authkit's `middlewareAuth` on, every path
 * but its `unauthenticatedPaths` — and, as authkit does, the callback path, lest sign-in loop forever.
 */
function signInRequirement(options: SessionMfaMiddlewareOptions): Matcher {
  const auth = options.middlewareAuth;
  if (!auth?.enabled) return () => false;
  const open = auth.unauthenticatedPaths.map((p, i) => compile(p, `middlewareAuth.unauthenticatedPaths[${i}]`));
  const callback = options.redirectUri ?? process.env.NEXT_PUBLIC_WORKOS_REDIRECT_URI;
  const callbackPath = callback ? new URL(callback).pathname : null;
  return (pathname) => pathname !== callbackPath && !open.some((test) => test(pathname));
}
