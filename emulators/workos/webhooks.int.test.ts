import { SignatureVerificationException, type WorkOS } from '@workos-inc/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ALICE,
  BOB,
  CAROL,
  alignToMidStep,
  controlRequest,
  expectSpecConformance,
  rejectionOf,
  sdkFor,
  signInAndExchange,
  startCheckedEmulator,
  startWebhookReceiver,
  totpAt,
  verifyAccessToken,
  type CheckedEmulator,
  type ReceivedWebhook,
  type WebhookReceiver,
  type EmulatorUnderTest,
} from './conformance-helpers';
import { signWebhook } from './webhook-signature';

const SECRET = 'whsec_conformance';

let checked: CheckedEmulator;
let emulator: EmulatorUnderTest;
let workos: WorkOS;
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  checked = await startCheckedEmulator({
    webhook: { url: receiver.url, secret: SECRET },
    webhookRetryDelaysMs: [5, 10],
  });
  emulator = checked.emulator;
  workos = sdkFor(emulator);
});
afterAll(async () => {
  await emulator.close();
  await receiver.close();
});
beforeEach(async () => {
  // Let the previous test's deliveries land first, so they cannot show up in this one.
  await emulator.control.webhooksSettled();
  await emulator.control.reset();
  await checked.takeViolations();
  receiver.received.length = 0;
  await alignToMidStep(emulator);
});
afterEach(() => expectSpecConformance(checked));

/** Signs alice in through the hosted page with its TOTP step (sign-in MFA required). */
async function signInAliceWithTotp() {
  await emulator.control.configure({ signInMfa: 'required' });
  return signInAndExchange(emulator, workos, {
    email: ALICE.email,
    password: ALICE.password,
    totp: () => totpAt(emulator, ALICE.secret),
  });
}

const byEvent = (name: string) => (event: Record<string, unknown>) => event.event === name;

function constructEvent(hook: ReceivedWebhook, overrides: { payload?: string; sigHeader?: string } = {}) {
  return workos.webhooks.constructEvent({
    payload: overrides.payload ?? hook.body,
    sigHeader: overrides.sigHeader ?? String(hook.headers['workos-signature']),
    secret: SECRET,
  });
}

describe('signed deliveries', () => {
  it('signs session.created and authentication.password_succeeded so constructEvent accepts them', async () => {
    const auth = await signInAndExchange(emulator, workos, { email: BOB.email, password: BOB.password });
    const sid = (await verifyAccessToken(emulator, workos, auth.accessToken)).payload.sid;

    const created = await receiver.waitFor(byEvent('session.created'));
    expect(created.headers['content-type']).toBe('application/json');
    expect(String(created.headers['workos-signature'])).toMatch(/^t=\d{13}, v1=[0-9a-f]{64}$/);
    const event = await constructEvent(created);
    expect(event).toMatchObject({
      event: 'session.created',
      data: { object: 'session', id: sid, userId: BOB.id, authMethod: 'password', status: 'active' },
    });
    expect(event.id).toMatch(/^event_/);
    expect(JSON.parse(created.body)).toMatchObject({ object: 'event', created_at: expect.any(String) });

    const password = await constructEvent(await receiver.waitFor(byEvent('authentication.password_succeeded')));
    expect(password).toMatchObject({
      data: {
        type: 'password',
        status: 'succeeded',
        userId: BOB.id,
        email: BOB.email,
        userAgent: 'conformance-browser',
      },
    });
  });

  it('emits authentication.sso_succeeded for SSO sign-ins and session.revoked on logout', async () => {
    const auth = await signInAndExchange(emulator, workos, { email: CAROL.email, intent: 'sso' });
    const sso = await constructEvent(await receiver.waitFor(byEvent('authentication.sso_succeeded')));
    expect(sso).toMatchObject({
      data: { type: 'sso', userId: CAROL.id, sso: { connectionId: 'conn_globex', organizationId: 'org_globex' } },
    });

    const sid = String((await verifyAccessToken(emulator, workos, auth.accessToken)).payload.sid);
    await fetch(workos.userManagement.getLogoutUrl({ sessionId: sid }), { redirect: 'manual' });
    const revoked = await constructEvent(await receiver.waitFor(byEvent('session.revoked')));
    expect(revoked).toMatchObject({ data: { id: sid, status: 'revoked' } });
  });

  it('fails verification when the body is tampered with or the signature is stale', async () => {
    await emulator.control.sendWebhook('session.created', {
      object: 'session',
      id: 'session_x',
      user_id: ALICE.id,
      status: 'active',
    });
    const hook = await receiver.waitFor(byEvent('session.created'));
    await expect(constructEvent(hook)).resolves.toMatchObject({ event: 'session.created' });

    const tampered = hook.body.replace('session_x', 'session_y');
    const tamperedError = await rejectionOf(constructEvent(hook, { payload: tampered }));
    expect(tamperedError).toBeInstanceOf(SignatureVerificationException);

    const staleHeader = signWebhook(hook.body, SECRET, Date.now() - 10 * 60_000);
    const staleError = await rejectionOf(constructEvent(hook, { sigHeader: staleHeader }));
    expect(staleError).toBeInstanceOf(SignatureVerificationException);
    expect(staleError.message).toBe('Timestamp outside the tolerance zone');

    const wrongSecret = await rejectionOf(
      workos.webhooks.constructEvent({
        payload: hook.body,
        sigHeader: String(hook.headers['workos-signature']),
        secret: 'whsec_other',
      }),
    );
    expect(wrongSecret).toBeInstanceOf(SignatureVerificationException);
  });

  it('signWebhook matches the SDK’s computeSignature', async () => {
    const body = '{"id":"event_1","event":"x","data":{},"created_at":"2026-01-01T00:00:00.000Z","object":"event"}';
    const t = 1_767_225_600_000;
    const expected = await workos.webhooks.computeSignature(t, body, SECRET);
    expect(signWebhook(body, SECRET, t)).toBe(`t=${t}, v1=${expected}`);
  });
});

