/**
 * Signed-in sessions for the load run, obtained the ways a real user gets one: the emulator's hosted sign-in
 * page followed by authkit's `/callback`, or the password grant sealed into authkit's cookie.
 */
import { WorkOS } from '@workos-inc/node';
import { sealData } from 'iron-session';
import type { DemoStack } from '../../test/hostile/support/demo-stack';
import { CookieJar, formsWith, hiddenInputs } from './browser';

/** One browser session. */
export interface Session {
  readonly jar: CookieJar;
  readonly sid: string | null;
  readonly userId: string | null;
  readonly email: string | null;
}

function claimsOf(accessToken: string): { sid: string; sub: string } {
  return JSON.parse(Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as { sid: string; sub: string };
}

/** The sealed session inside a jar (what authkit unseals), decoded enough to read sid and sub. */
async function identityOf(stack: DemoStack, jar: CookieJar): Promise<{ sid: string; sub: string }> {
  const { unsealData } = await import('iron-session');
  const seal = jar.get('wos-session');
  if (!seal) throw new Error('no wos-session cookie after sign-in');
  const session = await unsealData<{ accessToken: string }>(seal, { password: stack.env.WORKOS_COOKIE_PASSWORD ?? '' });
  return claimsOf(session.accessToken);
}

/** Signs in through `/login` → hosted sign-in form → `/callback`, like a browser without JavaScript. */
export async function signInHosted(stack: DemoStack, email: string, password: string): Promise<Session> {
  const jar = new CookieJar();
  const login = await fetch(`${stack.baseUrl}/login?return_to=%2Fadmin`, { redirect: 'manual' });
  jar.take(login);
  const authorizeUrl = login.headers.get('location');
  if (login.status !== 307 || !authorizeUrl) throw new Error(`/login answered ${login.status}`);
  const form = await (await fetch(authorizeUrl)).text();
  const [signInForm] = formsWith(form, 'name="password"');
  if (!signInForm) throw new Error('no sign-in form on the hosted page');
  const body = new URLSearchParams([...hiddenInputs(signInForm), ['email', email], ['password', password], ['intent', 'password']]);
  const submitted = await fetch(new URL('/user_management/authorize/submit', authorizeUrl), { method: 'POST', body, redirect: 'manual' });
  const back = submitted.headers.get('location');
  if (submitted.status !== 302 || !back) throw new Error(`hosted sign-in answered ${submitted.status}`);
  // The redirect URI baked in at build time names the demo's default port; the callback is the same app here.
  const callback = new URL(back);
  const res = await fetch(`${stack.baseUrl}${callback.pathname}${callback.search}`, { redirect: 'manual', headers: { cookie: jar.header() ?? '' } });
  jar.take(res);
  if (res.status !== 307 && res.status !== 302) throw new Error(`/callback answered ${res.status}`);
  const { sid, sub } = await identityOf(stack, jar);
  return { jar, sid, userId: sub, email };
}

/** Signs in with the password grant and seals the result into authkit's cookie. */
export async function signInPasswordGrant(stack: DemoStack, workos: WorkOS, email: string, password: string): Promise<Session> {
  const auth = await workos.userManagement.authenticateWithPassword({ clientId: stack.emulator.clientId, email, password });
  const jar = new CookieJar();
  jar.set('wos-session', await sealData({ accessToken: auth.accessToken, refreshToken: auth.refreshToken, user: auth.user }, { password: stack.env.WORKOS_COOKIE_PASSWORD ?? '', ttl: 0 }));
  const { sid, sub } = claimsOf(auth.accessToken);
  return { jar, sid, userId: sub, email };
}

/** A session sealed with a password that is not the app's: a forged cookie. */
export async function forgedSession(stack: DemoStack, workos: WorkOS): Promise<Session> {
  const auth = await workos.userManagement.authenticateWithPassword({ clientId: stack.emulator.clientId, email: 'alice@acme.test', password: 'alice-password-1' });
  const jar = new CookieJar();
  jar.set('wos-session', await sealData({ accessToken: auth.accessToken, refreshToken: auth.refreshToken, user: auth.user }, { password: 'not-the-apps-cookie-password-0123456789abc', ttl: 0 }));
  return { jar, sid: null, userId: null, email: null };
}

/** Signs out through the app's `/logout` and follows it to WorkOS, keeping a copy of the old cookie to replay. */
export async function signOutKeepingCookie(stack: DemoStack, session: Session): Promise<Session> {
  const replay = new CookieJar();
  replay.set('wos-session', session.jar.get('wos-session') ?? '');
  const res = await fetch(`${stack.baseUrl}/logout`, { redirect: 'manual', headers: { cookie: session.jar.header() ?? '' } });
  const next = res.headers.get('location');
  if (!next || res.status >= 400) throw new Error(`/logout answered ${res.status}`);
  if (next.startsWith(stack.emulator.url)) await fetch(next, { redirect: 'manual' });
  return { ...session, jar: replay };
}
