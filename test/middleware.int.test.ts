/**
 * The Edge middleware end to end at the library level: the real authkit-nextjs verifies a real sealed session
 * against the WorkOS emulator's JWKS, and the ledger lives in real Redis behind the Upstash stand-in. Sessions
 * come from the library's own test sign-in (`signInForTest`), MFA recorded through the same ledger; entries and
 * cookies that are attacks are written by hand.
 */
import { Redis } from '@upstash/redis';
import { WorkOS } from '@workos-inc/node';
import { sealData } from 'iron-session';
import type { NextRequest as NextRequestType } from 'next/server';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startWorkosEmulator, type WorkosEmulator, authkitEnv } from '../emulators/workos';
import { startUpstashStandIn, type UpstashStandIn } from '../emulators/upstash/server';
import { signInForTest } from '../lib/testing';

const COOKIE_PASSWORD = 'middleware-test-cookie-password-0123456789';
let emulator: WorkosEmulator;
let standIn: UpstashStandIn;
let middleware: (req: NextRequestType) => Promise<Response>;
let NextRequest: typeof NextRequestType;
let ledger: import('../lib/ledger/ledger').SessionLedger;
let workos: WorkOS;
let edge: typeof import('../test-support/lib-edge');
let sessionMfa: import('../lib/session-mfa').SessionMfa;

beforeAll(async () => {
  emulator = await startWorkosEmulator({ port: 0 });
  standIn = await startUpstashStandIn({ port: 0, token: 'mw-token', redisUrl: inject('redisUrl') });
  // authkit reads its configuration from the environment when first imported.
  Object.assign(
    process.env,
    authkitEnv({
      port: emulator.port,
      apiKey: emulator.apiKey,
      clientId: emulator.clientId,
      cookiePassword: COOKIE_PASSWORD,
      redirectUri: 'http://localhost:3000/callback',
    }),
  );
  ({ NextRequest } = await import('next/server'));
  edge = await import('../test-support/lib-edge');
  const { upstashStore } = await import('../lib/ledger/upstash');
  const redis = new Redis({ url: standIn.url, token: standIn.token, automaticDeserialization: false });
  ledger = edge.createSessionLedger({ store: upstashStore(redis), keyPrefix: 'mw-test' });
  sessionMfa = edge.createSessionMfa({ ledger });
  middleware = edge.createSessionMfaMiddleware({
    sessionMfa,
    rules: [
      { path: '/admin/:path*', policy: edge.mfaPreset('aal2') },
      { path: '/api/admin/:path*', policy: edge.mfaPreset('aal2') },
    ],
    middlewareAuth: { enabled: true, unauthenticatedPaths: ['/'] },
  }) as typeof middleware;
  workos = new WorkOS(emulator.apiKey, {
    apiHostname: '127.0.0.1',
    https: false,
    port: emulator.port,
    clientId: emulator.clientId,
  });
});

afterAll(async () => {
  await standIn?.close();
  await emulator?.close();
});

/** Signs in; with `{ mfa: true }`, MFA completed just now is recorded in the ledger. */
async function signIn(email: string, password: string, options: { mfa?: boolean } = {}) {
  const session = await signInForTest({
    workos,
    clientId: emulator.clientId,
    email,
    password,
    cookiePassword: COOKIE_PASSWORD,
    ...(options.mfa ? { mfa: { ledger } } : {}),
  });
  return { session, cookie: session.cookieHeader, sid: session.sessionId, userId: session.userId };
}

const page = (path: string, cookie?: string) =>
  new NextRequest(`http://localhost:3000${path}`, {
    headers: { accept: 'text/html', 'sec-fetch-dest': 'document', ...(cookie ? { cookie } : {}) },
  });
const api = (path: string, cookie?: string, extra: Record<string, string> = {}) =>
  new NextRequest(`http://localhost:3000${path}`, {
    headers: { accept: 'application/json', ...(cookie ? { cookie } : {}), ...extra },
  });
const passedThrough = (res: Response) => res.headers.get('x-middleware-next') === '1';

