/**
 * `authkit-session-mfa/testing` as a team's tests use it: real sign-ins through the WorkOS emulator, MFA
 * recorded through the app's own ledger (real Redis behind the Upstash stand-in), and wrapped route handlers
 * and server actions called as a session of the test's choosing — with the server helpers' default session
 * source (authkit's `withAuth()`), no request scope and no mocks of Next.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { Redis } from '@upstash/redis';
import { WorkOS } from '@workos-inc/node';
import { unsealData } from 'iron-session';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startUpstashStandIn, type UpstashStandIn } from '../emulators/upstash/server';
import { startWorkosEmulator, type WorkosEmulator } from '../emulators/workos';
import { isStepUpRequired } from '../lib/core/step-up-response';
import { mfaPreset } from '../lib/core/policy';
import { createSessionLedger, type SessionLedger } from '../lib/ledger/ledger';
import { upstashStore } from '../lib/ledger/upstash';
import { createServerSessionMfa } from '../lib/next/with-session-mfa';
import { testSessionScope } from '../lib/next/test-session';
import { createSessionMfa } from '../lib/session-mfa';
import { signInForTest } from '../lib/testing/sign-in';
import { withTestSession } from '../lib/testing/run-as';

const COOKIE_PASSWORD = 'testing-helpers-cookie-password-0123456789';
let emulator: WorkosEmulator;
let standIn: UpstashStandIn;
let ledger: SessionLedger;
let workos: WorkOS;
let server: ReturnType<typeof createServerSessionMfa>;

beforeAll(async () => {
  emulator = await startWorkosEmulator({ port: 0 });
  standIn = await startUpstashStandIn({ port: 0, token: 'testing-token', redisUrl: inject('redisUrl') });
  workos = new WorkOS(emulator.apiKey, {
    apiHostname: '127.0.0.1',
    https: false,
    port: emulator.port,
    clientId: emulator.clientId,
  });
  ledger = createSessionLedger({
    store: upstashStore(new Redis({ url: standIn.url, token: standIn.token, automaticDeserialization: false })),
    keyPrefix: 'testing-helpers',
  });
  // The app's own wiring: no session source given, so the default (authkit's withAuth) is in force.
  server = createServerSessionMfa(createSessionMfa({ ledger }));
});

afterAll(async () => {
  await standIn?.close();
  await emulator?.close();
});

const alice = () => ({
  workos,
  clientId: emulator.clientId,
  cookiePassword: COOKIE_PASSWORD,
  email: 'alice@acme.test',
  password: 'alice-password-1',
});
const request = () => new Request('http://app.test/api/admin/report');

describe('signInForTest', () => {
  it('signs in through the WorkOS API and seals the session into authkit’s cookie with the app’s password', async () => {
    const session = await signInForTest(alice());
    expect(session.sessionId).toMatch(/^session_/);
    expect(session.mfaVerifiedAt).toBeNull();
    expect(session.cookieHeader.startsWith('wos-session=')).toBe(true);
    const sealed = session.cookieHeader.slice('wos-session='.length);
    const unsealed = await unsealData<{ accessToken: string; user: { id: string } }>(sealed, {
      password: COOKIE_PASSWORD,
      ttl: 0,
    });
    expect(unsealed.accessToken).toBe(session.accessToken);
    expect(unsealed.user.id).toBe(session.userId);
    expect(session.cookies('http://localhost:3000/x')).toEqual([
      { name: 'wos-session', value: sealed, url: 'http://localhost:3000', httpOnly: true, sameSite: 'Lax' },
    ]);
  });

  it('records MFA "12 minutes ago" through the ledger it is given, for that session only', async () => {
    const before = Math.floor(Date.now() / 1000);
    const session = await signInForTest({ ...alice(), mfa: { ledger, ago: '12m' } });
    const found = await ledger.lookup(session.sessionId);
    expect(found.status).toBe('found');
    const entry = found.status === 'found' ? found.entry : null;
    expect(entry).toMatchObject({
      sessionId: session.sessionId,
      userId: session.userId,
      methods: ['otp'],
      source: 'step_up',
    });
    expect(entry!.verifiedAt).toBeGreaterThanOrEqual(before - 720);
    expect(entry!.verifiedAt).toBeLessThanOrEqual(before - 720 + 2);
    const other = await signInForTest(alice());
    expect((await ledger.lookup(other.sessionId)).status).toBe('missing');
  });

  it('recordMfa completes MFA later for a session signed in without it: refused before, allowed after', async () => {
    const session = await signInForTest(alice());
    const route = server.withSessionMfa(async () => Response.json({ ok: true }), mfaPreset('aal2'));
    expect((await withTestSession(session, () => route(request(), {}))).status).toBe(403);
    const before = Math.floor(Date.now() / 1000);
    const verifiedAt = await session.recordMfa({ ledger, ago: '2m', methods: ['otp'] });
    expect(verifiedAt).toBeGreaterThanOrEqual(before - 120);
    expect(verifiedAt).toBeLessThanOrEqual(before - 120 + 2);
    expect(await ledger.lookup(session.sessionId)).toMatchObject({
      status: 'found',
      entry: { sessionId: session.sessionId, userId: session.userId, verifiedAt, source: 'step_up' },
    });
    expect((await withTestSession(session, () => route(request(), {}))).status).toBe(200);
  });
});

describe('withTestSession: wrapped handlers and actions with the default (authkit) session source', () => {
  const route = () => server.withSessionMfa(async () => Response.json({ ok: true }), mfaPreset('aal2'));
  const rotate = () =>
    server.withSessionMfa(async (label: string) => ({ rotated: label }), mfaPreset('strict'), { name: 'rotate' });

  it('signed out → 401; signed in without MFA → 403 with the RFC 9470 challenge', async () => {
    expect((await withTestSession(null, () => route()(request(), {}))).status).toBe(401);
    const refused = await withTestSession(await signInForTest(alice()), () => route()(request(), {}));
    expect(refused.status).toBe(403);
    expect(refused.headers.get('www-authenticate')).toContain('insufficient_user_authentication');
  });

  it('MFA a minute ago passes the 12-hour policy and the 10-minute one; 11 minutes ago only the first', async () => {
    const fresh = await signInForTest({ ...alice(), mfa: { ledger, ago: '1m' } });
    expect((await withTestSession(fresh, () => route()(request(), {}))).status).toBe(200);
    expect(await withTestSession(fresh, () => rotate()('k1'))).toEqual({ rotated: 'k1' });

    const older = await signInForTest({ ...alice(), mfa: { ledger, ago: '11m' } });
    expect((await withTestSession(older, () => route()(request(), {}))).status).toBe(200);
    const result = await withTestSession(older, () => rotate()('k2'));
    expect(isStepUpRequired(result)).toBe(true);
    expect(result).toMatchObject({ reason: 'stale', policy: 'strict' });
  });

  it('takes a session of any shape: identifiers and claims of the test’s choosing', async () => {
    const now = Math.floor(Date.now() / 1000);
    const claimsMfa = {
      userId: 'user_shape',
      sessionId: 'session_shape',
      claims: { amr: ['pwd', 'otp'], auth_time: now - 30 },
    };
    expect((await withTestSession(claimsMfa, () => route()(request(), {}))).status).toBe(200);
    const foreign = { userId: 'user_shape', sessionId: 'session_shape_2' };
    expect((await withTestSession(foreign, () => route()(request(), {}))).status).toBe(403);
  });

  it('outside withTestSession the default source is authkit’s, which needs a request scope (no silent session)', async () => {
    await expect(route()(request(), {})).rejects.toThrow();
  });
});

describe('guard rails', () => {
  it('refuses to run with NODE_ENV=production, and the server seam ignores a test session there', async () => {
    const previous = process.env.NODE_ENV;
    try {
      let inside: unknown = 'unset';
      withTestSession({ userId: 'user_x', sessionId: 'session_x' }, () => {
        (process.env as Record<string, string>).NODE_ENV = 'production';
        inside = testSessionScope();
      });
      expect(inside).toBeUndefined();
      expect(() => withTestSession(null, () => 1)).toThrow(
        expect.objectContaining({ code: 'ERR_MFA_CONFIG_INVALID', field: 'NODE_ENV' }),
      );
      await expect(signInForTest(alice())).rejects.toMatchObject({ code: 'ERR_MFA_CONFIG_INVALID' });
    } finally {
      (process.env as Record<string, string | undefined>).NODE_ENV = previous;
    }
    const session = await signInForTest(alice());
    try {
      (process.env as Record<string, string>).NODE_ENV = 'production';
      await expect(session.recordMfa({ ledger })).rejects.toMatchObject({ code: 'ERR_MFA_CONFIG_INVALID' });
      expect((await ledger.lookup(session.sessionId)).status).toBe('missing');
    } finally {
      (process.env as Record<string, string | undefined>).NODE_ENV = previous;
    }
  });

  it('the built entry refuses to load with NODE_ENV=production', () => {
    const run = () =>
      execFileSync(process.execPath, ['--input-type=module', '-e', "await import('authkit-session-mfa/testing');"], {
        cwd: resolve(__dirname, '..'),
        env: { ...process.env, NODE_ENV: 'production' },
        stdio: 'pipe',
      });
    expect(run).toThrow(/NODE_ENV=production/);
  });
});
