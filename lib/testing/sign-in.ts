import { sealData } from 'iron-session';
import { decodeJwt } from 'jose';
import { parseDuration, type Duration } from '../core/duration';
import type { LedgerEntry } from '../core/ledger-entry';
import { assertNotProduction } from './guard';

/** The slice of a `@workos-inc/node` `WorkOS` client a test sign-in uses (the emulator's or a staging one). */
export interface TestSignInClient {
  readonly userManagement: {
    authenticateWithPassword(options: { clientId: string; email: string; password: string }): Promise<{
      readonly accessToken: string;
      readonly refreshToken: string;
      readonly user: { readonly id: string; readonly email: string; readonly firstName: string | null };
    }>;
  };
}

/** Session MFA to record for a test session: through the app's own ledger, as long ago as you say. */
export interface TestMfa {
  /** The app's ledger (`createSessionLedger({ store })` over the app's Redis). */
  readonly ledger: { record(entry: LedgerEntry): Promise<void> };
  /** How long ago MFA was completed, e.g. `'12m'` to test a 10-minute policy. @default 0 (now) */
  readonly ago?: Duration | 0;
  /** RFC 8176 methods of the recorded MFA. @default ['otp'] */
  readonly methods?: readonly string[];
}

/** Options of {@link signInForTest}. */
export interface SignInForTestOptions {
  /** A WorkOS client pointed at the emulator or a staging environment with password sign-in enabled. */
  readonly workos: TestSignInClient;
  /** The WorkOS client id of the app (`WORKOS_CLIENT_ID`). */
  readonly clientId: string;
  readonly email: string;
  readonly password: string;
  /** The app's `WORKOS_COOKIE_PASSWORD`: the session is sealed into authkit's cookie with it. */
  readonly cookiePassword: string;
  /** authkit's cookie name (`WORKOS_COOKIE_NAME`). @default 'wos-session' */
  readonly cookieName?: string;
  /**
   * Session MFA to record for the new session, through the ledger the app itself reads (its own store — the
   * helper writes nowhere else). Omit it for a session that has not completed MFA.
   */
  readonly mfa?: TestMfa;
}

/** A signed-in test session: its identifiers and authkit's session cookie. */
export interface TestSession {
  readonly sessionId: string;
  readonly userId: string;
  readonly organizationId?: string;
  readonly accessToken: string;
  /** The sealed authkit cookie, as a `Cookie` header value (`wos-session=…`). */
  readonly cookieHeader: string;
  /** The cookie for a browser context, e.g. Playwright's `context.addCookies(session.cookies(baseURL))`. */
  cookies(baseURL: string): { name: string; value: string; url: string; httpOnly: boolean; sameSite: 'Lax' }[];
  /** When MFA was recorded at sign-in (epoch seconds), or `null` when it was signed in without. */
  readonly mfaVerifiedAt: number | null;
  /**
   * Records session MFA for this session now — as a step-up would, e.g. after a request it made was refused —
   * through `mfa.ledger`; resolves to the recorded `verifiedAt` (epoch seconds).
   */
  recordMfa(mfa: TestMfa): Promise<number>;
}

/**
 * Signs a user in through the WorkOS API (password grant), seals the session into authkit's cookie with the
 * app's cookie password, and — with `mfa` — records session MFA at the time of your choosing through the
 * app's own ledger. No UI, no code entry: the app sees exactly what a real sign-in and step-up leave behind.
 * @throws MfaError `ERR_MFA_CONFIG_INVALID` with `NODE_ENV=production`.
 * @example
 * ```ts
 * const session = await signInForTest({ workos, clientId, email, password, cookiePassword, mfa: { ledger, ago: '1m' } });
 * await context.addCookies(session.cookies(baseURL));
 * ```
 */
export async function signInForTest(options: SignInForTestOptions): Promise<TestSession> {
  assertNotProduction('signInForTest');
  const auth = await options.workos.userManagement.authenticateWithPassword({
    clientId: options.clientId,
    email: options.email,
    password: options.password,
  });
  const claims = decodeJwt(auth.accessToken);
  if (typeof claims.sid !== 'string' || typeof claims.sub !== 'string')
    throw new Error('signInForTest: the access token has no sid/sub claim.');
  const organizationId = typeof claims.org_id === 'string' ? claims.org_id : undefined;
  const sealed = await sealData(
    { accessToken: auth.accessToken, refreshToken: auth.refreshToken, user: auth.user },
    { password: options.cookiePassword, ttl: 0 },
  );
  const name = options.cookieName ?? 'wos-session';

  const { sid, sub } = claims;
  const recordMfa = async (mfa: TestMfa): Promise<number> => {
    assertNotProduction('recordMfa');
    const verifiedAt = Math.floor(Date.now() / 1000) - (mfa.ago ? parseDuration(mfa.ago, 'mfa.ago') : 0);
    await mfa.ledger.record({
      sessionId: sid,
      userId: sub,
      ...(organizationId ? { organizationId: organizationId } : {}),
      verifiedAt,
      methods: [...(mfa.methods ?? ['otp'])],
      source: 'step_up',
    });
    return verifiedAt;
  };
  const mfaVerifiedAt = options.mfa ? await recordMfa(options.mfa) : null;
  return {
    sessionId: sid,
    userId: sub,
    ...(organizationId ? { organizationId } : {}),
    accessToken: auth.accessToken,
    cookieHeader: `${name}=${sealed}`,
    cookies: (baseURL) => [{ name, value: sealed, url: new URL(baseURL).origin, httpOnly: true, sameSite: 'Lax' }],
    mfaVerifiedAt,
    recordMfa,
  };
}
