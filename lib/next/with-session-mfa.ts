import 'server-only';
import { headers } from 'next/headers';
import type { MfaDecision } from '../core/decision';
import { MfaConfigError } from '../core/errors';
import type { PolicySpec } from '../core/policy';
import { safeReturnTo, stepUpPath } from '../core/return-to';
import { stepUpRequired, type StepUpRequiredResult } from '../core/step-up-response';
import type { SessionMfa } from '../session-mfa';
import { crossOriginResponse, insufficientAuthenticationResponse, unauthenticatedResponse } from './responses';
import { currentVerifiedSession } from './current-session';
import { isCrossOrigin } from './cross-origin';
import { auditContextOf } from './request-context';
import type { AuditContext } from '../audit/record';

/** Options of a wrapped route handler. */
export interface WithSessionMfaOptions {
  /** Target in audit records. @default `METHOD /path` of the request */
  readonly name?: string;
}

/** Options of a wrapped server action. */
export interface ServerActionOptions {
  /**
   * The action's name in audit records (`action <name>`), e.g. `'rotateApiKey'`. Required: a production build
   * minifies function names, and an auditor must be able to tell which action a decision guarded.
   */
  readonly name: string;
}

/** A route handler: `(request, context) => Response`. */
export type RouteHandler<C> = (request: Request, context: C) => Response | Promise<Response>;

/** Server-side helpers bound to one engine. */
export interface ServerSessionMfa {
  /**
   * Wraps a route handler or a server action so it runs only when the session satisfies `policy`.
   * - Route handler: 401 when signed out; 403 JSON + `WWW-Authenticate` (RFC 9470) without sufficient MFA;
   *   503 when MFA status cannot be checked; 403 `cross_origin_request` for a POST/PUT/PATCH/DELETE whose
   *   `Origin` is another site (a verified session's cookie must not be ridden by CSRF).
   * - Server action: returns a serializable {@link StepUpRequiredResult} instead of running (recognised by
   *   `useStepUp`), never throws for a denial.
   * Errors thrown by the handler itself, including Next's `redirect()` and `notFound()`, pass through untouched.
   */
  withSessionMfa<C>(handler: RouteHandler<C>, policy: PolicySpec, options?: WithSessionMfaOptions): RouteHandler<C>;
  withSessionMfa<A extends unknown[], R>(
    action: (...args: A) => Promise<R>,
    policy: PolicySpec,
    options: ServerActionOptions,
  ): (...args: A) => Promise<R | StepUpRequiredResult>;
  /** The current session's decision under `policy`, audited (for pages that gate content themselves). */
  requireSessionMfa(policy: PolicySpec, name: string): Promise<MfaDecision>;
  /** The current session's status under several named policies, not audited (for status displays). */
  getSessionMfaStatus<K extends string>(policies: Readonly<Record<K, PolicySpec>>): Promise<Record<K, MfaDecision>>;
}

/**
 * Where the verified access-token payload of the current request comes from.
 * @default authkit's `withAuth()` (the token authkit's middleware verified in this request), decoded
 */
export type SessionSource = (request: Request | null) => Promise<unknown>;

/** Options of {@link createServerSessionMfa}. */
export interface ServerSessionMfaOptions {
  /**
   * Supplies the verified token payload. Override it for API clients that send their own bearer token
   * (verify it with `createAccessTokenVerifier` first) or for tests. Must never return unverified claims.
   */
  readonly session?: SessionSource;
}

const authkitSession: SessionSource = async () => (await currentVerifiedSession())?.payload ?? null;

/** The same-origin path of the page that sent the request, for `return_to`; `/` when unknown. */
async function refererPath(request: Request | null): Promise<string> {
  let referer: string | null = null;
  let host: string | null = null;
  try {
    const h = request ? request.headers : await headers();
    referer = h.get('referer');
    host = h.get('host');
  } catch {
    return '/'; // outside a request scope
  }
  if (!referer || !host) return '/';
  try {
    const url = new URL(referer);
    return url.host === host ? safeReturnTo(url.pathname + url.search) : '/';
  } catch {
    return '/';
  }
}

/** The audit context of the server action or page being rendered (no Request object there). */
async function actionContext(target: string): Promise<AuditContext> {
  try {
    return auditContextOf(await headers(), target);
  } catch {
    return { target, requestId: crypto.randomUUID() }; // outside a request scope
  }
}

/**
 * Binds the server helpers to an engine. Call once in a server-only module of the app.
 * @example
 * ```ts title="mfa.ts"
 * import 'server-only';
 * export const { withSessionMfa, getSessionMfaStatus } = createServerSessionMfa(sessionMfa);
 * ```
 */
export function createServerSessionMfa(
  sessionMfa: SessionMfa,
  options: ServerSessionMfaOptions = {},
): ServerSessionMfa {
  const currentPayload = options.session ?? authkitSession;

  function wrap(
    handler: (...args: unknown[]) => unknown,
    policy: PolicySpec,
    wrapOptions: Partial<ServerActionOptions> = {},
  ) {
    return async (...args: unknown[]) => {
      const request = args[0] instanceof Request ? args[0] : null;
      const payload = await currentPayload(request);
      if (request) {
        if (isCrossOrigin(request)) {
          return crossOriginResponse();
        }
        const url = new URL(request.url);
        const target = wrapOptions.name ?? `${request.method} ${url.pathname}`;
        const decision = await sessionMfa.decide(payload, policy, auditContextOf(request.headers, target));
        if (decision.allowed) return handler(...args);
        if (decision.reason === 'not_signed_in') return unauthenticatedResponse();
        return insufficientAuthenticationResponse(
          decision,
          stepUpPath(await refererPath(request), sessionMfa.stepUpPath),
        );
      }
      if (!wrapOptions.name) {
        // Checked before anything runs: an unnamed action would leave audit records no one can attribute.
        throw new MfaConfigError(
          'ERR_MFA_CONFIG_INVALID',
          'name',
          "withSessionMfa(action, policy, { name }) needs the server action's name for its audit records (function names do not survive a production build).",
        );
      }
      const target = `action ${wrapOptions.name}`;
      const decision = await sessionMfa.decide(payload, policy, await actionContext(target));
      if (decision.allowed) return handler(...args);
      return stepUpRequired(decision, stepUpPath(await refererPath(null), sessionMfa.stepUpPath));
    };
  }

  return {
    withSessionMfa: wrap as ServerSessionMfa['withSessionMfa'],
    async requireSessionMfa(policy, name) {
      return sessionMfa.decide(await currentPayload(null), policy, await actionContext(name));
    },
    async getSessionMfaStatus(policies) {
      return sessionMfa.status(await currentPayload(null), policies);
    },
  };
}