describe('session-MFA middleware with real authkit', () => {
  it('sends a signed-in page navigation without MFA to step-up, keeping where it was going', async () => {
    const { cookie } = await signIn('alice@acme.test', 'alice-password-1');
    const res = await middleware(page('/admin/keys?tab=2', cookie));
    expect(res.status).toBe(307);
    expect(new URL(res.headers.get('location')!).pathname + new URL(res.headers.get('location')!).search).toBe(
      '/step-up?return_to=%2Fadmin%2Fkeys%3Ftab%3D2',
    );
  });

  it('answers an API request without MFA with 403 and the RFC 9470 challenge', async () => {
    const { cookie } = await signIn('alice@acme.test', 'alice-password-1');
    const res = await middleware(api('/api/admin/report', cookie));
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toMatch(
      /^Bearer error="insufficient_user_authentication", error_description="[^"]+", max_age=43200$/,
    );
    expect(await res.json()).toMatchObject({
      error: 'insufficient_user_authentication',
      reason: 'no_evidence',
      policy: 'aal2',
    });
  });

  it('never redirects a server-action POST: refuses it without MFA (next-action is client-set), passes it with', async () => {
    const { session, cookie } = await signIn('alice@acme.test', 'alice-password-1');
    const action = () =>
      new NextRequest('http://localhost:3000/admin/keys', {
        method: 'POST',
        headers: { cookie, 'next-action': 'a1b2c3', accept: 'text/x-component' },
      });
    const refused = await middleware(action());
    expect(refused.status).toBe(403);
    expect(refused.headers.get('location')).toBeNull();
    // Plain text, so Next's client throws an error carrying it, which useStepUp turns into the step-up dialog.
    expect(refused.headers.get('content-type')).toBe('text/plain');
    expect(await refused.text()).toMatch(
      /^authkit-session-mfa:step_up_required:v1 \{"sessionMfa":"step_up_required","reason":"no_evidence",.*"stepUpUrl":"\/step-up\?return_to=%2Fadmin%2Fkeys"\}$/,
    );
    await session.recordMfa({ ledger });
    const res = await middleware(action());
    expect(res.status).toBe(200);
    expect(passedThrough(res)).toBe(true);

    // Signed out under the rule: 401, plain text too (a sentence, not a step-up).
    const signedOut = await middleware(
      new NextRequest('http://localhost:3000/admin/keys', {
        method: 'POST',
        headers: { 'next-action': 'a1b2c3', accept: 'text/x-component' },
      }),
    );
    expect([signedOut.status, signedOut.headers.get('content-type'), signedOut.headers.get('location')]).toEqual([
      401,
      'text/plain',
      null,
    ]);
  });

  it('lets the session through once its ledger entry exists, and stops again when it is removed', async () => {
    const { cookie, sid } = await signIn('alice@acme.test', 'alice-password-1', { mfa: true });
    const ok = await middleware(page('/admin', cookie));
    expect(passedThrough(ok)).toBe(true);
    expect(ok.headers.get('x-middleware-request-x-workos-session')).toBeTruthy();
    await ledger.remove(sid);
    expect((await middleware(page('/admin', cookie))).status).toBe(307);
  });

  it("does not accept another session's or another user's ledger entry", async () => {
    const alice = await signIn('alice@acme.test', 'alice-password-1');
    await signIn('alice@acme.test', 'alice-password-1', { mfa: true }); // her other session has MFA
    const bob = await signIn('bob@acme.test', 'bob-password-1');
    expect((await middleware(api('/api/admin/report', alice.cookie))).status).toBe(403);
    // An entry under bob's sid claiming alice: bound to the wrong user (planted by hand, as an attacker would).
    await ledger.record({
      sessionId: bob.sid,
      userId: alice.userId,
      verifiedAt: Math.floor(Date.now() / 1000),
      methods: ['otp'],
      source: 'step_up',
    });
    const res = await middleware(api('/api/admin/report', bob.cookie));
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ reason: 'foreign_user' });
  });

  it('treats a tampered session token as signed out', async () => {
    const { sid, userId } = await signIn('alice@acme.test', 'alice-password-1', { mfa: true });
    // ATTACK: bob's real token with alice's sub and sid swapped in (its signature no longer matches), sealed by hand.
    const auth = await workos.userManagement.authenticateWithPassword({
      clientId: emulator.clientId,
      email: 'bob@acme.test',
      password: 'bob-password-1',
    });
    const [h, p, s] = auth.accessToken.split('.');
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
    const forged = [h, Buffer.from(JSON.stringify({ ...claims, sub: userId, sid })).toString('base64url'), s].join('.');
    const cookie = `wos-session=${await sealData({ accessToken: forged, refreshToken: 'x', user: { ...auth.user, id: userId, email: 'alice@acme.test' } }, { password: COOKIE_PASSWORD, ttl: 0 })}`;
    const res = await middleware(api('/api/admin/report', cookie));
    expect(res.status).toBe(401);
  });

  it('ignores spoofed authkit and MFA headers from the client', async () => {
    await signIn('alice@acme.test', 'alice-password-1', { mfa: true });
    const bob = await signIn('bob@acme.test', 'bob-password-1');
    const res = await middleware(
      api('/api/admin/report', bob.cookie, {
        'x-workos-session': 'spoofed',
        'x-workos-middleware': 'true',
        'x-session-mfa': 'verified',
      }),
    );
    expect(res.status).toBe(403);
  });

  it('sends signed-out page navigations to AuthKit sign-in and signed-out API calls get 401', async () => {
    const nav = await middleware(page('/admin'));
    expect(nav.status).toBe(307);
    expect(nav.headers.get('location')).toContain(`${emulator.url}/user_management/authorize`);
    expect((await middleware(api('/api/admin/report'))).status).toBe(401);
    expect((await middleware(page('/account'))).status).toBe(307);
  });

  it('leaves unprotected paths alone', async () => {
    expect(passedThrough(await middleware(page('/')))).toBe(true);
    const { cookie } = await signIn('bob@acme.test', 'bob-password-1');
    expect(passedThrough(await middleware(page('/account', cookie)))).toBe(true);
  });
});

