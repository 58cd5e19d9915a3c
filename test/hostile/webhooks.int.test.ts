/**
 * Hostile WorkOS webhook deliveries through the library's public handler, with the real `@workos-inc/node`
 * signature check and session lookup (against the emulator), the ledger and event de-duplication in real Redis
 * behind the Upstash stand-in. Each case asserts the answer and that the ledger did not change.
 */
import { randomUUID } from 'node:crypto';
import { WorkOS } from '@workos-inc/node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { signWebhook } from '../../emulators/workos';
import { createWorkosWebhookHandler, deleteFactorAndRevoke } from '../../lib/webhooks';
import { upstashWebhookDedupe } from '../../lib/upstash';
import { nowSeconds, standInClient, startHarness, type Harness, type SignedIn } from './support/harness';

const SECRET = 'whsec_hostile_test_secret';
let h: Harness;
let workos: WorkOS;
let handle: (request: Request) => Promise<Response>;
let alice: SignedIn;
let bob: SignedIn;
beforeAll(async () => {
  h = await startHarness({ redisUrl: inject('redisUrl') });
  workos = new WorkOS(h.emulator.apiKey, {
    apiHostname: '127.0.0.1',
    https: false,
    port: h.emulator.port,
    clientId: h.emulator.clientId,
  });
  const redis = standInClient(h.standIn!);
  handle = createWorkosWebhookHandler({
    workos,
    secret: SECRET,
    sessionMfa: h.sessionMfa,
    dedupe: upstashWebhookDedupe(redis),
    onError: () => undefined,
  });
  [alice, bob] = await Promise.all([h.signIn(), h.signIn('bob@acme.test', 'bob-password-1')]);
});
afterAll(() => h?.close());

const event = (name: string, data: Record<string, unknown>, over: Record<string, unknown> = {}) =>
  JSON.stringify({
    id: `event_${randomUUID().replaceAll('-', '')}`,
    event: name,
    data,
    created_at: new Date().toISOString(),
    object: 'event',
    ...over,
  });
const mfaSucceeded = (s: Pick<SignedIn, 'sid' | 'userId'>, over: Record<string, unknown> = {}) =>
  event('authentication.mfa_succeeded', {
    type: 'mfa',
    status: 'succeeded',
    user_id: s.userId,
    session_id: s.sid,
    email: 'x@acme.test',
    ...over,
  });
const post = (body: BodyInit, signature: string | null, headers: Record<string, string> = {}) =>
  handle(
    new Request('http://localhost:3000/api/webhooks/workos', {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        ...(signature ? { 'workos-signature': signature } : {}),
        ...headers,
      },
    }),
  );
const signed = (body: string, at = Date.now(), secret = SECRET) => post(body, signWebhook(body, secret, at));

async function unchanged(run: () => Promise<Response>): Promise<Response> {
  const before = await h.snapshot();
  const res = await run();
  expect(await h.snapshot()).toEqual(before);
  return res;
}
const json = async (res: Response) => (await res.json()) as Record<string, unknown>;

