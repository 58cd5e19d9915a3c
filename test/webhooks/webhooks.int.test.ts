import { AuthenticationException, type WorkOS } from '@workos-inc/node';
import { decodeJwt } from 'jose';
import { createClient } from 'redis';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { ALICE, BOB, alignToMidStep, sdkFor, totpAt } from '../../emulators/workos/conformance-helpers';
import { startWorkosEmulator, type WorkosEmulator } from '../../emulators/workos/server';
import { signWebhook } from '../../emulators/workos/webhook-signature';
import { serveHandler, type ReceivedRequest, type ServedHandler } from '../helpers/serve-handler';
import type { AuditRecord } from '../../lib/audit/record';
import { createSessionLedger, type SessionLedger } from '../../lib/ledger/ledger';
import { redisStore } from '../../lib/ledger/redis-node';
import { createSessionMfa, type SessionMfa } from '../../lib/session-mfa';
import { redisWebhookDedupe } from '../../lib/webhooks/dedupe-redis-node';
import { webhookEventKey, webhookGrantKey } from '../../lib/webhooks/dedupe';
import { deleteFactorAndRevoke } from '../../lib/webhooks/factor-removal';
import { createWorkosWebhookHandler } from '../../lib/webhooks/handler';

const SECRET = 'whsec_integration';
const PREFIX = `wh-int-${process.pid}`;

let emulator: WorkosEmulator;
let workos: WorkOS;
let served: ServedHandler;
let redis: ReturnType<typeof createClient>;
let ledger: SessionLedger;
let sessionMfa: SessionMfa;
const records: AuditRecord[] = [];
const tasks: Promise<void>[] = [];
/** How far the app's clock runs ahead of the wall clock (to let minutes pass for the app without waiting). */
let appClockAheadMs = 0;

beforeAll(async () => {
  redis = await createClient({ url: inject('redisUrl') })
    .on('error', () => undefined)
    .connect();
  ledger = createSessionLedger({ store: redisStore(redis), keyPrefix: PREFIX });
  sessionMfa = createSessionMfa({
    ledger,
    audit: [{ name: 'collect', write: async (r) => void records.push(r) }],
    defer: (t) => void tasks.push(t),
    now: () => Math.floor((Date.now() + appClockAheadMs) / 1000),
  });
  emulator = await startWorkosEmulator({ port: 0, webhookRetryDelaysMs: [20, 40] });
  workos = sdkFor(emulator);
  served = await serveHandler(
    createWorkosWebhookHandler({
      workos,
      secret: SECRET,
      sessionMfa,
      dedupe: redisWebhookDedupe(redis),
      keyPrefix: PREFIX,
    }),
  );
});

afterAll(async () => {
  await emulator?.close();
  await served?.close();
  redis?.destroy();
});

beforeEach(async () => {
  await emulator.control.webhooksSettled();
  emulator.control.reset();
  emulator.control.configure({ webhook: { url: served.url, secret: SECRET } });
  await alignToMidStep(emulator);
  served.received.length = 0;
  await Promise.all(tasks.splice(0));
  records.length = 0;
  appClockAheadMs = 0;
});

/** Waits until the emulator has finished every delivery (each got its answer) and the audit writes landed. */
async function settled(): Promise<void> {
  await emulator.control.webhooksSettled();
  await Promise.all(tasks.splice(0));
}

const deliveriesOf = (event: string): ReceivedRequest[] =>
  served.received.filter((r) => (JSON.parse(r.body) as { event: string }).event === event);
const statusOf = (r: ReceivedRequest) =>
  (JSON.parse(r.answer) as { status?: string; error?: string }).status ??
  (JSON.parse(r.answer) as { error: string }).error;

async function signIn(user: { email: string; password: string }): Promise<{ sid: string; userId: string }> {
  const auth = await workos.userManagement.authenticateWithPassword({
    clientId: emulator.clientId,
    email: user.email,
    password: user.password,
  });
  const claims = decodeJwt(auth.accessToken);
  return { sid: String(claims.sid), userId: String(claims.sub) };
}

/**
 * Alice signs in with her password and, as the sign-in demands (emulator `signInMfa: 'required'`), her TOTP code:
 * the sign-in's MFA step, which is what makes WorkOS (the emulator) send `authentication.mfa_succeeded`.
 */
