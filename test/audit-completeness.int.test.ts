/**
 * Audit completeness: every decision the enforcement points take — the Edge middleware with real authkit and
 * withSessionMfa for route handlers and server actions — leaves exactly one record in the Redis Stream (written
 * over Upstash REST, as on the Edge), with the fields an auditor samples; requests that take no decision leave
 * none; ledger writes and removals are recorded too; and no record holds a token, cookie or code.
 */
import { Redis } from '@upstash/redis';
import { WorkOS } from '@workos-inc/node';
import type { NextRequest as NextRequestType } from 'next/server';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startUpstashStandIn, type UpstashStandIn } from '../emulators/upstash/server';
import { startWorkosEmulator, type WorkosEmulator, authkitEnv } from '../emulators/workos';
import { mfaPreset } from '../lib/core/policy';
import { createSessionLedger } from '../lib/ledger/ledger';
import { upstashStore } from '../lib/ledger/upstash';
import type { createServerSessionMfa } from '../lib/next/with-session-mfa';
import { createSessionMfa, type SessionMfa } from '../lib/session-mfa';
import { signInForTest } from '../lib/testing';
import { createAccessTokenVerifier, workosJwksUrl } from '../lib/token/verify';
import type { AuditRecord } from '../lib/audit/record';
import { collectAuditRecords } from '../lib/audit/stream-reader';
import { createAuditTrail } from '../lib/audit/trail';
import { upstashAuditSink, upstashAuditSource } from '../lib/audit/upstash-stream';

const COOKIE_PASSWORD = 'audit-completeness-cookie-password-0123456789';
const STREAM = `completeness-${process.pid}:v1:audit`;

let emulator: WorkosEmulator;
let ledgerStandIn: UpstashStandIn;
let auditStandIn: UpstashStandIn;
let auditRedis: Redis;
let sessionMfa: SessionMfa;
let middleware: (req: NextRequestType) => Promise<Response>;
let NextRequest: typeof NextRequestType;
let server: ReturnType<typeof createServerSessionMfa>;
let workos: WorkOS;
let actionToken: string | null = null;
const tasks: Promise<void>[] = [];
const sinkErrors: string[] = [];

beforeAll(async () => {
  emulator = await startWorkosEmulator({ port: 0 });
  // Two stand-ins over the same Redis: the ledger's can be broken without losing the audit stream.
  ledgerStandIn = await startUpstashStandIn({ port: 0, token: 'ledger-token', redisUrl: inject('redisUrl') });
  auditStandIn = await startUpstashStandIn({ port: 0, token: 'audit-token', redisUrl: inject('redisUrl') });
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
  // authkit reads its configuration from the environment when first imported: import it only now.
  const { createSessionMfaMiddleware } = await import('../lib/next/middleware');
  const { createServerSessionMfa } = await import('../lib/next/with-session-mfa');
  const ledgerRedis = new Redis({
    url: ledgerStandIn.url,
    token: ledgerStandIn.token,
    automaticDeserialization: false,
    retry: { retries: 0 },
  });
  auditRedis = new Redis({
    url: auditStandIn.url,
    token: auditStandIn.token,
    automaticDeserialization: false,
    retry: { retries: 0 },
  });
  sessionMfa = createSessionMfa({
    ledger: createSessionLedger({ store: upstashStore(ledgerRedis), keyPrefix: `completeness-${process.pid}` }),
    audit: createAuditTrail([upstashAuditSink(auditRedis, { key: STREAM })], {
      onSinkError: (sink, e) => sinkErrors.push(`${sink}: ${String(e)}`),
    }),
    defer: (t) => void tasks.push(t),
  });
  middleware = createSessionMfaMiddleware({
    sessionMfa,
    rules: [{ path: '/admin/:path*', policy: mfaPreset('aal2', { name: 'admin-area' }) }],
    middlewareAuth: { enabled: true, unauthenticatedPaths: ['/'] },
  }) as typeof middleware;
  const verify = createAccessTokenVerifier({
    jwksUrl: workosJwksUrl(emulator.clientId, { apiHostname: '127.0.0.1', https: false, port: emulator.port }),
  });
  server = createServerSessionMfa(sessionMfa, {
    session: async (request) => {
      const token = request?.headers.get('authorization')?.replace(/^Bearer /, '') ?? actionToken;
      return token ? verify(token).catch(() => null) : null;
    },
  });
  workos = new WorkOS(emulator.apiKey, {
    apiHostname: '127.0.0.1',
    https: false,
    port: emulator.port,
    clientId: emulator.clientId,
  });
});