describe('deliveries that must not be believed', () => {
  it('unsigned → 401', async () => {
    const res = await unchanged(() => post(mfaSucceeded(alice), null));
    expect(res.status).toBe(401);
    expect(await json(res)).toEqual({ error: 'missing_signature' });
  });

  it('signed with the wrong secret → 401', async () => {
    const res = await unchanged(() => signed(mfaSucceeded(alice), Date.now(), 'whsec_attacker'));
    expect(res.status).toBe(401);
    expect(await json(res)).toEqual({ error: 'invalid_signature' });
  });

  it('a body changed after signing → 401', async () => {
    const body = mfaSucceeded(bob);
    const res = await unchanged(() =>
      post(body.replace(bob.sid, alice.sid).replace(bob.userId, alice.userId), signWebhook(body, SECRET, Date.now())),
    );
    expect(res.status).toBe(401);
  });

  it('a stale timestamp (10 minutes old, correctly signed) → 401', async () => {
    const res = await unchanged(() => signed(mfaSucceeded(alice), Date.now() - 10 * 60_000));
    expect(res.status).toBe(401);
  });

  it('a timestamp 10 minutes in the future (correctly signed) → 401', async () => {
    const res = await unchanged(() => signed(mfaSucceeded(alice), Date.now() + 10 * 60_000));
    expect(res.status).toBe(401);
  });

  it.each([
    ['no t', (b: string) => signWebhook(b, SECRET, Date.now()).replace(/^t=\d+, /, '')],
    ['t in seconds', (b: string) => signWebhook(b, SECRET, Math.floor(Date.now() / 1000))],
    ['garbage', () => 't=abc, v1=zzz'],
    ['an empty v1', () => `t=${Date.now()}, v1=`],
  ])('a malformed signature header (%s) → 401', async (_name, header) => {
    const body = mfaSucceeded(alice);
    const res = await unchanged(() => post(body, header(body)));
    expect(res.status).toBe(401);
  });

  it('malformed JSON, correctly signed → 400', async () => {
    const res = await unchanged(() => signed('{"id":"event_1","event":"authentication.mfa_succeeded",'));
    expect(res.status).toBe(400);
  });

  it.each([
    ['no id', { id: undefined }],
    ['an id that would escape its key', { id: 'event_1}:x{' }],
    ['data an array', { data: [] }],
    ['event a number', { event: 7 }],
  ])('a signed event with %s → 400', async (_name, over) => {
    const res = await unchanged(() => signed(JSON.stringify({ ...JSON.parse(mfaSucceeded(alice)), ...over })));
    expect(res.status).toBe(400);
  });

  it('an oversized body (declared) → 413 before it is read', async () => {
    const body = JSON.stringify({
      id: 'event_big',
      event: 'authentication.mfa_succeeded',
      data: { pad: 'x'.repeat(70_000) },
    });
    const res = await unchanged(() => signed(body));
    expect(res.status).toBe(413);
  });

  it('an oversized body streamed without a length → 413', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(16 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 8) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const res = await unchanged(() =>
      handle(
        new Request('http://localhost:3000/api/webhooks/workos', {
          method: 'POST',
          body: stream,
          headers: { 'workos-signature': `t=${Date.now()}, v1=00` },
          duplex: 'half',
        } as RequestInit),
      ),
    );
    expect(res.status).toBe(413);
    expect(sent).toBeLessThanOrEqual(6); // stopped reading soon after the cap
  });

  it('a body that is not UTF-8 → refused', async () => {
    const bytes = new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]).buffer;
    const res = await unchanged(() => post(bytes, `t=${Date.now()}, v1=00`));
    expect(res.status).toBe(413);
  });

  it('GET → 405', async () => {
    const res = await handle(new Request('http://localhost:3000/api/webhooks/workos'));
    expect(res.status).toBe(405);
  });
});

