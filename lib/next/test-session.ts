/**
 * The one seam tests use to run server code as a session of their choosing (see `authkit-session-mfa/testing`):
 * an `AsyncLocalStorage` the testing entry installs on `globalThis`. Server code asks it first and falls back to
 * authkit's `withAuth()`. Nothing installs it in an app, and it is ignored when `NODE_ENV` is `production`, so
 * no request can ever reach it.
 */

/** What a test runs as: a token payload, treated like one authkit verified. */
export interface TestSessionScope {
  readonly payload: Readonly<Record<string, unknown>>;
  readonly user: { readonly id: string; readonly email: string; readonly firstName: string | null };
}

/** The storage's shape (a Node `AsyncLocalStorage`), stated here so this module needs no Node types. */
export interface TestSessionStorage {
  getStore(): TestSessionScope | undefined;
  run<T>(scope: TestSessionScope, fn: () => T): T;
}

/** Where the testing entry puts its storage; a registry symbol, so every copy of the library finds it. */
export const TEST_SESSION_STORAGE = Symbol.for('authkit-session-mfa.test-session');

/** The session a test is running the current call as, if any (never in production). */
export function testSessionScope(): TestSessionScope | undefined {
  if (process.env.NODE_ENV === 'production') return undefined;
  return (globalThis as { [TEST_SESSION_STORAGE]?: TestSessionStorage })[TEST_SESSION_STORAGE]?.getStore();
}
