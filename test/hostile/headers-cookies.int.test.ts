/**
 * Hostile headers and cookies through the real middleware: spoofed authkit and library headers, forged and
 * replayed session cookies, Next's own `next-action` header used to dodge enforcement. Each case asserts the
 * refusal, its reason, and that no ledger key changed.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readStepUpRequiredMessage } from '../../lib/core/step-up-response';
import { bodyOf, COOKIE_PASSWORD, nowSeconds, passedThrough, startHarness, type Harness } from './support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ redisUrl: inject('redisUrl') });
});
afterAll(() => h?.close());

async function unchanged(run: () => Promise<Response>): Promise<Response> {
  const before = await h.snapshot();
  const res = await run();
  expect(await h.snapshot()).toEqual(before);
  return res;
}

/** The value a request header has in the request Next forwards to the page or route handler. */
const forwarded = (res: Response, name: string) => res.headers.get(`x-middleware-request-${name}`);
const sealedOf = (cookie: string) => cookie.slice('wos-session='.length);

describe('spoofed authkit and library headers', () => {
  it("alice's sealed, MFA-verified session in an x-workos-session header does not lift bob's request", async () => {
    const alice = await h.signIn();
    await h.record(alice);
    const bob = await h.signIn('bob@acme.test', 'bob-password-1');
    const res = await unchanged(() =>
      h.middleware(
        h.api('/api/admin/report', bob.cookie, {
          'x-workos-session': sealedOf(alice.cookie),
          'x-workos-middleware': 'true',
        }),
      ),
    );
    expect(res.status).toBe(403);
    expect(await bodyOf(res)).toMatchObject({ reason: 'no_evidence' });
    expect(h.audit.at(-1)).toMatchObject({ sessionId: bob.sid, userId: bob.userId });
  });

  it('a signed-out request carrying a sealed session in x-workos-session is refused, and the header is not forwarded', async () => {
    const alice = await h.signIn();
    await h.record(alice);
    const spoof = {
      'x-workos-session': sealedOf(alice.cookie),
      'x-workos-middleware': 'true',
      'x-url': 'https://evil.example/',
      'x-redirect-uri': 'https://evil.example/cb',
    };
    const res = await unchanged(() => h.middleware(h.api('/api/admin/report', undefined, spoof)));
    expect(res.status).toBe(401);
    // On an unprotected path the request goes on, but without the client's authkit headers.
    const open = await h.middleware(h.api('/public', undefined, spoof));
    expect(passedThrough(open)).toBe(true);
    expect(forwarded(open, 'x-workos-session')).toBeNull();
    expect(forwarded(open, 'x-url')).toBe('http://localhost:3000/public');
    expect(forwarded(open, 'x-redirect-uri')).not.toBe('https://evil.example/cb');
  });

  it('the session forwarded to the app is always the one the decision was made for', async () => {
    const alice = await h.signIn();
    await h.record(alice);
    const res = await h.middleware(h.api('/api/admin/report', alice.cookie, { 'x-workos-session': 'spoofed' }));
    expect(passedThrough(res)).toBe(true);
    expect(forwarded(res, 'x-workos-session')).toBe(sealedOf(alice.cookie));
  });

  it.each([
    ['x-session-mfa', 'verified'],
    ['x-mfa-verified', 'true'],
    ['x-workos-mfa', 'otp'],
    ['x-middleware-next', '1'],
    ['x-middleware-subrequest', 'middleware:middleware:middleware:middleware:middleware'],
    ['authorization', 'Bearer see-below'],
  ])('a client-set %s header grants nothing', async (name, value) => {
    const bob = await h.signIn('bob@acme.test', 'bob-password-1');
    const mfaToken = await h.gateway.sign({
      sub: bob.userId,
      sid: bob.sid,
      amr: ['pwd', 'mfa'],
      auth_time: nowSeconds(),
    });
    const headerValue = name === 'authorization' ? `Bearer ${mfaToken}` : value;
    const res = await unchanged(() => h.middleware(h.api('/api/admin/report', bob.cookie, { [name]: headerValue })));
    expect(res.status).toBe(403);
    expect(await bodyOf(res)).toMatchObject({ reason: 'no_evidence' });
  });

  it('a signed-out request with an MFA-claiming bearer token is still signed out (the cookie decides)', async () => {
    const token = await h.gateway.sign({
      sub: 'user_alice',
      sid: 'session_bearer_only',
      amr: ['pwd', 'mfa'],
      auth_time: nowSeconds(),
    });
    const res = await unchanged(() =>
      h.middleware(h.api('/api/admin/report', undefined, { authorization: `Bearer ${token}` })),
    );
    expect(res.status).toBe(401);
  });

  it('a hostile x-request-id is not copied into the audit trail; a plain one is', async () => {
    const bob = await h.signIn('bob@acme.test', 'bob-password-1');
    await h.middleware(
      h.api('/api/admin/report', bob.cookie, { 'x-request-id': '=HYPERLINK("https://evil.example")' }),
    );
    expect(h.audit.at(-1)?.requestId).toMatch(/^[0-9a-f-]{36}$/);
    await h.middleware(h.api('/api/admin/report', bob.cookie, { 'x-request-id': 'req-123.abc' }));
    expect(h.audit.at(-1)?.requestId).toBe('req-123.abc');
  });
});

