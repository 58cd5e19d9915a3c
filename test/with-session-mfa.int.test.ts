/**
 * withSessionMfa for route handlers and server actions, with sessions from real emulator tokens (verified
 * against its JWKS, the bearer-token source an API would use) and the ledger in real Redis (node-redis).
 * Sessions come from the library's own test sign-in (`signInForTest`), MFA recorded through the same ledger.
 */
import { WorkOS } from '@workos-inc/node';
import { notFound, redirect } from 'next/navigation';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startWorkosEmulator, type WorkosEmulator } from '../emulators/workos';
import { isStepUpRequired } from '../lib/core/step-up-response';
import { mfaPreset } from '../lib/core/policy';
import { createSessionLedger, type SessionLedger } from '../lib/ledger/ledger';
import { redisStore } from '../lib/ledger/redis-node';
import { createServerSessionMfa, type ServerSessionMfa } from '../lib/next/with-session-mfa';
import { createSessionMfa } from '../lib/session-mfa';
import { signInForTest } from '../lib/testing';
import { createAccessTokenVerifier, workosJwksUrl } from '../lib/token/verify';

let emulator: WorkosEmulator;
let redis: ReturnType<typeof createClient>;
let ledger: SessionLedger;
let server: ServerSessionMfa;
let workos: WorkOS;
let currentToken: string | null = null;
/** The seal is not used here (sessions travel as bearer tokens), but the helper always makes one. */
const COOKIE_PASSWORD = 'with-session-mfa-cookie-password-0123456789';

beforeAll(async () => {
  emulator = await startWorkosEmulator({ port: 0 });
  workos = new WorkOS(emulator.apiKey, {
    apiHostname: '127.0.0.1',
    https: false,
    port: emulator.port,
    clientId: emulator.clientId,
  });
  redis = await createClient({ url: inject('redisUrl') }).connect();
  ledger = createSessionLedger({ store: redisStore(redis), keyPrefix: 'wsm-test' });
  const verify = createAccessTokenVerifier({
    jwksUrl: workosJwksUrl(emulator.clientId, { apiHostname: '127.0.0.1', https: false, port: emulator.port }),
  });
  // Bearer-token source: the Authorization header of the request, else the "current" token (actions).
  const session = async (request: Request | null) => {
    const token = request?.headers.get('authorization')?.replace(/^Bearer /, '') ?? currentToken;
    if (!token) return null;
    try {
      return await verify(token);
    } catch {
      return null;
    }
  };
  server = createServerSessionMfa(createSessionMfa({ ledger }), { session });
});

afterAll(async () => {
  await redis?.quit();
  await emulator?.close();
});

/** Alice signed in; with `mfaAgo` (seconds), MFA recorded in the ledger that long ago. */
async function signIn(mfaAgo?: number) {
  const session = await signInForTest({
    workos,
    clientId: emulator.clientId,
    email: 'alice@acme.test',
    password: 'alice-password-1',
    cookiePassword: COOKIE_PASSWORD,
    ...(mfaAgo === undefined ? {} : { mfa: { ledger, ago: mfaAgo } }),
  });
  return { token: session.accessToken };
}

const get = (token?: string) =>
  new Request('http://app.test/api/admin/report', {
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      referer: 'http://app.test/admin?tab=1',
      host: 'app.test',
    },
  });

