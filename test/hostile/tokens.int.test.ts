/**
 * Hostile access tokens through the real middleware path: real authkit verifies the sealed session's token
 * against a JWKS (the emulator's, plus one extra key the gateway vouches for, so crafted claims arrive
 * *validly signed*), and the ledger lives in real Redis behind the Upstash stand-in. Every case asserts the
 * denial, its reason, and that no ledger key changed. Bare verifier cases live in test/token-verify.int.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createAccessTokenVerifier } from '../../lib/token/verify';
import { bodyOf, nowSeconds, passedThrough, startHarness, type Harness } from './support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ redisUrl: inject('redisUrl') });
});
afterAll(() => h?.close());

const user = {
  id: 'user_alice',
  email: 'alice@acme.test',
  object: 'user',
  firstName: 'Alice',
  lastName: null,
  emailVerified: true,
  profilePictureUrl: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

/** A crafted session whose sid has a valid, fresh ledger entry: only the token itself is wrong. */
async function craftedSession(claims: Record<string, unknown>, header: Record<string, unknown> = {}) {
  const sid = `session_crafted_${randomUUID().replaceAll('-', '')}`;
  await h.record({ sid, userId: 'user_alice' });
  const token = await h.gateway.sign(
    { sub: 'user_alice', sid, org_id: 'org_acme', auth_time: nowSeconds() - 60, ...claims },
    header,
  );
  return { sid, token, cookie: await h.seal({ accessToken: token, refreshToken: 'refresh_not_valid', user }) };
}

/** Runs the request and asserts the ledger is byte-for-byte unchanged by it. */
async function unchanged(run: () => Promise<Response>): Promise<Response> {
  const before = await h.snapshot();
  const res = await run();
  expect(await h.snapshot()).toEqual(before);
  return res;
}

describe('a validly signed token that authkit must still refuse', () => {
  it('not yet valid (nbf in the future): refused even though its session has MFA', async () => {
    const { cookie } = await craftedSession({ nbf: nowSeconds() + 3600 });
    const refreshesBefore = h.gateway.forwarded.filter((p) => p === '/user_management/authenticate').length;
    const res = await unchanged(() => h.middleware(h.api('/api/admin/report', cookie)));
    expect(res.status).toBe(401);
    expect(await bodyOf(res)).toMatchObject({ reason: 'not_signed_in' });
    // authkit tried to refresh with the (bogus) refresh token, and WorkOS refused it.
    expect(h.gateway.forwarded.filter((p) => p === '/user_management/authenticate').length).toBe(refreshesBefore + 1);
  });

  it('not yet valid (nbf) through createAccessTokenVerifier names the nbf claim', async () => {
    const { token } = await craftedSession({ nbf: nowSeconds() + 3600 });
    const verify = createAccessTokenVerifier({ jwksUrl: new URL(`${h.gateway.url}/sso/jwks/${h.emulator.clientId}`) });
    await expect(verify(token)).rejects.toMatchObject({
      code: 'ERR_MFA_TOKEN_INVALID',
      cause: { code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', claim: 'nbf' },
    });
    expect((await verify((await craftedSession({})).token)).sub).toBe('user_alice'); // the same key without nbf verifies
  });

  it('expired: refused, and the dead refresh token does not revive it', async () => {
    const { cookie } = await craftedSession({ iat: nowSeconds() - 900, exp: nowSeconds() - 600 });
    const res = await unchanged(() => h.middleware(h.api('/api/admin/report', cookie)));
    expect(res.status).toBe(401);
    expect(await bodyOf(res)).toMatchObject({ reason: 'not_signed_in' });
  });

  it('an unknown critical header extension is refused', async () => {
    const { sid } = await craftedSession({});
    const now = nowSeconds();
    const token = await h.gateway.signRaw(
      { crit: ['urn:x-evil'], 'urn:x-evil': true },
      { iss: h.emulator.issuer, sub: 'user_alice', sid, iat: now, exp: now + 300, auth_time: now },
    );
    const cookie = await h.seal({ accessToken: token, refreshToken: 'refresh_not_valid', user });
    const res = await unchanged(() => h.middleware(h.api('/api/admin/report', cookie)));
    expect(res.status).toBe(401);
    // Control: the same raw signer without `crit` is accepted, so the refusal is about the header alone.
    const plain = await h.gateway.signRaw(
      {},
      { iss: h.emulator.issuer, sub: 'user_alice', sid, iat: now, exp: now + 300, auth_time: now },
    );
    expect(
      passedThrough(
        await h.middleware(h.api('/api/admin/report', await h.seal({ accessToken: plain, refreshToken: 'x', user }))),
      ),
    ).toBe(true);
  });

  it('alg "none" carrying MFA claims for a verified session is refused', async () => {
    const { token } = await craftedSession({ amr: ['pwd', 'mfa'] });
    const [, payload] = token.split('.');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
    const cookie = await h.seal({ accessToken: none, refreshToken: 'refresh_not_valid', user });
    const res = await unchanged(() => h.middleware(h.page('/admin', cookie)));
    expect(res.status).toBe(307);
    expect(res.headers.get('location')).toContain('/user_management/authorize'); // sign in again, not the admin page
  });

  it("a key the JWKS does not vouch for, under the gateway's kid, is refused", async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const sid = `session_crafted_${randomUUID().replaceAll('-', '')}`;
    await h.record({ sid, userId: 'user_alice' });
    const token = await new SignJWT({ sub: 'user_alice', sid, amr: ['mfa'], auth_time: nowSeconds() })
      .setProtectedHeader({ alg: 'RS256', kid: h.gateway.kid })
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
    const cookie = await h.seal({ accessToken: token, refreshToken: 'refresh_not_valid', user });
    expect((await unchanged(() => h.middleware(h.api('/api/admin/report', cookie)))).status).toBe(401);
  });
});