afterAll(async () => {
  await ledgerStandIn?.close();
  await auditStandIn?.close();
  await emulator?.close();
});

async function signIn(email: string, password: string) {
  const session = await signInForTest({
    workos,
    clientId: emulator.clientId,
    email,
    password,
    cookiePassword: COOKIE_PASSWORD,
  });
  return {
    cookie: session.cookieHeader,
    sealed: session.cookieHeader.slice('wos-session='.length),
    token: session.accessToken,
    sid: session.sessionId,
    userId: session.userId,
  };
}

const page = (path: string, cookie: string, rid: string) =>
  new NextRequest(`http://localhost:3000${path}`, {
    headers: { accept: 'text/html', 'sec-fetch-dest': 'document', cookie, 'x-request-id': rid },
  });
const api = (
  path: string,
  cookie: string,
  rid: string,
  init: { method?: string; headers?: Record<string, string> } = {},
) =>
  new NextRequest(`http://localhost:3000${path}`, {
    method: init.method ?? 'GET',
    headers: { accept: 'application/json', cookie, 'x-request-id': rid, ...init.headers },
  });
const handlerRequest = (token: string | null, rid: string) =>
  new Request('http://app.test/api/transfer', {
    method: 'POST',
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'x-request-id': rid, host: 'app.test' },
  });