describe("authkit's own middleware settings", () => {
  const build = (settings: Partial<Parameters<typeof edge.createSessionMfaMiddleware>[0]>) =>
    edge.createSessionMfaMiddleware({
      sessionMfa,
      rules: [{ path: '/admin/:path*', policy: edge.mfaPreset('aal2') }],
      ...settings,
    }) as typeof middleware;

  it('middlewareAuth: signed-out pages outside unauthenticatedPaths go to sign-in, APIs get 401, open paths pass', async () => {
    const mw = build({ middlewareAuth: { enabled: true, unauthenticatedPaths: ['/', '/docs/:path*'] } });
    expect((await mw(page('/settings'))).status).toBe(307);
    expect((await mw(api('/api/private'))).status).toBe(401);
    expect(passedThrough(await mw(page('/docs/intro')))).toBe(true);
    expect(passedThrough(await mw(page('/')))).toBe(true);
  });

  it('middlewareAuth never forces sign-in on the callback path (it would loop), as authkit does', async () => {
    const mw = build({ middlewareAuth: { enabled: true, unauthenticatedPaths: [] } });
    expect(passedThrough(await mw(page('/callback?code=x')))).toBe(true);
  });

  it('without middlewareAuth only the rules need a signed-in user', async () => {
    const mw = build({});
    expect(passedThrough(await mw(page('/settings')))).toBe(true);
    expect((await mw(page('/admin'))).status).toBe(307);
  });

  it('signUpPaths open AuthKit on its sign-up screen', async () => {
    const mw = build({ middlewareAuth: { enabled: true, unauthenticatedPaths: [] }, signUpPaths: ['/join'] });
    expect(new URL((await mw(page('/join'))).headers.get('location')!).searchParams.get('screen_hint')).toBe('sign-up');
    expect(new URL((await mw(page('/settings'))).headers.get('location')!).searchParams.get('screen_hint')).toBe(
      'sign-in',
    );
  });

  it('refuses a bad path pattern when it is configured, naming the option', () => {
    expect(() => build({ middlewareAuth: { enabled: true, unauthenticatedPaths: ['/(unclosed'] } })).toThrow(
      expect.objectContaining({ code: 'ERR_MFA_CONFIG_INVALID', field: 'middlewareAuth.unauthenticatedPaths[0]' }),
    );
  });
});