async function aliceSignsInWithTotp(): Promise<{ sid: string; userId: string }> {
  emulator.control.configure({ signInMfa: 'required' });
  try {
    const refusal = await workos.userManagement
      .authenticateWithPassword({ clientId: emulator.clientId, email: ALICE.email, password: ALICE.password })
      .then(
        () => null,
        (error: unknown) => error,
      );
    if (!(refusal instanceof AuthenticationException) || !refusal.pendingAuthenticationToken)
      throw new Error('expected the sign-in to ask for MFA');
    const challenge = await workos.multiFactorAuth.challengeFactor({ authenticationFactorId: ALICE.factorId });
    const auth = await workos.userManagement.authenticateWithTotp({
      clientId: emulator.clientId,
      code: totpAt(emulator, ALICE.secret),
      authenticationChallengeId: challenge.id,
      pendingAuthenticationToken: refusal.pendingAuthenticationToken,
    });
    const claims = decodeJwt(auth.accessToken);
    return { sid: String(claims.sid), userId: String(claims.sub) };
  } finally {
    emulator.control.configure({ signInMfa: 'off' });
  }
}

/** Alice steps up in a session she already has: a TOTP challenge verified through the WorkOS MFA API. */
async function aliceStepsUp(): Promise<void> {
  const challenge = await workos.multiFactorAuth.challengeFactor({ authenticationFactorId: ALICE.factorId });
  const { valid } = await workos.multiFactorAuth.verifyChallenge({
    authenticationChallengeId: challenge.id,
    code: totpAt(emulator, ALICE.secret),
  });
  expect(valid).toBe(true);
}

/** An `authentication.mfa_succeeded` naming `sid`, signed and sent by the emulator now (emulator time). */
function mfaEventNaming(sid: string) {
  const sent = emulator.control.sendWebhook('authentication.mfa_succeeded', {
    type: 'mfa',
    status: 'succeeded',
    user_id: ALICE.id,
    email: ALICE.email,
    ip_address: null,
    user_agent: null,
    session_id: sid,
  });
  if (!sent) throw new Error('no webhook endpoint configured');
  return sent;
}

const answerTo = (eventId: string) => {
  const hook = served.received.find((r) => (JSON.parse(r.body) as { id: string }).id === eventId);
  return hook && [hook.status, statusOf(hook)];
};

/** Sends `body` to the handler again, signed at `t` (or with the header given), as a replaying attacker would. */
function resend(body: string, header: string): Promise<Response> {
  return fetch(served.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'workos-signature': header },
    body,
  });
}

