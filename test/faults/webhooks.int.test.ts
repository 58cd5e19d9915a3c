/**
 * Webhook deliveries that arrive twice, out of order, or while the ledger's Redis is failing — sent by the
 * WorkOS emulator's real dispatcher (signed, retried after 250 ms, 1 s and 4 s) to the library's handler, with
 * the ledger and event de-duplication behind their own Upstash stand-in over their own redis-server.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from '@upstash/redis';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { signWebhook } from '../../emulators/workos';
import { createWorkosWebhookHandler } from '../../lib/webhooks';
import { upstashWebhookDedupe } from '../../lib/upstash';
import { startRedis, type RedisProcess } from '../../test-support/redis-server';
import { waitUntil } from '../../test-support/wait-until';
import { passedThrough, startHarness, type Engine, type Harness, type SignedIn } from '../hostile/support/harness';
import { LEDGER_TIMEOUT_MS } from './support';

const SECRET = 'whsec_faults';
let h: Harness;
let redis: RedisProcess;
let engine: Engine;
let handle: (request: Request) => Promise<Response>;
let endpoint: Server;
beforeAll(async () => {
  h = await startHarness({ redisUrl: inject('redisUrl') });
  redis = await startRedis();
  engine = await h.engine({ redisUrl: redis.url, store: 'upstash', timeoutMs: LEDGER_TIMEOUT_MS });
  const client = new Redis({
    url: engine.standIn!.url,
    token: engine.standIn!.token,
    automaticDeserialization: false,
    retry: { retries: 0 },
  });
  handle = createWorkosWebhookHandler({
    workos: h.workos,
    secret: SECRET,
    sessionMfa: engine.sessionMfa,
    dedupe: upstashWebhookDedupe(client),
    dedupeTimeoutMs: LEDGER_TIMEOUT_MS,
    onError: () => undefined,
  });
  endpoint = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter((e): e is [string, string] => typeof e[1] === 'string'),
      );
      handle(new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers, body: Buffer.concat(chunks) }))
        .then(async (r) => res.writeHead(r.status, { 'content-type': 'application/json' }).end(await r.text()))
        .catch(() => res.writeHead(500).end());
    });
  });
  await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
  h.emulator.control.configure({
    webhook: {
      url: `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/api/webhooks/workos`,
      secret: SECRET,
    },
    mfaSucceededSessionId: true,
  });
});
afterAll(async () => {
  await new Promise<void>((resolve) => endpoint?.close(() => resolve()));
  await engine?.close();
  await redis?.stop();
  await h?.close();
});

const entryOf = (s: SignedIn) => engine.ledger.lookup(s.sid);
/** When the emulator (WorkOS) created the session: the time of its sign-in's MFA event. */
const createdAtOf = (s: SignedIn) =>
  String(h.emulator.control.sessions().find((session) => session.id === s.sid)!.created_at);
const grantFor = (s: SignedIn) =>
  h.emulator.control.sendWebhook('authentication.mfa_succeeded', {
    type: 'mfa',
    status: 'succeeded',
    user_id: s.userId,
    session_id: s.sid,
    email: 'alice@acme.test',
  })!;
const deliveryOf = (eventId: string) => h.emulator.control.deliveries().find((d) => d.eventId === eventId)!;
const redeliver = (payload: Record<string, unknown>) => {
  const body = JSON.stringify(payload);
  return handle(
    new Request('http://127.0.0.1/api/webhooks/workos', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'workos-signature': signWebhook(body, SECRET, Date.now()) },
    }),
  );
};