describe('authentication.mfa_succeeded and session_id', () => {
  it('is sent for the TOTP step of a hosted sign-in, without session_id by default (today’s WorkOS)', async () => {
    await signInAliceWithTotp();
    const hook = await receiver.waitFor(byEvent('authentication.mfa_succeeded'));
    const data = (JSON.parse(hook.body) as { data: Record<string, unknown> }).data;
    expect(data).toMatchObject({
      type: 'mfa',
      status: 'succeeded',
      user_id: ALICE.id,
      email: ALICE.email,
      user_agent: 'conformance-browser',
    });
    expect(data).not.toHaveProperty('session_id');
    await expect(constructEvent(hook)).resolves.toMatchObject({ data: { userId: ALICE.id } });
  });

  it('is never sent for a bare challenge verification (the standalone MFA API), right or wrong', async () => {
    await signInAndExchange(emulator, workos, { email: ALICE.email, password: ALICE.password });
    await emulator.control.configure({ mfaSucceededSessionId: true });
    const challenge = await workos.multiFactorAuth.challengeFactor({ authenticationFactorId: ALICE.factorId });
    const good = totpAt(emulator, ALICE.secret);
    const bad = String((Number(good) + 1) % 1_000_000).padStart(6, '0');
    expect(
      (await workos.multiFactorAuth.verifyChallenge({ authenticationChallengeId: challenge.id, code: bad })).valid,
    ).toBe(false);
    expect(
      (await workos.multiFactorAuth.verifyChallenge({ authenticationChallengeId: challenge.id, code: good })).valid,
    ).toBe(true);
    await emulator.control.webhooksSettled();
    const events = (await emulator.control.deliveries()).map((d) => d.event);
    expect(events).toContain('session.created');
    expect(events.filter((e) => e.startsWith('authentication.mfa_'))).toEqual([]);
  });

  it('with the switch on, carries the id of the session that sign-in created — not the user’s newest one', async () => {
    await emulator.control.configure({ mfaSucceededSessionId: true });
    const withTotp = await signInAliceWithTotp();
    const sid = (await verifyAccessToken(emulator, workos, withTotp.accessToken)).payload.sid;
    // A later password-only session of the same user must not take the event over.
    await emulator.control.configure({ signInMfa: 'off' });
    await emulator.control.advanceClock(30);
    const newer = await signInAndExchange(emulator, workos, { email: ALICE.email, password: ALICE.password });
    expect((await verifyAccessToken(emulator, workos, newer.accessToken)).payload.sid).not.toBe(sid);
    await emulator.control.webhooksSettled();
    const mfa = (await emulator.control.deliveries()).filter((d) => d.event === 'authentication.mfa_succeeded');
    expect(mfa.map((d) => (d.payload.data as { session_id?: unknown }).session_id)).toEqual([sid]);
  });

  it('with the switch on, the mfa-totp grant’s event names the session the grant created', async () => {
    await emulator.control.configure({ mfaSucceededSessionId: true, signInMfa: 'required' });
    const challenged = await rejectionOf(
      workos.userManagement.authenticateWithPassword({
        clientId: emulator.clientId,
        email: ALICE.email,
        password: ALICE.password,
      }),
    );
    const challenge = await workos.multiFactorAuth.challengeFactor({ authenticationFactorId: ALICE.factorId });
    const auth = await workos.userManagement.authenticateWithTotp({
      clientId: emulator.clientId,
      code: totpAt(emulator, ALICE.secret),
      authenticationChallengeId: challenge.id,
      pendingAuthenticationToken: String(challenged.pendingAuthenticationToken),
    });
    const sid = (await verifyAccessToken(emulator, workos, auth.accessToken)).payload.sid;
    const hook = await receiver.waitFor(byEvent('authentication.mfa_succeeded'));
    expect(JSON.parse(hook.body)).toMatchObject({ data: { session_id: sid, user_id: ALICE.id } });
  });

  it('emits authentication.mfa_failed for a wrong code at the sign-in’s TOTP step', async () => {
    await emulator.control.configure({ signInMfa: 'required' });
    const good = totpAt(emulator, ALICE.secret);
    const bad = String((Number(good) + 1) % 1_000_000).padStart(6, '0');
    await expect(
      signInAndExchange(emulator, workos, { email: ALICE.email, password: ALICE.password, totp: () => bad }),
    ).rejects.toThrow('sign-in answered 401');
    const hook = await receiver.waitFor(byEvent('authentication.mfa_failed'));
    expect(JSON.parse(hook.body)).toMatchObject({
      data: { type: 'mfa', status: 'failed', user_id: ALICE.id, error: { code: 'invalid_one_time_code' } },
    });
  });
});