describe('WorkOS webhooks delivered by the emulator', () => {
  it('authentication.mfa_succeeded WITH session_id, from the sign-in that created the session → a webhook ledger entry bound to it', async () => {
    emulator.control.configure({ mfaSucceededSessionId: true });
    const { sid } = await aliceSignsInWithTotp();
    await settled();

    const [hook] = deliveriesOf('authentication.mfa_succeeded');
    expect(hook && JSON.parse(hook.body).data.session_id).toBe(sid);
    expect(hook && [hook.status, statusOf(hook)]).toEqual([200, 'recorded']);
    expect(await ledger.lookup(sid)).toMatchObject({
      status: 'found',
      entry: { sessionId: sid, userId: ALICE.id, organizationId: 'org_acme', methods: ['otp'], source: 'webhook' },
    });
    expect(records.filter((r) => r.type === 'ledger.recorded')).toMatchObject([
      {
        sessionId: sid,
        userId: ALICE.id,
        organizationId: 'org_acme',
        reason: 'webhook_mfa_succeeded',
        evidence: { source: 'ledger:webhook', methods: ['otp'] },
      },
    ]);
  });

  it('authentication.mfa_succeeded WITHOUT session_id (WorkOS today) → webhook.uncorrelated, never a grant', async () => {
    const { sid } = await aliceSignsInWithTotp();
    await settled();

    const [hook] = deliveriesOf('authentication.mfa_succeeded');
    expect(hook && 'session_id' in JSON.parse(hook.body).data).toBe(false);
    expect(hook && [hook.status, statusOf(hook)]).toEqual([200, 'uncorrelated']);
    expect((await ledger.lookup(sid)).status).toBe('missing');
    expect(records.map((r) => [r.type, r.reason, r.userId])).toEqual([
      ['webhook.uncorrelated', 'no_session_id', ALICE.id],
    ]);
  });

  it('a session_id of another user is refused after asking WorkOS whose session it is', async () => {
    const alice = await signIn(ALICE);
    await signIn(BOB);
    await settled();
    served.received.length = 0;
    emulator.control.sendWebhook('authentication.mfa_succeeded', {
      type: 'mfa',
      status: 'succeeded',
      user_id: BOB.id,
      email: BOB.email,
      ip_address: null,
      user_agent: null,
      session_id: alice.sid,
    });
    await settled();

    expect(deliveriesOf('authentication.mfa_succeeded').map(statusOf)).toEqual(['rejected']);
    expect((await ledger.lookup(alice.sid)).status).toBe('missing');
    expect(records.map((r) => [r.type, r.reason, r.sessionId])).toEqual([
      ['webhook.rejected', 'session_not_found_for_user', alice.sid],
    ]);
  });

  it('tampered, unsigned and stale deliveries are refused with 401 and change nothing', async () => {
    emulator.control.configure({ mfaSucceededSessionId: true });
    const { sid } = await aliceSignsInWithTotp();
    await settled();
    const [original] = deliveriesOf('authentication.mfa_succeeded');
    if (!original) throw new Error('no delivery received');
    const header = String(original.headers['workos-signature']);
    await ledger.remove(sid);
    records.length = 0;

    // Same signature, body changed to point at another session: the HMAC no longer matches.
    const bob = await signIn(BOB);
    const tampered = original.body.replace(sid, bob.sid);
    expect(tampered).not.toBe(original.body);
    expect((await resend(tampered, header)).status).toBe(401);
    // Unsigned.
    expect((await fetch(served.url, { method: 'POST', body: original.body })).status).toBe(401);
    // Correctly signed, but 10 minutes ago (beyond the 3-minute tolerance); `t` is milliseconds.
    expect((await resend(original.body, signWebhook(original.body, SECRET, Date.now() - 10 * 60_000))).status).toBe(
      401,
    );
    // Signed with the wrong secret.
    expect((await resend(original.body, signWebhook(original.body, 'whsec_wrong', Date.now()))).status).toBe(401);

    expect((await ledger.lookup(sid)).status).toBe('missing');
    expect((await ledger.lookup(bob.sid)).status).toBe('missing');
    await settled();
    expect(records).toEqual([]);
  });

  it('a duplicated delivery (same event id) changes nothing the second time', async () => {
    emulator.control.configure({ mfaSucceededSessionId: true });
    const { sid } = await aliceSignsInWithTotp();
    await settled();
    const [original] = deliveriesOf('authentication.mfa_succeeded');
    if (!original) throw new Error('no delivery received');
    await ledger.remove(sid);
    records.length = 0;

    // A fresh, valid signature over the same event: only the event id can tell it is a redelivery.
    const again = await resend(original.body, signWebhook(original.body, SECRET, Date.now()));
    expect([again.status, ((await again.json()) as { status: string }).status]).toEqual([200, 'duplicate']);
    expect((await ledger.lookup(sid)).status).toBe('missing');
    await settled();
    expect(records).toEqual([]);
  });

  it('session.revoked (sign-out through WorkOS) deletes the entry at once, audited', async () => {
    const { sid } = await signIn(ALICE);
    await ledger.record({
      sessionId: sid,
      userId: ALICE.id,
      verifiedAt: Math.floor(Date.now() / 1000),
      methods: ['otp'],
      source: 'step_up',
    });
    await fetch(workos.userManagement.getLogoutUrl({ sessionId: sid }), { redirect: 'manual' });
    await settled();

    expect(deliveriesOf('session.revoked').map((r) => [r.status, statusOf(r)])).toEqual([[200, 'removed']]);
    expect((await ledger.lookup(sid)).status).toBe('missing');
    expect(records).toMatchObject([
      { type: 'ledger.removed', reason: 'session_revoked', sessionId: sid, userId: ALICE.id },
    ]);
  });

  it('an MFA event for a session already revoked is refused', async () => {
    const { sid } = await signIn(ALICE);
    await fetch(workos.userManagement.getLogoutUrl({ sessionId: sid }), { redirect: 'manual' });
    await settled();
    served.received.length = 0;
    records.length = 0;
    emulator.control.sendWebhook('authentication.mfa_succeeded', {
      type: 'mfa',
      status: 'succeeded',
      user_id: ALICE.id,
      email: ALICE.email,
      ip_address: null,
      user_agent: null,
      session_id: sid,
    });
    await settled();
    expect(deliveriesOf('authentication.mfa_succeeded').map(statusOf)).toEqual(['rejected']);
    expect((await ledger.lookup(sid)).status).toBe('missing');
    // WorkOS lists active sessions only, so a revoked session is not found (as real WorkOS would answer).
    expect(records.map((r) => r.reason)).toEqual(['session_not_found_for_user']);
  });
});