describe('signed deliveries that must not grant', () => {
  it('mfa_succeeded without session_id (today’s WorkOS) → audited as uncorrelated, no grant', async () => {
    const body = JSON.stringify({
      ...JSON.parse(mfaSucceeded(alice)),
      data: { type: 'mfa', status: 'succeeded', user_id: alice.userId },
    });
    const res = await unchanged(() => signed(body));
    expect(await json(res)).toEqual({ received: true, status: 'uncorrelated' });
    expect(h.audit.at(-1)).toMatchObject({
      type: 'webhook.uncorrelated',
      reason: 'no_session_id',
      userId: alice.userId,
    });
  });

  it("bob's user id with alice's session id → rejected (the session is not bob's)", async () => {
    const res = await unchanged(() => signed(mfaSucceeded({ sid: alice.sid, userId: bob.userId })));
    expect(await json(res)).toEqual({ received: true, status: 'rejected' });
    expect(h.audit.at(-1)).toMatchObject({ type: 'webhook.rejected', reason: 'session_not_found_for_user' });
  });

  it('an unknown session id → rejected', async () => {
    const res = await unchanged(() => signed(mfaSucceeded({ sid: 'session_does_not_exist', userId: alice.userId })));
    expect(await json(res)).toEqual({ received: true, status: 'rejected' });
  });

  it('a session id that would escape its key → rejected', async () => {
    const res = await unchanged(() => signed(mfaSucceeded({ sid: 'session_1}:ledger{x', userId: alice.userId })));
    expect(await json(res)).toEqual({ received: true, status: 'rejected' });
    expect(h.audit.at(-1)).toMatchObject({ reason: 'malformed_session_id' });
  });

  it('a revoked session → rejected', async () => {
    const gone = await h.signIn();
    await workos.userManagement.revokeSession({ sessionId: gone.sid });
    const res = await unchanged(() => signed(mfaSucceeded(gone)));
    expect(await json(res)).toEqual({ received: true, status: 'rejected' });
    expect(h.audit.at(-1)).toMatchObject({ reason: 'session_not_found_for_user' }); // WorkOS lists active sessions only
  });

  it('no created_at → rejected (evidence without a time)', async () => {
    const res = await unchanged(() =>
      signed(JSON.stringify({ ...JSON.parse(mfaSucceeded(alice)), created_at: undefined })),
    );
    expect(await json(res)).toEqual({ received: true, status: 'rejected' });
  });

  it('a replayed delivery is handled once: after revocation removed the entry, the replay does not grant again', async () => {
    const s = await h.signIn();
    const grant = mfaSucceeded(s);
    const signature = signWebhook(grant, SECRET, Date.now());
    expect(await json(await post(grant, signature))).toEqual({ received: true, status: 'recorded' });
    expect(await h.raw.get(h.ledgerKey(s.sid))).not.toBeNull();
    expect(
      await json(await signed(event('session.revoked', { id: s.sid, user_id: s.userId, object: 'session' }))),
    ).toEqual({ received: true, status: 'removed' });
    const replay = await unchanged(() => post(grant, signature));
    expect(await json(replay)).toEqual({ received: true, status: 'duplicate' });
    expect(await h.raw.get(h.ledgerKey(s.sid))).toBeNull();
  });

  it('an event an hour old never grants (not the session’s sign-in) nor replaces fresher evidence', async () => {
    const s = await h.signIn();
    await h.record(s, { verifiedAt: nowSeconds() - 10, factorId: 'auth_factor_alice_totp' });
    const res = await unchanged(() =>
      signed(
        mfaSucceeded(s, {}).replace(
          /"created_at":"[^"]+"/,
          `"created_at":"${new Date(Date.now() - 3600_000).toISOString()}"`,
        ),
      ),
    );
    expect(await json(res)).toEqual({ received: true, status: 'uncorrelated' });
    expect(h.audit.at(-1)).toMatchObject({
      type: 'webhook.uncorrelated',
      reason: 'mfa_before_session',
      sessionId: s.sid,
    });
  });

  it('a created_at a week in the future is not believed: no grant', async () => {
    const future = await h.signIn();
    const res = await unchanged(() =>
      signed(
        JSON.stringify({
          ...JSON.parse(mfaSucceeded(future)),
          created_at: new Date(Date.now() + 7 * 86_400_000).toISOString(),
        }),
      ),
    );
    expect(await json(res)).toEqual({ received: true, status: 'uncorrelated' });
    expect(h.audit.at(-1)).toMatchObject({
      type: 'webhook.uncorrelated',
      reason: 'mfa_after_session_start',
      sessionId: future.sid,
    });
  });
});

