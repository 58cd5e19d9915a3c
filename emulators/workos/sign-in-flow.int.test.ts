import { createRequire } from 'node:module';
import type { WorkOS } from '@workos-inc/node';
import { describe, expect, it } from 'vitest';
import {
  ALICE,
  BOB,
  CAROL,
  REDIRECT_URI,
  hiddenFieldsOf,
  inputValue,
  signInAndExchange,
  signInWithBrowser,
  submitForm,
  verifyAccessToken,
  useEmulator,
  startEmulatorUnderTest,
  type EmulatorUnderTest,
} from './conformance-helpers';
import { ACCESS_TOKEN_TTL_SECONDS } from './lifetimes';
import { idTimestamp } from '../../lib/step-up/factor-eligibility';

let emulator: EmulatorUnderTest;
let workos: WorkOS;

useEmulator((started) => ({ emulator, workos } = started));

function authorizeUrl(overrides: Record<string, string | null> = {}): string {
  const url = new URL(`${emulator.url}/user_management/authorize`);
  const params: Record<string, string | null> = {
    client_id: emulator.clientId,
    redirect_uri: REDIRECT_URI,
    response_type: 'code',
    provider: 'authkit',
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    code_challenge_method: 'S256',
    state: 's',
    ...overrides,
  };
  for (const [key, value] of Object.entries(params)) if (value !== null) url.searchParams.set(key, value);
  return url.toString();
}