describe('an MFA event grants only the session that MFA established (issue 13, finding 1)', () => {
  const uncorrelatedFor = (sid: string) =>
    records.filter((r) => r.type === 'webhook.uncorrelated' && r.sessionId === sid).map((r) => r.reason);

  it('the attack: alice signs in (A), someone with her password signs in (B), alice steps up in A; an event naming B grants nothing', async () => {
    const a = await signIn(ALICE);
    const b = await signIn(ALICE); // password only: the attacker's session
    emulator.control.advanceClock(60); // alice steps up in A a minute later
    await aliceStepsUp();
    const attack = mfaEventNaming(b.sid); // the MFA of A's step-up, mis-attributed to B
    await settled();

    expect(answerTo(attack.eventId)).toEqual([200, 'uncorrelated']);
    expect((await ledger.lookup(b.sid)).status).toBe('missing');
    expect((await ledger.lookup(a.sid)).status).toBe('missing');
    expect(records.filter((r) => r.type === 'ledger.recorded')).toEqual([]);
    const [record] = records.filter((r) => r.type === 'webhook.uncorrelated' && r.sessionId === b.sid);
    expect(record).toMatchObject({
      reason: 'mfa_after_session_start',
      userId: ALICE.id,
      requestId: attack.eventId,
      detail: { eventId: attack.eventId, eventAt: attack.payload.created_at },
    });
    const sessionB = emulator.control.sessions().find((s) => s.id === b.sid);
    expect(record?.detail?.sessionCreatedAt).toBe(sessionB?.created_at);
  });

  it('an event for an older session (created two hours before the MFA) grants nothing', async () => {
    const old = await signIn(ALICE);
    emulator.control.advanceClock(7200);
    await aliceStepsUp();
    const event = mfaEventNaming(old.sid);
    await settled();
    expect(answerTo(event.eventId)).toEqual([200, 'uncorrelated']);
    expect((await ledger.lookup(old.sid)).status).toBe('missing');
    expect(uncorrelatedFor(old.sid)).toEqual(['mfa_after_session_start']);
  });

  it('an event whose MFA happened a minute before the named session was created grants nothing', async () => {
    const b = await signIn(ALICE);
    const createdAt = Date.parse(String(emulator.control.sessions().find((s) => s.id === b.sid)?.created_at));
    const id = `event_early_${Date.now()}`;
    const body = JSON.stringify({
      id,
      event: 'authentication.mfa_succeeded',
      data: { type: 'mfa', status: 'succeeded', user_id: ALICE.id, session_id: b.sid },
      created_at: new Date(createdAt - 60_000).toISOString(),
      object: 'event',
    });
    const answer = await resend(body, signWebhook(body, SECRET, Date.now()));
    expect(await answer.json()).toEqual({ received: true, status: 'uncorrelated' });
    await settled();
    expect((await ledger.lookup(b.sid)).status).toBe('missing');
    expect(uncorrelatedFor(b.sid)).toEqual(['mfa_before_session']);
  });

  it('a sign-in’s own event, delivered 10 minutes after the session began, grants nothing', async () => {
    emulator.control.configure({ mfaSucceededSessionId: true });
    emulator.control.advanceClock(-600); // WorkOS stamps the sign-in 10 minutes before the app receives it
    const { sid } = await aliceSignsInWithTotp();
    await settled();
    const [hook] = deliveriesOf('authentication.mfa_succeeded');
    expect(hook && JSON.parse(hook.body).data.session_id).toBe(sid);
    expect(hook && statusOf(hook)).toBe('uncorrelated');
    expect((await ledger.lookup(sid)).status).toBe('missing');
    expect(uncorrelatedFor(sid)).toEqual(['delivered_late']);
  });

  it('a second event (another id) naming an already granted session grants nothing, even after its entry was removed', async () => {
    emulator.control.configure({ mfaSucceededSessionId: true });
    const { sid } = await aliceSignsInWithTotp();
    await settled();
    expect((await ledger.lookup(sid)).status).toBe('found');
    await ledger.remove(sid);
    const second = mfaEventNaming(sid);
    await settled();
    expect(answerTo(second.eventId)).toEqual([200, 'uncorrelated']);
    expect((await ledger.lookup(sid)).status).toBe('missing');
    expect(uncorrelatedFor(sid)).toEqual(['session_already_granted']);
  });

  it('the same event replayed after the window: a duplicate while remembered; late once the app is 10 min on, even if Redis forgot it', async () => {
    emulator.control.configure({ mfaSucceededSessionId: true });
    const { sid } = await aliceSignsInWithTotp();
    await settled();
    const [original] = deliveriesOf('authentication.mfa_succeeded');
    if (!original) throw new Error('no delivery received');
    expect(statusOf(original)).toBe('recorded');
    await ledger.remove(sid);

    const again = await resend(original.body, signWebhook(original.body, SECRET, Date.now()));
    expect(await again.json()).toEqual({ received: true, status: 'duplicate' });

    // Ten minutes later for the app; the event's id and the session's grant are no longer remembered (a Redis
    // failover, an expired key). The sender's retry is correctly signed and carries the right time — but late.
    appClockAheadMs = 600_000;
    const eventId = (JSON.parse(original.body) as { id: string }).id;
    await redis.del([webhookEventKey(eventId, PREFIX)!, webhookGrantKey(sid, PREFIX)]);
    const late = await resend(original.body, signWebhook(original.body, SECRET, Date.now()));
    expect(await late.json()).toEqual({ received: true, status: 'uncorrelated' });
    await settled();
    expect((await ledger.lookup(sid)).status).toBe('missing');
    expect(uncorrelatedFor(sid)).toEqual(['delivered_late']);
  });

  it('the legitimate case: an event whose time matches B’s creation grants B (and only B)', async () => {
    const a = await signIn(ALICE);
    emulator.control.advanceClock(60);
    const b = await signIn(ALICE);
    const event = mfaEventNaming(b.sid); // stamped by the emulator's clock, as B's creation was
    await settled();
    expect(answerTo(event.eventId)).toEqual([200, 'recorded']);
    expect(await ledger.lookup(b.sid)).toMatchObject({
      status: 'found',
      entry: { sessionId: b.sid, userId: ALICE.id, source: 'webhook' },
    });
    expect((await ledger.lookup(a.sid)).status).toBe('missing');
  });
});