describe('validly signed, accepted by authkit, but its MFA claims are unusable', () => {
  // No ledger entry for these sessions: the claims alone decide, and they must not pass.
  async function claimsOnly(claims: Record<string, unknown>) {
    const sid = `session_claims_${randomUUID().replaceAll('-', '')}`;
    const token = await h.gateway.sign({ sub: 'user_alice', sid, org_id: 'org_acme', ...claims });
    return h.seal({ accessToken: token, refreshToken: 'refresh_not_valid', user });
  }

  const NOW = nowSeconds();
  it.each([
    ['amr a string', { amr: 'mfa', auth_time: NOW }],
    ['amr an object', { amr: { mfa: true }, auth_time: NOW }],
    ['amr numbers', { amr: [1, 2], auth_time: NOW }],
    ['amr mixed', { amr: ['mfa', 7], auth_time: NOW }],
    ['amr empty', { amr: [], auth_time: NOW }],
    ['auth_time in the future', { amr: ['pwd', 'mfa'], auth_time: NOW + 3600 }],
    ['auth_time negative', { amr: ['pwd', 'mfa'], auth_time: -1 }],
    ['auth_time huge', { amr: ['pwd', 'mfa'], auth_time: 9_999_999_999_999 }],
    ['auth_time a string', { amr: ['pwd', 'mfa'], auth_time: String(NOW) }],
    ['acr a number', { amr: ['pwd', 'mfa'], auth_time: NOW, acr: 3 }],
  ])('%s → 403 malformed_evidence on /any (no maxAge) and /api/admin (aal2)', async (_name, claims) => {
    const cookie = await claimsOnly(claims);
    for (const path of ['/any/thing', '/api/admin/report']) {
      const auditBefore = h.audit.length;
      const res = await unchanged(() => h.middleware(h.api(path, cookie)));
      expect(res.status, path).toBe(403);
      expect(await bodyOf(res), path).toMatchObject({
        error: 'insufficient_user_authentication',
        reason: 'malformed_evidence',
      });
      expect(h.audit.slice(auditBefore).map((r) => r.reason)).toEqual(['malformed_evidence']);
    }
  });

  it('a page navigation with unusable claims is sent to step-up, never through', async () => {
    const res = await unchanged(async () =>
      h.middleware(h.page('/any/thing', await claimsOnly({ amr: ['pwd', 'mfa'], auth_time: -1 }))),
    );
    expect(res.status).toBe(307);
    expect(new URL(res.headers.get('location')!).pathname).toBe('/step-up');
  });

  it('the same key and path with well-formed MFA claims does pass (the cases above fail for their claims alone)', async () => {
    const res = await h.middleware(
      h.api('/api/admin/report', await claimsOnly({ amr: ['pwd', 'otp'], auth_time: nowSeconds() - 5 })),
    );
    expect(passedThrough(res)).toBe(true);
  });

  it.each([
    ['no sid', { sid: undefined }],
    ['a sid that would escape its ledger key', { sid: 'session_1}:ledger{x' }],
    ['a sid of the wrong type', { sid: 42 }],
  ])('%s: not a session, refused without touching the ledger', async (_name, over) => {
    const token = await h.gateway.sign({ sub: 'user_alice', amr: ['pwd', 'mfa'], auth_time: nowSeconds(), ...over });
    const cookie = await h.seal({ accessToken: token, refreshToken: 'refresh_not_valid', user });
    const res = await unchanged(() => h.middleware(h.api('/api/admin/report', cookie)));
    expect(res.status).toBe(403);
    expect(await bodyOf(res)).toMatchObject({ reason: 'not_signed_in' });
  });
});

describe('real emulator tokens', () => {
  it("a token of bob sealed with alice's user object is judged as bob (the token's sub), not alice", async () => {
    const alice = await h.signIn();
    await h.record(alice);
    const bob = await h.signIn('bob@acme.test', 'bob-password-1');
    const cookie = await h.seal({ accessToken: bob.accessToken, refreshToken: bob.refreshToken, user: alice.user });
    const res = await unchanged(() => h.middleware(h.api('/api/admin/report', cookie)));
    expect(res.status).toBe(403);
    expect(await bodyOf(res)).toMatchObject({ reason: 'no_evidence' });
    expect(h.audit.at(-1)).toMatchObject({ userId: bob.userId, sessionId: bob.sid });
  });
});