describe("Next's own headers cannot switch enforcement off", () => {
  it('a POST to a protected API route with a forged next-action header is still refused', async () => {
    const bob = await h.signIn('bob@acme.test', 'bob-password-1');
    const res = await unchanged(() =>
      h.middleware(
        h.api(
          '/api/admin/report',
          bob.cookie,
          {
            'next-action': '7f3a9c0d1e2b4a5f6c7d8e9fa0b1c2d3e4f5a6b7c8',
            'content-type': 'text/plain;charset=UTF-8',
            accept: 'text/x-component',
          },
          'POST',
        ),
      ),
    );
    expect(passedThrough(res)).toBe(false);
    expect(res.status).toBe(403);
    // Refused as a server action (plain text carrying the step-up result), never passed on.
    expect(readStepUpRequiredMessage(await res.text())).toMatchObject({ reason: 'no_evidence' });
  });

  it('a signed-out POST with a forged next-action header to a protected API route is refused', async () => {
    const res = await unchanged(() =>
      h.middleware(h.api('/api/admin/report', undefined, { 'next-action': 'abc123' }, 'POST')),
    );
    expect(res.status).toBe(401);
  });

  it('a genuine server-action POST of a verified session still reaches its action', async () => {
    const alice = await h.signIn();
    await h.record(alice);
    const res = await h.middleware(
      h.api('/admin/keys', alice.cookie, { 'next-action': 'abc123', accept: 'text/x-component' }, 'POST'),
    );
    expect(passedThrough(res)).toBe(true);
  });

  it('next-action on a GET is an ordinary request and is refused', async () => {
    const bob = await h.signIn('bob@acme.test', 'bob-password-1');
    const res = await unchanged(() =>
      h.middleware(h.api('/api/admin/report', bob.cookie, { 'next-action': 'abc123' })),
    );
    expect(res.status).toBe(403);
  });

  it('RSC and prefetch headers on an API path turn the refusal into a step-up redirect, never a pass', async () => {
    const bob = await h.signIn('bob@acme.test', 'bob-password-1');
    for (const extra of [{ rsc: '1' }, { 'next-router-prefetch': '1' }] as Record<string, string>[]) {
      const res = await unchanged(() => h.middleware(h.api('/api/admin/report', bob.cookie, extra)));
      expect(passedThrough(res)).toBe(false);
      expect(res.status).toBe(307);
      expect(new URL(res.headers.get('location')!).pathname).toBe('/step-up');
    }
  });
});