describe('delivery records and retries', () => {
  it('retries a failed delivery and records status and attempts', async () => {
    receiver.queueStatuses(500, 503);
    await emulator.control.sendWebhook('user.updated', { id: ALICE.id });
    await emulator.control.webhooksSettled();
    const [delivery] = await emulator.control.deliveries();
    expect(delivery).toMatchObject({
      event: 'user.updated',
      status: 'delivered',
      attempts: 3,
      responseStatus: 200,
      url: receiver.url,
    });
    expect(receiver.received).toHaveLength(3);
    // Each attempt is signed afresh over the same body.
    expect(new Set(receiver.received.map((r) => r.body)).size).toBe(1);
  });

  it('gives up after the bounded number of attempts', async () => {
    receiver.queueStatuses(500, 500, 500);
    await emulator.control.sendWebhook('user.updated', { id: BOB.id });
    await emulator.control.webhooksSettled();
    expect((await emulator.control.deliveries())[0]).toMatchObject({
      status: 'failed',
      attempts: 3,
      responseStatus: 500,
      error: 'HTTP 500',
    });
    expect(receiver.received).toHaveLength(3);
  });

  it('lists deliveries through the control route, waiting for pending ones with ?settled=1', async () => {
    const sent = await controlRequest(emulator, 'POST', 'webhooks/send', {
      event: 'dsync.deleted',
      data: { id: 'directory_1' },
    });
    expect(sent.status).toBe(202);
    const { json } = await controlRequest(emulator, 'GET', 'deliveries?settled=1');
    expect(json.data).toEqual([expect.objectContaining({ event: 'dsync.deleted', status: 'delivered', attempts: 1 })]);
  });

  it('sends nothing when no webhook is configured', async () => {
    await emulator.control.configure({ webhook: null });
    expect(await emulator.control.sendWebhook('user.updated', {})).toBeNull();
    await signInAndExchange(emulator, workos, { email: BOB.email, password: BOB.password });
    expect(await emulator.control.deliveries()).toHaveLength(0);
    expect((await controlRequest(emulator, 'POST', 'webhooks/send', { event: 'x', data: {} })).status).toBe(409);
  });
});