describe('withSessionMfa — route handlers', () => {
  let calls = 0;
  const handler = async () => {
    calls++;
    return Response.json({ report: 'ok' });
  };

  it('401 when not signed in; the handler does not run', async () => {
    const route = server.withSessionMfa(handler, mfaPreset('aal2'));
    const res = await route(get(), {});
    expect(res.status).toBe(401);
    expect(calls).toBe(0);
  });

  it('403 with the RFC 9470 header and JSON body without MFA; step_up_url returns to the referring page', async () => {
    const { token } = await signIn();
    const res = await server.withSessionMfa(handler, mfaPreset('aal2'))(get(token), {});
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toContain('error="insufficient_user_authentication"');
    expect(res.headers.get('www-authenticate')).toContain('max_age=43200');
    expect(await res.json()).toMatchObject({
      error: 'insufficient_user_authentication',
      reason: 'no_evidence',
      step_up_url: '/step-up?return_to=%2Fadmin%3Ftab%3D1',
    });
    expect(calls).toBe(0);
  });

  it('runs the handler once the session has fresh MFA in the ledger', async () => {
    const { token } = await signIn(0);
    const res = await server.withSessionMfa(handler, mfaPreset('aal2'))(get(token), {});
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ report: 'ok' });
    expect(calls).toBe(1);
  });

  it('403 stale when the MFA is older than the policy allows', async () => {
    const { token } = await signIn(700);
    const res = await server.withSessionMfa(handler, mfaPreset('strict'))(get(token), {});
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ reason: 'stale', max_age: 600 });
  });

  it('ignores a foreign referer when building step_up_url', async () => {
    const { token } = await signIn();
    const req = new Request('http://app.test/api/admin/report', {
      headers: { authorization: `Bearer ${token}`, referer: 'https://evil.example/phish', host: 'app.test' },
    });
    expect(await (await server.withSessionMfa(handler, mfaPreset('aal2'))(req, {})).json()).toMatchObject({
      step_up_url: '/step-up?return_to=%2F',
    });
  });
});

describe('withSessionMfa — server actions', () => {
  it('returns a serializable step-up result instead of running, never throws', async () => {
    const { token } = await signIn();
    currentToken = token;
    let ran = 0;
    const action = server.withSessionMfa(
      async (name: string) => {
        ran++;
        return { rotated: name };
      },
      mfaPreset('strict'),
      { name: 'rotate' },
    );
    const result = await action('key-1');
    expect(isStepUpRequired(result)).toBe(true);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
    expect(result).toMatchObject({
      sessionMfa: 'step_up_required',
      reason: 'no_evidence',
      policy: 'strict',
      maxAge: 600,
    });
    expect(ran).toBe(0);
  });

  it('runs and returns the action result with fresh MFA', async () => {
    const { token } = await signIn(0);
    currentToken = token;
    const action = server.withSessionMfa(async (name: string) => ({ rotated: name }), mfaPreset('strict'), {
      name: 'rotate',
    });
    expect(await action('key-2')).toEqual({ rotated: 'key-2' });
  });

  it("passes Next's redirect() and notFound() through untouched", async () => {
    const { token } = await signIn(0);
    currentToken = token;
    const redirecting = server.withSessionMfa(
      async (): Promise<string> => redirect('/admin/keys?rotated=1'),
      mfaPreset('strict'),
      { name: 'redirecting' },
    );
    await expect(redirecting()).rejects.toMatchObject({
      digest: expect.stringMatching(/^NEXT_REDIRECT;replace;\/admin\/keys\?rotated=1;307;$/),
    });
    const missing = server.withSessionMfa(async (): Promise<string> => notFound(), mfaPreset('strict'), {
      name: 'missing',
    });
    await expect(missing()).rejects.toMatchObject({ digest: 'NEXT_HTTP_ERROR_FALLBACK;404' });
  });

  it('a signed-out action gets a step-up result with reason not_signed_in', async () => {
    currentToken = null;
    const result = await server.withSessionMfa(async () => 'ran', mfaPreset('strict'), { name: 'signedOut' })();
    expect(result).toMatchObject({ sessionMfa: 'step_up_required', reason: 'not_signed_in' });
  });

  it('refuses to run an action without a name (its audit target would be anonymous in a production build)', async () => {
    const { token } = await signIn(0);
    currentToken = token;
    let ran = 0;
    // @ts-expect-error -- the type requires { name } for a server action
    const unnamed = server.withSessionMfa(async () => ran++, mfaPreset('strict')) as () => Promise<unknown>;
    await expect(unnamed()).rejects.toMatchObject({ code: 'ERR_MFA_CONFIG_INVALID', field: 'name' });
    expect(ran).toBe(0);
  });
});