describe('forged and replayed session cookies', () => {
  it("alice's MFA-verified session sealed with another password is signed out", async () => {
    const alice = await h.signIn();
    await h.record(alice);
    const forged = await h.seal(
      { accessToken: alice.accessToken, refreshToken: alice.refreshToken, user: alice.user },
      `${COOKIE_PASSWORD}-but-not-the-apps`,
    );
    const res = await unchanged(() => h.middleware(h.api('/api/admin/report', forged)));
    expect(res.status).toBe(401);
    expect(await bodyOf(res)).toMatchObject({ reason: 'not_signed_in' });
  });

  it.each([
    ['garbage', 'wos-session=not-a-seal'],
    ['a truncated seal', 'truncate'],
    ['a seal with a flipped byte', 'flip'],
    ['an empty value', 'wos-session='],
  ])('a cookie that is %s is signed out', async (_name, kind) => {
    const alice = await h.signIn();
    await h.record(alice);
    const seal = sealedOf(alice.cookie);
    const cookie =
      kind === 'truncate'
        ? `wos-session=${seal.slice(0, -20)}`
        : kind === 'flip'
          ? `wos-session=${seal.slice(0, 60)}${seal[60] === 'A' ? 'B' : 'A'}${seal.slice(61)}`
          : kind;
    const res = await unchanged(() => h.middleware(h.api('/api/admin/report', cookie)));
    expect(res.status).toBe(401);
  });

  it('an old cookie replayed after sign-out: its evidence is gone at once, and once its token expires it is signed out', async () => {
    h.emulator.control.advanceClock(-400); // the token is issued already expired (iat −400 s, exp −100 s)
    const stale = await h.signIn();
    h.emulator.control.advanceClock(400);
    const live = await h.signIn();
    await h.record(stale);
    await h.record(live);
    // Sign-out as the app does it: ledger entry removed, then the WorkOS session revoked.
    for (const s of [stale, live]) {
      await h.sessionMfa.removeVerification(
        { sessionId: s.sid, userId: s.userId },
        { target: 'GET /logout', reason: 'sign_out' },
      );
      await h.workos.userManagement.revokeSession({ sessionId: s.sid });
    }
    const stillValidToken = await unchanged(() => h.middleware(h.api('/api/admin/report', live.cookie)));
    expect(stillValidToken.status).toBe(403);
    expect(await bodyOf(stillValidToken)).toMatchObject({ reason: 'no_evidence' });
    const expiredToken = await unchanged(() => h.middleware(h.api('/api/admin/report', stale.cookie)));
    expect(expiredToken.status).toBe(401);
  });

  it('an old cookie replayed after its refresh token was rotated is signed out', async () => {
    h.emulator.control.advanceClock(-400);
    const s = await h.signIn();
    h.emulator.control.advanceClock(400);
    await h.record(s);
    const first = await h.middleware(h.api('/api/admin/report', s.cookie));
    expect(passedThrough(first)).toBe(true); // refreshed: same sid, new token, evidence still bound to the sid
    expect(
      first.headers.getSetCookie().some((c) => c.startsWith('wos-session=') && !c.startsWith('wos-session=;')),
    ).toBe(true);
    const replay = await unchanged(() => h.middleware(h.api('/api/admin/report', s.cookie)));
    expect(replay.status).toBe(401);
  });

  it("a cookie from another app's password cannot be decided as a session of this app", async () => {
    const alice = await h.signIn();
    await h.record(alice);
    const otherApp = await h.seal(
      { accessToken: alice.accessToken, refreshToken: alice.refreshToken, user: alice.user },
      'another-app-cookie-password-0123456789-xyz',
    );
    const res = await unchanged(() => h.middleware(h.page('/admin', otherApp)));
    expect(res.status).toBe(307);
    expect(res.headers.get('location')).toContain('/user_management/authorize');
  });
});