describe('hosted sign-in → code → authenticateWithCode', () => {
  it('issues a WorkOS-shaped response whose access token verifies against the JWKS', async () => {
    const auth = await signInAndExchange(emulator, workos, { email: ALICE.email, password: ALICE.password });

    expect(auth.user).toMatchObject({
      object: 'user',
      id: ALICE.id,
      email: ALICE.email,
      emailVerified: true,
      firstName: 'Alice',
    });
    expect(auth.organizationId).toBe('org_acme');
    expect(auth.authenticationMethod).toBe('Password');
    expect(auth.refreshToken).toMatch(/^[A-Za-z0-9_-]{40,}$/);

    const { payload, protectedHeader } = await verifyAccessToken(emulator, workos, auth.accessToken);
    expect(protectedHeader).toMatchObject({ alg: 'RS256', typ: 'JWT' });
    expect(protectedHeader.kid).toMatch(/\S+/);
    // Exactly WorkOS's documented claims (docs "Access Token JWT"; no `act` without impersonation).
    expect(Object.keys(payload).sort()).toEqual([
      'entitlements',
      'exp',
      'iat',
      'iss',
      'jti',
      'org_id',
      'permissions',
      'role',
      'roles',
      'sid',
      'sub',
    ]);
    expect(payload).toMatchObject({
      iss: `https://api.workos.com/user_management/${emulator.clientId}`,
      sub: ALICE.id,
      org_id: 'org_acme',
      role: 'admin',
      roles: ['admin'],
      permissions: ['users:manage', 'billing:manage'],
      entitlements: [],
    });
    expect(payload.sid).toMatch(/^session_[0-9A-Z]{26}$/);
    expect(payload.jti).toMatch(/^[0-9A-Z]{26}$/);
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(ACCESS_TOKEN_TTL_SECONDS);
  });

  it('adds auth_time only behind the authTimeClaim switch', async () => {
    await emulator.control.configure({ authTimeClaim: true });
    const auth = await signInAndExchange(emulator, workos, { email: ALICE.email, password: ALICE.password });
    const { payload } = await verifyAccessToken(emulator, workos, auth.accessToken);
    expect(payload.auth_time).toBe(payload.iat);
    expect(payload).not.toHaveProperty('amr');
  });

  it('encodes the emulator clock, not the wall clock, in session ids', async () => {
    await emulator.control.advanceClock(3 * 86_400);
    const auth = await signInAndExchange(emulator, workos, { email: BOB.email, password: BOB.password });
    const sid = String((await verifyAccessToken(emulator, workos, auth.accessToken)).payload.sid);
    // The project's own decoder (what the step-up uses when a token has no auth_time).
    const startedAt = idTimestamp(sid);
    expect(startedAt).not.toBeNull();
    expect(Math.abs(startedAt! - Math.floor(emulator.control.now() / 1000))).toBeLessThanOrEqual(1);
    expect(startedAt! - Math.floor(Date.now() / 1000)).toBeGreaterThan(3 * 86_400 - 60);
    expect((await emulator.control.sessions()).find((s) => s.id === sid)).toMatchObject({ auth_time: startedAt });
  });

  it('verifies with the jose copy authkit-nextjs itself loads, called as its proxy calls it (no options)', async () => {
    const fromAuthkit = createRequire(
      new URL('../../node_modules/@workos-inc/authkit-nextjs/package.json', import.meta.url),
    );
    expect(fromAuthkit('jose/package.json')).toMatchObject({ version: expect.stringMatching(/^5\./) });
    const authkitJose = fromAuthkit('jose') as typeof import('jose');
    const auth = await signInAndExchange(emulator, workos, { email: BOB.email, password: BOB.password });
    const jwks = authkitJose.createRemoteJWKSet(new URL(workos.userManagement.getJwksUrl(emulator.clientId)));
    const { payload } = await authkitJose.jwtVerify(auth.accessToken, jwks);
    expect(payload).toMatchObject({ sub: BOB.id, org_id: 'org_acme', role: 'member' });
  });

  it('serves one RS256 signing key with kid, alg and use at /sso/jwks/{clientId}', async () => {
    const response = await fetch(workos.userManagement.getJwksUrl(emulator.clientId));
    expect(response.headers.get('content-type')).toContain('application/json');
    const { keys } = (await response.json()) as { keys: Array<Record<string, unknown>> };
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', e: 'AQAB' });
    // 2048-bit modulus = 256 bytes = 342 base64url characters.
    expect(String(keys[0]?.n)).toHaveLength(342);
    expect(keys[0]).not.toHaveProperty('d');
  });

  it('returns state verbatim, including the characters of an iron-sealed blob', async () => {
    const state = 'Fe26.2*1*abc+/=&x y%~2';
    const { callback } = await signInWithBrowser(emulator, workos, { email: BOB.email, password: BOB.password, state });
    expect(callback.origin + callback.pathname).toBe(REDIRECT_URI);
    expect(callback.searchParams.get('state')).toBe(state);
  });

  it('pre-fills the email from login_hint', async () => {
    const html = await (await fetch(authorizeUrl({ login_hint: 'bob@acme.test' }))).text();
    expect(inputValue(html, 'email')).toBe('bob@acme.test');
    expect(html).toContain('<label for="password">Password</label>');
  });

  it('shows the error and the form again on a wrong password, without issuing a code', async () => {
    const fields = hiddenFieldsOf(await (await fetch(authorizeUrl())).text());
    fields.set('email', ALICE.email);
    fields.set('password', 'wrong');
    fields.set('intent', 'password');
    const response = await submitForm(emulator, fields);
    expect(response.status).toBe(401);
    const html = await response.text();
    expect(html).toContain('role="alert"');
    expect(html).toContain('Incorrect email or password.');
    expect(inputValue(html, 'email')).toBe(ALICE.email);
    expect(hiddenFieldsOf(html).get('state')).toBe('s');
    expect(await emulator.control.sessions()).toHaveLength(0);
  });

  it('signs an SSO-style user in with "Continue with SSO" and reports authentication_method SSO', async () => {
    const auth = await signInAndExchange(emulator, workos, { email: CAROL.email, intent: 'sso' });
    expect(auth.authenticationMethod).toBe('SSO');
    expect(auth.organizationId).toBe('org_globex');
    const { payload } = await verifyAccessToken(emulator, workos, auth.accessToken);
    expect(payload).toMatchObject({ sub: CAROL.id, org_id: 'org_globex', role: 'admin' });
  });

  it('refuses SSO for a password user and a password for an SSO user', async () => {
    const fields = hiddenFieldsOf(await (await fetch(authorizeUrl())).text());
    fields.set('email', BOB.email);
    fields.set('intent', 'sso');
    const sso = await submitForm(emulator, fields);
    expect(sso.status).toBe(400);
    expect(await sso.text()).toContain('No SSO connection');

    fields.set('email', CAROL.email);
    fields.set('password', 'anything');
    fields.set('intent', 'password');
    const password = await submitForm(emulator, fields);
    expect(password.status).toBe(401);
    expect(await emulator.control.sessions()).toHaveLength(0);
  });

  it('signs in afresh with a new auth_time and sid for prompt=login and max_age=0', async () => {
    await emulator.control.configure({ authTimeClaim: true });
    const first = await signInAndExchange(emulator, workos, { email: BOB.email, password: BOB.password });
    const firstClaims = (await verifyAccessToken(emulator, workos, first.accessToken)).payload;
    await emulator.control.advanceClock(120);

    const again = await signInAndExchange(emulator, workos, {
      email: BOB.email,
      password: BOB.password,
      prompt: 'login',
    });
    const againClaims = (await verifyAccessToken(emulator, workos, again.accessToken)).payload;
    expect(againClaims.auth_time).toBeGreaterThanOrEqual(Number(firstClaims.auth_time) + 120);
    expect(againClaims.sid).not.toBe(firstClaims.sid);

    await emulator.control.advanceClock(60);
    const maxAge = await signInAndExchange(emulator, workos, { email: BOB.email, password: BOB.password, maxAge: 0 });
    const maxAgeClaims = (await verifyAccessToken(emulator, workos, maxAge.accessToken)).payload;
    expect(maxAgeClaims.auth_time).toBeGreaterThanOrEqual(Number(againClaims.auth_time) + 60);
  });

  it('always shows the form, even right after a sign-in (no silent reuse)', async () => {
    await signInWithBrowser(emulator, workos, { email: BOB.email, password: BOB.password });
    const response = await fetch(authorizeUrl({ prompt: 'login', max_age: '0' }), { redirect: 'manual' });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<form method="post"');
  });

  it('honours organization_id: members sign in to it, others are refused', async () => {
    const fields = hiddenFieldsOf(await (await fetch(authorizeUrl({ organization_id: 'org_globex' }))).text());
    fields.set('email', BOB.email);
    fields.set('password', BOB.password);
    fields.set('intent', 'password');
    const refused = await submitForm(emulator, fields);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('not a member of organization org_globex');

    const auth = await signInAndExchange(emulator, workos, {
      email: CAROL.email,
      intent: 'sso',
      organizationId: 'org_globex',
    });
    expect(auth.organizationId).toBe('org_globex');
  });
});