describe('signed deliveries naming a session their MFA did not establish (issue 13, finding 1)', () => {
  /** When WorkOS (the emulator) created the session, in ms. */
  const createdMs = async (s: SignedIn) =>
    Date.parse(
      (await (await workos.userManagement.listSessions(s.userId)).autoPagination()).find((x) => x.id === s.sid)!
        .createdAt,
    );
  const at = (ms: number) => new Date(ms).toISOString();
  const mfaAt = (s: SignedIn, ms: number) => JSON.stringify({ ...JSON.parse(mfaSucceeded(s)), created_at: at(ms) });

  it('MFA in session A a minute after session B began, the event naming B → uncorrelated, B not granted', async () => {
    const b = await h.signIn(); // password only
    const body = mfaAt(b, (await createdMs(b)) + 60_000);
    const res = await unchanged(() => signed(body));
    expect(await json(res)).toEqual({ received: true, status: 'uncorrelated' });
    expect(h.audit.at(-1)).toMatchObject({
      type: 'webhook.uncorrelated',
      reason: 'mfa_after_session_start',
      sessionId: b.sid,
      userId: b.userId,
    });
  });

  it('an MFA 3 s after the session began (just past the window) → uncorrelated', async () => {
    const s = await h.signIn();
    const body = mfaAt(s, (await createdMs(s)) + 3_000);
    const res = await unchanged(() => signed(body));
    expect(await json(res)).toEqual({ received: true, status: 'uncorrelated' });
  });

  it('an MFA 31 s before the session began → uncorrelated', async () => {
    const s = await h.signIn();
    const body = mfaAt(s, (await createdMs(s)) - 31_000);
    const res = await unchanged(() => signed(body));
    expect(await json(res)).toEqual({ received: true, status: 'uncorrelated' });
    expect(h.audit.at(-1)).toMatchObject({ reason: 'mfa_before_session' });
  });

  it('an event for alice’s older session (signed in before this file’s other sessions) stamped now → uncorrelated', async () => {
    const created = await createdMs(alice);
    const res = await unchanged(() => signed(mfaAt(alice, Math.max(Date.now(), created + 2_001))));
    expect(await json(res)).toEqual({ received: true, status: 'uncorrelated' });
  });

  it('a second event (another id) for a session already granted → uncorrelated, even after its entry was revoked', async () => {
    const s = await h.signIn();
    const created = await createdMs(s);
    expect(await json(await signed(mfaAt(s, created)))).toEqual({ received: true, status: 'recorded' });
    await h.raw.del(h.ledgerKey(s.sid));
    const res = await unchanged(() => signed(mfaAt(s, created + 500)));
    expect(await json(res)).toEqual({ received: true, status: 'uncorrelated' });
    expect(h.audit.at(-1)).toMatchObject({ reason: 'session_already_granted', sessionId: s.sid });
  });

  it('the legitimate case: an event stamped at the session’s creation grants it', async () => {
    const s = await h.signIn();
    expect(await json(await signed(mfaAt(s, await createdMs(s))))).toEqual({ received: true, status: 'recorded' });
    expect(JSON.parse((await h.raw.get(h.ledgerKey(s.sid)))!)).toMatchObject({
      sessionId: s.sid,
      userId: s.userId,
      source: 'webhook',
    });
  });
});

describe('factor removal', () => {
  it("bob cannot delete alice's factor, and alice's evidence stays", async () => {
    await h.record(alice, { factorId: 'auth_factor_alice_totp' });
    const result = await unchanged(async () => {
      const r = await deleteFactorAndRevoke({
        workos,
        sessionMfa: h.sessionMfa,
        userId: bob.userId,
        sessionId: bob.sid,
        factorId: 'auth_factor_alice_totp',
        context: { target: 'DELETE /api/mfa/factors' },
      });
      return Response.json(r);
    });
    expect(await result.json()).toEqual({ status: 'not_found' });
    const factors = await (await workos.multiFactorAuth.listUserAuthFactors({ userId: alice.userId })).autoPagination();
    expect(factors.map((f) => f.id)).toContain('auth_factor_alice_totp');
  });
});