describe('audit completeness across the enforcement points', () => {
  it('one record per decision taken, none for requests without a decision, plus every ledger change', async () => {
    const started = Date.now();
    const alice = await signIn('alice@acme.test', 'alice-password-1');
    const transfer = server.withSessionMfa(
      async () => Response.json({ ok: true }),
      mfaPreset('strict', { name: 'transfer' }),
    );
    const rotateKeys = server.withSessionMfa(async () => 'rotated', mfaPreset('strict', { name: 'rotate-keys' }), {
      name: 'rotateKeys',
    });

    // Without MFA: page → step-up redirect, API → 403, server-action POST → 403 (decided like an API call: next-action is
    // client-set), route handler → 403; no decision for a sign-in-only page.
    expect((await middleware(page('/admin/keys', alice.cookie, 'rid-page-1'))).status).toBe(307);
    expect((await middleware(api('/admin/report', alice.cookie, 'rid-api-1'))).status).toBe(403);
    expect((await middleware(page('/account', alice.cookie, 'rid-none-1'))).headers.get('x-middleware-next')).toBe('1');
    expect(
      (
        await middleware(
          api('/admin/keys', alice.cookie, 'rid-action-1', { method: 'POST', headers: { 'next-action': 'abc123' } }),
        )
      ).status,
    ).toBe(403);
    expect((await transfer(handlerRequest(alice.token, 'rid-handler-1'), {})).status).toBe(403);

    // Step-up writes the ledger; then everything passes.
    await sessionMfa.recordVerification(
      {
        sessionId: alice.sid,
        userId: alice.userId,
        organizationId: 'org_acme',
        verifiedAt: sessionMfa.now(),
        methods: ['otp'],
        factorId: 'auth_factor_alice_totp',
        source: 'step_up',
      },
      { target: 'step-up', reason: 'totp_verified', requestId: 'rid-stepup' },
    );
    expect((await middleware(page('/admin/keys', alice.cookie, 'rid-page-2'))).headers.get('x-middleware-next')).toBe(
      '1',
    );
    expect((await transfer(handlerRequest(alice.token, 'rid-handler-2'), {})).status).toBe(200);
    actionToken = alice.token;
    expect(await rotateKeys()).toBe('rotated');
    actionToken = null;

    // Ledger down: a denial (503, try again shortly), recorded like any other.
    ledgerStandIn.setFault({ mode: 'error500' });
    expect((await middleware(api('/admin/report', alice.cookie, 'rid-api-down'))).status).toBe(503);
    ledgerStandIn.setFault({ mode: 'none' });

    // Signed out at a route handler: a not_signed_in decision.
    expect((await transfer(handlerRequest(null, 'rid-handler-anon'), {})).status).toBe(401);

    // Sign-out removes the evidence.
    await sessionMfa.removeVerification(
      { sessionId: alice.sid, userId: alice.userId },
      { target: 'GET /logout', reason: 'sign_out', requestId: 'rid-logout' },
    );

    await Promise.all(tasks);
    const records = await collectAuditRecords(upstashAuditSource(auditRedis, { key: STREAM }), {
      since: started - 1000,
    });
    const decisions = records.filter((r) => r.type === 'decision');
    const byRid = (rid: string) => records.filter((r) => r.requestId === rid);
    const one = (rid: string): AuditRecord => {
      const found = byRid(rid);
      expect(found, rid).toHaveLength(1);
      return found[0] as AuditRecord;
    };

    const expected: Array<[string, string, string, string, string]> = [
      ['rid-page-1', 'step_up', 'no_evidence', 'admin-area', 'GET /admin/keys'],
      ['rid-api-1', 'step_up', 'no_evidence', 'admin-area', 'GET /admin/report'],
      ['rid-action-1', 'step_up', 'no_evidence', 'admin-area', 'POST /admin/keys'],
      ['rid-handler-1', 'step_up', 'no_evidence', 'transfer', 'POST /api/transfer'],
      ['rid-page-2', 'allow', 'verified', 'admin-area', 'GET /admin/keys'],
      ['rid-handler-2', 'allow', 'verified', 'transfer', 'POST /api/transfer'],
      ['rid-api-down', 'deny', 'ledger_unavailable', 'admin-area', 'GET /admin/report'],
    ];
    for (const [rid, decision, reason, policy, target] of expected) {
      const r = one(rid);
      expect(r, rid).toMatchObject({
        type: 'decision',
        decision,
        reason,
        policy: { name: policy },
        target,
        sessionId: alice.sid,
        userId: alice.userId,
        organizationId: 'org_acme',
      });
      expect(Date.parse(r.time), rid).toBeGreaterThanOrEqual(started - 1000);
      expect(r.policy?.maxAge, rid).toEqual(expect.any(Number));
    }
    expect(one('rid-page-2').evidence).toMatchObject({
      source: 'ledger',
      methods: ['otp'],
      verifiedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });
    expect(one('rid-handler-anon')).toMatchObject({
      type: 'decision',
      decision: 'deny',
      reason: 'not_signed_in',
      target: 'POST /api/transfer',
    });
    const action = decisions.filter((r) => r.target === 'action rotateKeys');
    expect(action).toHaveLength(1);
    expect(action[0]).toMatchObject({
      decision: 'allow',
      reason: 'verified',
      policy: { name: 'rotate-keys' },
      sessionId: alice.sid,
    });
    expect(byRid('rid-none-1')).toEqual([]);

    // Exactly the decisions above (7 + anonymous + action), no more.
    expect(decisions).toHaveLength(9);
    expect(new Set(records.map((r) => r.id)).size).toBe(records.length);
    expect(records.filter((r) => r.type === 'ledger.recorded')).toMatchObject([
      { requestId: 'rid-stepup', sessionId: alice.sid, detail: { factorId: 'auth_factor_alice_totp' } },
    ]);
    expect(records.filter((r) => r.type === 'ledger.removed')).toMatchObject([
      { requestId: 'rid-logout', reason: 'sign_out', sessionId: alice.sid },
    ]);
    expect(records).toHaveLength(11);

    // Never a token, cookie or secret.
    const text = JSON.stringify(records);
    for (const secret of [
      alice.token,
      alice.sealed,
      alice.token.split('.')[2] ?? 'x',
      COOKIE_PASSWORD,
      'JBSWY3DPEHPK3PXP',
    ])
      expect(text).not.toContain(secret);
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./);
    expect(sinkErrors).toEqual([]);
  });
});