describe('deliveries out of the ordinary', () => {
  it('a real MFA success with session_id grants that session; a redelivery is handled once', async () => {
    // alice's sign-in asks for her TOTP code (sign-in MFA required): the emulator sends mfa_succeeded naming the
    // session that sign-in created.
    h.emulator.control.configure({ signInMfa: 'required' });
    h.emulator.control.advanceClock(60); // a TOTP step not used before
    const refusal = await h.workos.userManagement
      .authenticateWithPassword({
        clientId: h.emulator.clientId,
        email: 'alice@acme.test',
        password: 'alice-password-1',
      })
      .catch((e: unknown) => e as { pendingAuthenticationToken?: string });
    h.emulator.control.configure({ signInMfa: 'off' });
    const code = h.emulator.control.users().find((u) => u.email === 'alice@acme.test')!.totpFactors[0]!.codeNow;
    const challenge = await h.workos.multiFactorAuth.challengeFactor({
      authenticationFactorId: 'auth_factor_alice_totp',
    });
    const auth = await h.workos.userManagement.authenticateWithTotp({
      clientId: h.emulator.clientId,
      code,
      authenticationChallengeId: challenge.id,
      pendingAuthenticationToken: (refusal as { pendingAuthenticationToken?: string }).pendingAuthenticationToken ?? '',
    });
    const alice = {
      sid: String(decodeJwt(auth.accessToken).sid),
      userId: auth.user.id,
      cookie: await h.seal({ accessToken: auth.accessToken, refreshToken: auth.refreshToken, user: auth.user }),
    };
    await h.emulator.control.webhooksSettled();
    const delivered = h.emulator.control
      .deliveries()
      .find(
        (d) =>
          d.event === 'authentication.mfa_succeeded' &&
          (d.payload.data as { session_id?: string }).session_id === alice.sid,
      )!;
    expect(delivered).toMatchObject({ status: 'delivered', responseStatus: 200 });
    expect(await engine.ledger.lookup(alice.sid)).toMatchObject({
      status: 'found',
      entry: { sessionId: alice.sid, userId: alice.userId, source: 'webhook' },
    });
    expect(passedThrough(await engine.middleware(h.api('/api/admin/report', alice.cookie)))).toBe(true);
    expect(await (await redeliver(delivered.payload)).json()).toEqual({ received: true, status: 'duplicate' });
  });

  it('the same delivery arriving three times at once is recorded exactly once', async () => {
    const s = await h.signIn();
    const event = {
      id: `event_race_${Date.now()}`,
      event: 'authentication.mfa_succeeded',
      data: { type: 'mfa', status: 'succeeded', user_id: s.userId, session_id: s.sid },
      created_at: createdAtOf(s),
      object: 'event',
    };
    const answers = await Promise.all(
      [0, 1, 2].map(async () => ((await (await redeliver(event)).json()) as { status: string }).status),
    );
    expect(answers.sort()).toEqual(['duplicate', 'duplicate', 'recorded']);
    expect(await entryOf(s)).toMatchObject({ status: 'found', entry: { sessionId: s.sid, source: 'webhook' } });
    expect(engine.audit.filter((r) => r.type === 'ledger.recorded' && r.sessionId === s.sid)).toHaveLength(1);
  });

  it('revocation delivered before a (late) MFA success: the session is not granted', async () => {
    const s = await h.signIn();
    await h.workos.userManagement.revokeSession({ sessionId: s.sid }); // the emulator sends session.revoked now
    await h.emulator.control.webhooksSettled();
    const late = grantFor(s);
    await h.emulator.control.webhooksSettled();
    expect(deliveryOf(late.eventId)).toMatchObject({ status: 'delivered', responseStatus: 200 });
    expect(await entryOf(s)).toEqual({ status: 'missing' });
    // WorkOS lists active sessions only: the revoked session is not found.
    expect(
      engine.audit.some(
        (r) => r.type === 'webhook.rejected' && r.sessionId === s.sid && r.reason === 'session_not_found_for_user',
      ),
    ).toBe(true);
  });

  it('MFA success then revocation delivered in reverse order: the grant is refused, nothing remains', async () => {
    const s = await h.signIn();
    const grant = {
      id: `event_${Date.now()}_grant`,
      event: 'authentication.mfa_succeeded',
      data: { type: 'mfa', status: 'succeeded', user_id: s.userId, session_id: s.sid },
      created_at: createdAtOf(s),
      object: 'event',
    };
    await h.workos.userManagement.revokeSession({ sessionId: s.sid });
    await h.emulator.control.webhooksSettled(); // the revocation arrives first…
    expect(await (await redeliver(grant)).json()).toEqual({ received: true, status: 'rejected' }); // …then the older grant
    expect(await entryOf(s)).toEqual({ status: 'missing' });
  });

  it("the ledger's Redis failing during delivery: 503 so WorkOS retries, and a retry after the fault clears is applied", async () => {
    const s = await h.signIn();
    engine.standIn!.setFault({ mode: 'error500' });
    const grant = grantFor(s);
    try {
      await waitUntil(
        () => deliveryOf(grant.eventId).attempts >= 1 && deliveryOf(grant.eventId).responseStatus !== null,
        { timeoutMs: 5000, what: 'the first attempt' },
      );
      expect(deliveryOf(grant.eventId).responseStatus).toBe(503);
      expect(await engine.ledger.lookup(s.sid)).toMatchObject({ status: 'unavailable' });
    } finally {
      engine.standIn!.setFault({ mode: 'none' });
    }
    await h.emulator.control.webhooksSettled();
    expect(deliveryOf(grant.eventId)).toMatchObject({ status: 'delivered', responseStatus: 200 });
    expect(deliveryOf(grant.eventId).attempts).toBeGreaterThanOrEqual(2);
    expect(await entryOf(s)).toMatchObject({ status: 'found', entry: { sessionId: s.sid, source: 'webhook' } });

    // A revocation during the same kind of fault is retried until it removes the evidence.
    engine.standIn!.setFault({ mode: 'error500' });
    try {
      await h.workos.userManagement.revokeSession({ sessionId: s.sid });
      await waitUntil(
        () =>
          h.emulator.control
            .deliveries()
            .some(
              (d) =>
                d.event === 'session.revoked' &&
                (d.payload.data as { id?: string }).id === s.sid &&
                d.responseStatus === 503,
            ),
        { timeoutMs: 5000, what: 'a refused revocation' },
      );
    } finally {
      engine.standIn!.setFault({ mode: 'none' });
    }
    await h.emulator.control.webhooksSettled();
    expect(await entryOf(s)).toEqual({ status: 'missing' });
  });
});
