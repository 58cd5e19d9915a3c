/**
 * Sessions for the load run, obtained the ways a real user gets one: the emulator's hosted sign-in page followed
 * by authkit's `/callback`, or the library's own test sign-in (`signInForTest`: password grant sealed into
 * authkit's cookie, MFA recorded through the app's ledger when asked). Plus the attacker's: a cookie sealed with
 * another password, and an old cookie replayed after sign-out.
 */
import { WorkOS } from '@workos-inc/node';
import type { createSessionLedger } from 'authkit-session-mfa';
import { signInForTest } from 'authkit-session-mfa/testing';
import { sealData, unsealData } from 'iron-session';
import { decodeJwt } from 'jose';
import type { WorkosEmulator } from '../../emulators/workos';
import { CookieJar, formsWith, hiddenInputs } from './browser';

/** The library's ledger, as the app builds it. */
export type Ledger = ReturnType<typeof createSessionLedger>;

/** What the load run drives: the app and the stand-ins behind it. */
export interface LoadTarget {
  /** `http://127.0.0.1:<port>` of `next start`. */
  readonly baseUrl: string;
  readonly emulator: WorkosEmulator;
  /** The emulator through the real `@workos-inc/node` client. */
  readonly workos: WorkOS;
  /** The app's ledger, through the library (the same Upstash stand-in and key prefix as the app). */
  readonly ledger: Ledger;
  /** `redis://…` behind the stand-in, for raw reads. */
  readonly redisUrl: string;
  /** The app's `WORKOS_COOKIE_PASSWORD`. */
  readonly cookiePassword: string;
}

/** One browser session. */
export interface Session {
  readonly jar: CookieJar;
  readonly sid: string | null;
  readonly userId: string | null;
}

/** The access token inside a jar's sealed `wos-session` cookie, decoded (authkit's view of the session). */
export async function tokenClaims(
  target: LoadTarget,
  jar: CookieJar,
): Promise<{ sid: string; sub: string; exp: number }> {
  const seal = jar.get('wos-session');
  if (!seal) throw new Error('no wos-session cookie');
  const { accessToken } = await unsealData<{ accessToken: string }>(seal, { password: target.cookiePassword });
  const { sid, sub, exp } = decodeJwt(accessToken);
  if (typeof sid !== 'string' || typeof sub !== 'string' || typeof exp !== 'number')
    throw new Error('the session token has no sid/sub/exp');
  return { sid, sub, exp };
}

/** Signs in through `/login` → hosted sign-in form → `/callback`, like a browser without JavaScript. */
export async function signInHosted(target: LoadTarget, email: string, password: string): Promise<Session> {
  const jar = new CookieJar();
  const login = await fetch(`${target.baseUrl}/login?return_to=%2Fadmin`, { redirect: 'manual' });
  jar.take(login);
  const authorizeUrl = login.headers.get('location');
  if (login.status !== 307 || !authorizeUrl) throw new Error(`/login answered ${login.status}`);
  const form = await (await fetch(authorizeUrl)).text();
  const [signInForm] = formsWith(form, 'name="password"');
  if (!signInForm) throw new Error('no sign-in form on the hosted page');
  const body = new URLSearchParams([
    ...hiddenInputs(signInForm),
    ['email', email],
    ['password', password],
    ['intent', 'password'],
  ]);
  const submitted = await fetch(new URL('/user_management/authorize/submit', authorizeUrl), {
    method: 'POST',
    body,
    redirect: 'manual',
  });
  const back = submitted.headers.get('location');
  if (submitted.status !== 302 || !back) throw new Error(`hosted sign-in answered ${submitted.status}`);
  // The redirect URI compiled into the demo build names the demo's port; the callback is this same app.
  const callback = new URL(back);
  const res = await fetch(`${target.baseUrl}${callback.pathname}${callback.search}`, {
    redirect: 'manual',
    headers: { cookie: jar.header() ?? '' },
  });
  jar.take(res);
  if (res.status !== 307 && res.status !== 302) throw new Error(`/callback answered ${res.status}`);
  const { sid, sub } = await tokenClaims(target, jar);
  return { jar, sid, userId: sub };
}

/**
 * Signs in with the library's test helper; with `mfaAgo` (seconds), MFA is recorded through the app's ledger as
 * completed that long ago (`mfaVerifiedAt`, epoch seconds).
 */
export async function signInWithHelper(
  target: LoadTarget,
  email: string,
  password: string,
  mfaAgo?: number,
): Promise<Session & { readonly mfaVerifiedAt: number | null }> {
  const session = await signInForTest({
    workos: target.workos,
    clientId: target.emulator.clientId,
    email,
    password,
    cookiePassword: target.cookiePassword,
    ...(mfaAgo === undefined ? {} : { mfa: { ledger: target.ledger, ago: mfaAgo } }),
  });
  const jar = new CookieJar();
  jar.set('wos-session', session.cookieHeader.slice('wos-session='.length));
  return { jar, sid: session.sessionId, userId: session.userId, mfaVerifiedAt: session.mfaVerifiedAt };
}

/** ATTACK: a real session sealed with a password that is not the app's — a forged cookie. */
export async function forgedSession(target: LoadTarget, email: string, password: string): Promise<Session> {
  const auth = await target.workos.userManagement.authenticateWithPassword({
    clientId: target.emulator.clientId,
    email,
    password,
  });
  const jar = new CookieJar();
  jar.set(
    'wos-session',
    await sealData(
      { accessToken: auth.accessToken, refreshToken: auth.refreshToken, user: auth.user },
      { password: 'not-the-apps-cookie-password-0123456789abc', ttl: 0 },
    ),
  );
  return { jar, sid: null, userId: null };
}

/**
 * Signs out through the app's `/logout` and follows it to WorkOS (which ends the session), keeping a copy of
 * the old cookie to replay, as an attacker who copied it would.
 */
export async function signOutKeepingCookie(target: LoadTarget, session: Session): Promise<Session> {
  const replay = new CookieJar();
  replay.set('wos-session', session.jar.get('wos-session') ?? '');
  const res = await fetch(`${target.baseUrl}/logout`, {
    redirect: 'manual',
    headers: { cookie: session.jar.header() ?? '' },
  });
  await res.arrayBuffer();
  const next = res.headers.get('location');
  if (!next || res.status >= 400) throw new Error(`/logout answered ${res.status}`);
  if (next.startsWith(target.emulator.url)) await (await fetch(next, { redirect: 'manual' })).arrayBuffer();
  return { ...session, jar: replay };
}
