import { OauthException, type WorkOS } from '@workos-inc/node';
import { describe, expect, it } from 'vitest';
import {
  BOB,
  controlRequest,
  rejectionOf,
  sdkFor,
  signInWithBrowser,
  specOracle,
  useEmulator,
  type EmulatorUnderTest,
} from './conformance-helpers';
import type { RecordedTraffic } from './traffic-recorder';
import { AUTHORIZATION_CODE_TTL_MS } from './lifetimes';

let emulator: EmulatorUnderTest;
let workos: WorkOS;

useEmulator((started) => ({ emulator, workos } = started));

function exchange(sdk: WorkOS, code: string, codeVerifier: string) {
  return sdk.userManagement.authenticateWithCode({ clientId: emulator.clientId, code, codeVerifier });
}

async function rawPost(path: string, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${emulator.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${emulator.apiKey}`, ...headers },
    body,
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    json: (await response.json()) as Record<string, unknown>,
  };
}

describe('code exchange errors change no state', () => {
  it('wrong client secret → 400 invalid_client (OauthException, as WorkOS’s spec documents); the code still works afterwards', async () => {
    const { code, codeVerifier } = await signInWithBrowser(emulator, workos, {
      email: BOB.email,
      password: BOB.password,
    });
    const error = await rejectionOf(exchange(sdkFor(emulator, 'sk_test_wrong'), code, codeVerifier));
    expect(error).toBeInstanceOf(OauthException);
    expect(error).toMatchObject({ status: 400, error: 'invalid_client' });
    expect((await exchange(workos, code, codeVerifier)).user.id).toBe(BOB.id);
  });

  it('bad PKCE verifier → 400 invalid_grant; the code still works with the right verifier', async () => {
    const { code, codeVerifier } = await signInWithBrowser(emulator, workos, {
      email: BOB.email,
      password: BOB.password,
    });
    // Change the last character (to one it is not), so the verifier always differs.
    const error = await rejectionOf(
      exchange(workos, code, `${codeVerifier.slice(0, -1)}${codeVerifier.endsWith('x') ? 'y' : 'x'}`),
    );
    expect(error).toBeInstanceOf(OauthException);
    expect(error).toMatchObject({ status: 400, error: 'invalid_grant' });
    expect((await exchange(workos, code, codeVerifier)).user.id).toBe(BOB.id);
  });

  it('a code without its verifier (public client) is refused; with it, accepted without a client secret', async () => {
    const { code, codeVerifier } = await signInWithBrowser(emulator, workos, {
      email: BOB.email,
      password: BOB.password,
    });
    const missing = await rawPost(
      '/user_management/authenticate',
      JSON.stringify({ grant_type: 'authorization_code', client_id: emulator.clientId, code }),
    );
    expect(missing).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
    const auth = await workos.userManagement.authenticateWithCodeAndVerifier({
      clientId: emulator.clientId,
      code,
      codeVerifier,
    });
    expect(auth.user.id).toBe(BOB.id);
  });

  it('reused code → 400 invalid_grant; the first tokens stay valid', async () => {
    const { code, codeVerifier } = await signInWithBrowser(emulator, workos, {
      email: BOB.email,
      password: BOB.password,
    });
    const first = await exchange(workos, code, codeVerifier);
    const error = await rejectionOf(exchange(workos, code, codeVerifier));
    expect(error).toMatchObject({
      status: 400,
      error: 'invalid_grant',
      errorDescription: 'The code has already been used.',
    });
    const refreshed = await workos.userManagement.authenticateWithRefreshToken({
      clientId: emulator.clientId,
      refreshToken: first.refreshToken,
    });
    expect(refreshed.user.id).toBe(BOB.id);
  });

  it('expired code (10 minutes) → 400 invalid_grant', async () => {
    const { code, codeVerifier } = await signInWithBrowser(emulator, workos, {
      email: BOB.email,
      password: BOB.password,
    });
    await emulator.control.advanceClock(AUTHORIZATION_CODE_TTL_MS / 1000 + 1);
    expect(await rejectionOf(exchange(workos, code, codeVerifier))).toMatchObject({
      status: 400,
      error: 'invalid_grant',
      errorDescription: 'The code has expired.',
    });
  });

  it('unknown code and wrong client_id are refused', async () => {
    expect(await rejectionOf(exchange(workos, 'made-up', 'x'.repeat(43)))).toMatchObject({
      status: 400,
      error: 'invalid_grant',
    });
    const otherClient = await rejectionOf(
      workos.userManagement.authenticateWithCode({
        clientId: 'client_other',
        code: 'made-up',
        codeVerifier: 'x'.repeat(43),
      }),
    );
    expect(otherClient).toMatchObject({ status: 400, error: 'invalid_client' });
  });
});

describe('malformed and unknown requests', () => {
  it('malformed JSON → 400 JSON error; sessions unchanged', async () => {
    await signInWithBrowser(emulator, workos, { email: BOB.email, password: BOB.password });
    const before = JSON.stringify(await emulator.control.sessions());
    for (const path of [
      '/user_management/authenticate',
      '/auth/factors/auth_factor_alice_totp/challenge',
      '/audit_logs/events',
    ]) {
      const response = await rawPost(path, '{"grant_type": "refresh_token",');
      expect(response.status, path).toBe(400);
      expect(response.contentType).toContain('application/json');
      expect(response.json).toMatchObject({ code: 'invalid_json', message: expect.any(String) });
    }
    expect(JSON.stringify(await emulator.control.sessions())).toBe(before);
  });

  it('unsupported grant type → 400 unsupported_grant_type', async () => {
    const response = await rawPost(
      '/user_management/authenticate',
      JSON.stringify({
        grant_type: 'client_credentials',
        client_id: emulator.clientId,
        client_secret: emulator.apiKey,
      }),
    );
    expect(response).toMatchObject({ status: 400, json: { error: 'unsupported_grant_type' } });
  });

  it('unknown route → 404 JSON; wrong method → 405 JSON', async () => {
    const missing = await fetch(`${emulator.url}/user_management/nothing-here`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/json');
    expect(await missing.json()).toMatchObject({ message: expect.stringContaining('Not Found') });
    const wrongMethod = await fetch(`${emulator.url}/user_management/authenticate`);
    expect(wrongMethod.status).toBe(405);
  });

  it('API routes need the bearer API key; authorize, JWKS and logout do not', async () => {
    const noAuth = await fetch(`${emulator.url}/user_management/users/user_bob`);
    expect(noAuth.status).toBe(401);
    expect(await noAuth.json()).toMatchObject({ code: 'unauthorized' });
    const wrong = await fetch(`${emulator.url}/user_management/users/user_bob`, {
      headers: { Authorization: 'Bearer sk_test_wrong' },
    });
    expect(wrong.status).toBe(401);
    expect((await fetch(`${emulator.url}/sso/jwks/${emulator.clientId}`)).status).toBe(200);
    expect(
      (
        await fetch(
          `${emulator.url}/user_management/sessions/logout?session_id=session_x&return_to=http%3A%2F%2Flocalhost%3A3000%2F`,
          { redirect: 'manual' },
        )
      ).status,
    ).toBe(302);
  });
});

describe('control routes', () => {
  it('health, config, clock and reset work over HTTP from loopback', async () => {
    await signInWithBrowser(emulator, workos, { email: BOB.email, password: BOB.password });
    expect((await controlRequest(emulator, 'GET', 'sessions')).json.data).toHaveLength(1);
    const health = await controlRequest(emulator, 'GET', 'health');
    expect(health).toMatchObject({
      status: 200,
      json: { status: 'ok', url: emulator.url, config: { claimsMode: 'today', signInMfa: 'off' } },
    });

    const configured = await controlRequest(emulator, 'POST', 'config', {
      claimsMode: 'tomorrow',
      signInMfa: 'required',
      mfaSucceededSessionId: true,
    });
    expect(configured.json).toMatchObject({
      claimsMode: 'tomorrow',
      signInMfa: 'required',
      mfaSucceededSessionId: true,
      webhook: null,
    });
    const bad = await controlRequest(emulator, 'POST', 'config', { claimsMode: 'yesterday' });
    expect(bad).toMatchObject({ status: 400, json: { code: 'invalid_config' } });
    expect((await emulator.control.config()).claimsMode).toBe('tomorrow');

    const before = emulator.control.now();
    const clock = await controlRequest(emulator, 'POST', 'clock', { advanceSeconds: 3600 });
    expect(Number(clock.json.now) - before).toBeGreaterThanOrEqual(3_600_000);

    const reset = await controlRequest(emulator, 'POST', 'reset');
    expect(reset.json).toMatchObject({
      status: 'reset',
      config: { claimsMode: 'today', signInMfa: 'off', mfaSucceededSessionId: false },
    });
    const afterReset = await controlRequest(emulator, 'GET', 'health');
    expect(afterReset.json).toMatchObject({
      clockOffsetSeconds: 0,
      clientId: emulator.clientId,
      issuer: emulator.issuer,
    });
    expect(Math.abs(Number(afterReset.json.now) - Date.now())).toBeLessThan(60_000);
    expect((await controlRequest(emulator, 'GET', 'sessions')).json.data).toEqual([]);
  });

  it('hands what it sent to POST traffic/take once, for a spec check in another process; counts what it served', async () => {
    const served = async () => Number((await controlRequest(emulator, 'GET', 'health')).json.requestsServed);
    const before = await served();
    await workos.userManagement.getUser(BOB.id);
    expect(await served()).toBe(before + 1);
    const { status, json } = await controlRequest(emulator, 'POST', 'traffic/take');
    expect(status).toBe(200);
    const traffic = json as unknown as RecordedTraffic;
    expect(traffic.responses).toEqual([
      expect.objectContaining({
        method: 'GET',
        path: `/user_management/users/${BOB.id}`,
        status: 200,
        contentType: 'application/json; charset=utf-8',
      }),
    ]);
    expect(traffic.responses.flatMap((r) => specOracle().checkResponse(r))).toEqual([]);
    expect(traffic.dropped).toBe(0);
    expect((await controlRequest(emulator, 'POST', 'traffic/take')).json).toEqual({
      responses: [],
      events: [],
      dropped: 0,
    });
  });

  it('lists seeded users with passwords, factors and the current code', async () => {
    const { json } = await controlRequest(emulator, 'GET', 'users');
    expect(json.data).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          email: 'alice@acme.test',
          password: 'alice-password-1',
          totpFactors: [
            expect.objectContaining({
              id: 'auth_factor_alice_totp',
              secret: 'JBSWY3DPEHPK3PXP',
              codeNow: expect.stringMatching(/^\d{6}$/),
            }),
          ],
        }),
        expect.objectContaining({ email: 'carol@globex.test', password: null, sso: true }),
      ]),
    );
  });
});