describe('authorize request validation', () => {
  it('rejects an unknown client_id or redirect_uri with a 400 page, never redirecting', async () => {
    const badClient = await fetch(authorizeUrl({ client_id: 'client_other' }), { redirect: 'manual' });
    expect(badClient.status).toBe(400);
    expect(await badClient.text()).toContain('invalid_client');

    const badRedirect = await fetch(authorizeUrl({ redirect_uri: 'javascript:alert(1)' }), { redirect: 'manual' });
    expect(badRedirect.status).toBe(400);
    expect(await badRedirect.text()).toContain('invalid_redirect_uri');
  });

  it('enforces the configured redirect URI allow-list', async () => {
    const strict = await startEmulatorUnderTest({ redirectUris: [REDIRECT_URI] });
    try {
      const url = new URL(authorizeUrl({ redirect_uri: 'http://localhost:3000/other' }));
      url.port = String(strict.port);
      expect((await fetch(url, { redirect: 'manual' })).status).toBe(400);
      url.searchParams.set('redirect_uri', REDIRECT_URI);
      expect((await fetch(url, { redirect: 'manual' })).status).toBe(200);
    } finally {
      await strict.close();
    }
  });

  it('sends other errors back to the redirect URI with the state', async () => {
    const cases: Array<[Record<string, string | null>, string]> = [
      [{ response_type: 'token' }, 'unsupported_response_type'],
      [{ code_challenge_method: 'plain' }, 'invalid_request'],
      [{ provider: 'GoogleOAuth' }, 'invalid_request'],
      [{ organization_id: 'org_missing' }, 'invalid_request'],
      [{ max_age: '-1' }, 'invalid_request'],
      [{ prompt: 'none' }, 'login_required'],
    ];
    for (const [overrides, error] of cases) {
      const response = await fetch(authorizeUrl({ ...overrides, state: 'keep-me' }), { redirect: 'manual' });
      expect(response.status, JSON.stringify(overrides)).toBe(302);
      const location = new URL(response.headers.get('location') ?? '');
      expect(location.searchParams.get('error'), JSON.stringify(overrides)).toBe(error);
      expect(location.searchParams.get('state')).toBe('keep-me');
      expect(location.searchParams.has('code')).toBe(false);
    }
  });
});
