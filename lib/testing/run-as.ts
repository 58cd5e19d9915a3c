import { AsyncLocalStorage } from 'node:async_hooks';
import { TEST_SESSION_STORAGE, type TestSessionScope, type TestSessionStorage } from '../next/test-session';
import { assertNotProduction } from './guard';

/** A session for {@link withTestSession}: one from `signInForTest`, or identifiers and claims of your choosing. */
export type TestSessionShape =
  | { readonly accessToken: string; readonly userId: string }
  | {
      readonly userId: string;
      readonly sessionId: string;
      readonly organizationId?: string;
      readonly email?: string;
      /** Further token claims, e.g. `{ amr: ['pwd', 'otp'], auth_time }` for tomorrow's WorkOS tokens. */
      readonly claims?: Readonly<Record<string, unknown>>;
    }
  /** Signed out. */
  | null;

function storage(): TestSessionStorage {
  const global = globalThis as { [TEST_SESSION_STORAGE]?: TestSessionStorage };
  global[TEST_SESSION_STORAGE] ??= new AsyncLocalStorage<TestSessionScope>() as TestSessionStorage;
  return global[TEST_SESSION_STORAGE];
}

function decodePayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

function scopeOf(session: TestSessionShape): TestSessionScope {
  if (session === null) return { payload: {}, user: { id: '', email: '', firstName: null } };
  if ('accessToken' in session)
    return { payload: decodePayload(session.accessToken), user: { id: session.userId, email: '', firstName: null } };
  const payload = {
    ...session.claims,
    sub: session.userId,
    sid: session.sessionId,
    ...(session.organizationId ? { org_id: session.organizationId } : {}),
  };
  return { payload, user: { id: session.userId, email: session.email ?? '', firstName: null } };
}

/**
 * Runs `fn` — a call of a `withSessionMfa`-wrapped route handler or server action, a page, the drop-in step-up
 * route, or an action using `currentStepUpSession` — as `session`, without a browser, a request scope or mocks of
 * Next: the library's server helpers take the session from here instead of authkit's `withAuth()`. Evidence still comes from the real engine: the session's claims and the
 * app's ledger. Works with Vitest and Jest (any runner on Node).
 * @throws MfaError `ERR_MFA_CONFIG_INVALID` with `NODE_ENV=production`.
 * @example
 * ```ts
 * const res = await withTestSession({ userId: 'user_1', sessionId: 'session_1' }, () => GET(new Request('http://test/api/admin/report')));
 * expect(res.status).toBe(403);
 * ```
 */
export function withTestSession<T>(session: TestSessionShape, fn: () => T): T {
  assertNotProduction('withTestSession');
  return storage().run(scopeOf(session), fn);
}