describe('deleting the factor that verified a session', () => {
  it("removes that session's entry (and other sessions' entries proven by it), audited; not someone else's factor", async () => {
    const first = await signIn(ALICE);
    const second = await signIn(ALICE);
    const bob = await signIn(BOB);
    const now = Math.floor(Date.now() / 1000);
    await ledger.record({
      sessionId: first.sid,
      userId: ALICE.id,
      verifiedAt: now,
      methods: ['otp'],
      factorId: ALICE.factorId,
      source: 'step_up',
    });
    await ledger.record({
      sessionId: second.sid,
      userId: ALICE.id,
      verifiedAt: now,
      methods: ['otp'],
      factorId: 'auth_factor_other',
      source: 'step_up',
    });
    await ledger.record({ sessionId: bob.sid, userId: BOB.id, verifiedAt: now, methods: ['otp'], source: 'step_up' });
    await settled();
    records.length = 0;

    // Bob cannot delete Alice's factor: not found, nothing changes.
    expect(
      await deleteFactorAndRevoke({
        workos,
        sessionMfa,
        userId: BOB.id,
        sessionId: bob.sid,
        factorId: ALICE.factorId,
        context: { target: 'DELETE /api/mfa/factors' },
      }),
    ).toEqual({ status: 'not_found' });
    expect(emulator.control.users().find((u) => u.id === ALICE.id)?.totpFactors).toHaveLength(1);

    const result = await deleteFactorAndRevoke({
      workos,
      sessionMfa,
      userId: ALICE.id,
      sessionId: second.sid,
      factorId: ALICE.factorId,
      context: { target: 'DELETE /api/mfa/factors', requestId: 'req_del' },
    });
    expect(result).toEqual({ status: 'deleted', revoked: [first.sid], failed: [] });
    expect(emulator.control.users().find((u) => u.id === ALICE.id)?.totpFactors).toEqual([]);
    expect((await ledger.lookup(first.sid)).status).toBe('missing');
    expect((await ledger.lookup(second.sid)).status).toBe('found');
    expect((await ledger.lookup(bob.sid)).status).toBe('found');
    await settled();
    expect(records.map((r) => [r.type, r.reason, r.sessionId, r.detail?.factorId])).toEqual([
      ['factor.deleted', 'user_deleted_factor', second.sid, ALICE.factorId],
      ['ledger.removed', 'factor_deleted', first.sid, ALICE.factorId],
    ]);
  });
});
