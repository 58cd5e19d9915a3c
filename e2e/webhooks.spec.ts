/**
 * Session-bound webhooks. Which flow can produce a session-bound `authentication.mfa_succeeded`? Only a sign-in
 * whose MFA step belongs to a session: AuthKit's hosted sign-in with its TOTP step, where WorkOS creates the
 * session itself. So the grant path is exercised through the hosted sign-in, with tokens as today's (no `amr`):
 * the webhook is the only evidence there is.
 *
 * With `session_id` (emulator `mfaSucceededSessionId: true`, the field WorkOS is being asked to add) the event
 * grants exactly that session — and only when its time matches the session's creation (the MFA that established
 * it, issue 13): an event naming another session of the same user, whoever sent it, grants nothing.
 * `session.revoked` (a revocation through the WorkOS API, not the app's sign-out) removes the grant at once.
 * Without `session_id` (WorkOS today) nothing is granted and an uncorrelated record appears.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { DEMO_SECRETS } from '../scripts/demo-env';
import { configureEmulator, ledgerKey, sessionStatus, signIn, stepUp, withRedis } from './support/app';
import { auditRecords, waitForAudit } from './support/audit';
import { E2E_WEBHOOK_SECRET, stack } from './support/env';
import { revokeSessionAtWorkos, settledDeliveries, type Delivery } from './support/emulator';
import { USERS } from './support/users';

const leo = USERS.leo;
const alice = USERS.alice;

test.afterEach(async ({ request }) => {
  await configureEmulator(request, { claimsMode: 'today', signInMfa: 'off', mfaSucceededSessionId: false });
});

const ledgerEntry = (sid: string) =>
  withRedis(async (redis) => JSON.parse((await redis.get(ledgerKey(sid))) ?? 'null') as Record<string, unknown> | null);
const adminReason = async (page: Page) => (await sessionStatus(page)).policies.admin.reason;
const mfaSucceeded = (deliveries: Delivery[], seen: ReadonlySet<string>) =>
  deliveries.filter(
    (d) => d.event === 'authentication.mfa_succeeded' && d.payload.data.user_id === leo.id && !seen.has(d.eventId),
  );

test('mfa_succeeded with session_id grants exactly that session, and session.revoked takes it away', async ({
  browser,
  request,
}) => {
  await configureEmulator(request, { claimsMode: 'today', signInMfa: 'off', mfaSucceededSessionId: true });
  const seen = new Set((await settledDeliveries(request)).map((d) => d.eventId));

  // Two sessions of leo: an older one with a password only, a newer one whose sign-in included TOTP.
  const older = await (await browser.newContext()).newPage();
  await signIn(older, leo);
  const olderSid = (await sessionStatus(older)).sessionId;
  await configureEmulator(request, { signInMfa: 'required' });
  const newer = await (await browser.newContext()).newPage();
  await signIn(newer, leo, { totp: true });
  const newerSid = (await sessionStatus(newer)).sessionId;
  expect(newerSid).not.toBe(olderSid);

  // The signed event names the newer session; the app verified it and recorded webhook evidence for it alone.
  const [event, ...others] = mfaSucceeded(await settledDeliveries(request), seen);
  expect(others).toEqual([]);
  expect(event).toMatchObject({
    status: 'delivered',
    responseStatus: 200,
    payload: { data: { session_id: newerSid } },
  });
  await expect
    .poll(() => adminReason(newer), { message: 'the webhook grants the newer session', timeout: 10_000 })
    .toBe('verified');
  expect(await ledgerEntry(newerSid)).toMatchObject({
    sessionId: newerSid,
    userId: leo.id,
    organizationId: 'org_acme',
    source: 'webhook',
    methods: ['otp'],
  });
  const [recorded] = await waitForAudit(
    (records) => records.filter((r) => r.type === 'ledger.recorded' && r.sessionId === newerSid),
    1,
    'the webhook grant is audited',
  );
  expect(recorded).toMatchObject({
    reason: 'webhook_mfa_succeeded',
    target: 'webhook authentication.mfa_succeeded',
    userId: leo.id,
    requestId: event!.eventId,
    evidence: { source: 'ledger:webhook', methods: ['otp'] },
  });
  expect(await ledgerEntry(olderSid)).toBeNull();
  expect(await adminReason(older)).toBe('no_evidence');
  expect((await auditRecords()).filter((r) => r.type === 'ledger.recorded' && r.sessionId === olderSid)).toEqual([]);

  await newer.goto('/admin');
  await expect(newer).toHaveURL('/admin');
  await older.goto('/admin');
  await expect(older).toHaveURL('/step-up?return_to=%2Fadmin');

  // Revoked at WorkOS (an admin, or WorkOS itself): the session.revoked webhook removes the evidence at once,
  // while the session's access token is still unexpired.
  await revokeSessionAtWorkos(request, newerSid);
  await expect
    .poll(() => ledgerEntry(newerSid), { message: 'session.revoked removes the ledger entry', timeout: 10_000 })
    .toBeNull();
  const [removed] = await waitForAudit(
    (records) => records.filter((r) => r.type === 'ledger.removed' && r.sessionId === newerSid),
    1,
    'the revocation is audited',
  );
  expect(removed).toMatchObject({ reason: 'session_revoked', target: 'webhook session.revoked', userId: leo.id });
  const revoked = (await settledDeliveries(request)).find(
    (d) => d.event === 'session.revoked' && d.payload.data.id === newerSid,
  );
  expect(revoked).toMatchObject({ status: 'delivered', responseStatus: 200 });
  expect(removed!.requestId).toBe(revoked!.eventId);
  expect(await adminReason(newer)).toBe('no_evidence');
  await newer.goto('/admin');
  await expect(newer).toHaveURL('/step-up?return_to=%2Fadmin');
  await older.context().close();
  await newer.context().close();
});

test('mfa_succeeded without session_id (WorkOS today) grants nothing and is audited as uncorrelated', async ({
  page,
  request,
}) => {
  await configureEmulator(request, { claimsMode: 'today', signInMfa: 'required', mfaSucceededSessionId: false });
  const seen = new Set((await settledDeliveries(request)).map((d) => d.eventId));
  await signIn(page, leo, { totp: true });
  const { sessionId } = await sessionStatus(page);

  const [event, ...others] = mfaSucceeded(await settledDeliveries(request), seen);
  expect(others).toEqual([]);
  expect(event).toMatchObject({ status: 'delivered', responseStatus: 200 });
  expect(event!.payload.data).not.toHaveProperty('session_id');
  const [uncorrelated] = await waitForAudit(
    (records) => records.filter((r) => r.type === 'webhook.uncorrelated' && r.requestId === event!.eventId),
    1,
    'the uncorrelated record',
  );
  expect(uncorrelated).toMatchObject({
    reason: 'no_session_id',
    target: 'webhook authentication.mfa_succeeded',
    userId: leo.id,
    detail: { eventId: event!.eventId },
  });
  expect(uncorrelated!.sessionId).toBeUndefined();

  // The delivery was answered (and audited) before these checks: nothing was granted, to any session.
  expect(await ledgerEntry(sessionId)).toBeNull();
  expect(
    (await auditRecords()).filter(
      (r) => r.type === 'ledger.recorded' && (r.sessionId === sessionId || r.requestId === event!.eventId),
    ),
  ).toEqual([]);
  expect(await adminReason(page)).toBe('no_evidence');
  await page.goto('/admin');
  await expect(page).toHaveURL('/step-up?return_to=%2Fadmin');
});

/** When WorkOS created the session, as `userManagement.listSessions` reports it (the app's handler reads the same). */
async function sessionCreatedAt(request: APIRequestContext, userId: string, sid: string): Promise<number> {
  const response = await request.get(`${stack.workosUrl}/user_management/users/${userId}/sessions`, {
    headers: { authorization: `Bearer ${DEMO_SECRETS.workosApiKey}` },
  });
  expect(response.status()).toBe(200);
  const { data } = (await response.json()) as { data: Array<{ id: string; created_at: string }> };
  const session = data.find((s) => s.id === sid);
  expect(session, `session ${sid} at WorkOS`).toBeDefined();
  return Date.parse(session!.created_at);
}

/**
 * POSTs a signed `authentication.mfa_succeeded` naming `sid`, stamped `createdAt`, to the app's webhook endpoint —
 * signed here with the e2e webhook secret (`t=<ms>, v1=HMAC-SHA256(secret, "<t>.<body>")`), as WorkOS signs.
 */
async function deliverMfaSucceeded(
  request: APIRequestContext,
  input: { userId: string; email: string; sid: string; createdAt: number },
): Promise<{ eventId: string; status: number; body: unknown }> {
  const eventId = `event_e2e_${randomUUID().replaceAll('-', '')}`;
  const body = JSON.stringify({
    id: eventId,
    event: 'authentication.mfa_succeeded',
    data: {
      type: 'mfa',
      status: 'succeeded',
      user_id: input.userId,
      email: input.email,
      ip_address: null,
      user_agent: null,
      session_id: input.sid,
    },
    created_at: new Date(input.createdAt).toISOString(),
    object: 'event',
  });
  const t = String(Date.now());
  const signature = `t=${t}, v1=${createHmac('sha256', E2E_WEBHOOK_SECRET).update(`${t}.${body}`).digest('hex')}`;
  const response = await request.post('/api/webhooks/workos', {
    headers: { 'content-type': 'application/json', 'workos-signature': signature },
    data: body,
  });
  return { eventId, status: response.status(), body: await response.json() };
}

/** What `page`'s session gets from the three admin routes (a fetch, not a navigation, for `/admin`). */
async function adminAnswers(page: Page): Promise<Record<string, [number, string | undefined]>> {
  const answer = async (method: 'GET' | 'POST', path: string): Promise<[number, string | undefined]> => {
    const response = await page.request.fetch(path, { method, headers: { accept: 'application/json' } });
    const body = (await response.json().catch(() => ({}))) as { reason?: string };
    return [response.status(), body.reason];
  };
  return {
    'GET /api/admin/report': await answer('GET', '/api/admin/report'),
    'GET /admin': await answer('GET', '/admin'),
    'POST /api/admin/keys/rotate': await answer('POST', '/api/admin/keys/rotate'),
  };
}

test('issue 13: alice steps up in session A; a signed mfa_succeeded naming her password-only session B grants B nothing', async ({
  browser,
  request,
}) => {
  await configureEmulator(request, { claimsMode: 'today', signInMfa: 'off', mfaSucceededSessionId: false });

  // A: alice. B: a second sign-in with alice's password only (someone who has it).
  const a = await (await browser.newContext()).newPage();
  await signIn(a, alice);
  const sidA = (await sessionStatus(a)).sessionId;
  const b = await (await browser.newContext()).newPage();
  await signIn(b, alice);
  const sidB = (await sessionStatus(b)).sessionId;
  expect(sidB).not.toBe(sidA);
  const bCreated = await sessionCreatedAt(request, alice.id, sidB);
  const before = await adminAnswers(b);
  expect(before['GET /api/admin/report']).toEqual([403, 'no_evidence']);

  // The attack's premise: alice's MFA comes after B exists, so it cannot be B's sign-in (the handler allows an
  // event stamped at most 2 s after the session's creation). Alice steps up in A.
  await expect
    .poll(() => Date.now() - bCreated, { message: 'B is more than 2 s old', timeout: 5_000 })
    .toBeGreaterThan(2_500);
  await a.goto('/admin');
  await stepUp(a, alice);
  await expect(a).toHaveURL('/admin');
  const mfaAt = Date.now();

  // The MFA of that step-up, attributed to B and correctly signed: the endpoint records it and grants nothing.
  const attack = await deliverMfaSucceeded(request, {
    userId: alice.id,
    email: alice.email,
    sid: sidB,
    createdAt: mfaAt,
  });
  expect([attack.status, attack.body]).toEqual([200, { received: true, status: 'uncorrelated' }]);
  expect(await ledgerEntry(sidB)).toBeNull();
  expect(await adminAnswers(b)).toEqual({
    'GET /api/admin/report': [403, 'no_evidence'],
    'GET /admin': [403, 'no_evidence'],
    'POST /api/admin/keys/rotate': [403, 'no_evidence'],
  });
  await b.goto('/admin');
  await expect(b).toHaveURL('/step-up?return_to=%2Fadmin');

  const [uncorrelated] = await waitForAudit(
    (records) => records.filter((r) => r.type === 'webhook.uncorrelated' && r.requestId === attack.eventId),
    1,
    'the uncorrelated record',
  );
  expect(uncorrelated).toMatchObject({
    reason: 'mfa_after_session_start',
    target: 'webhook authentication.mfa_succeeded',
    sessionId: sidB,
    userId: alice.id,
    detail: {
      eventId: attack.eventId,
      eventAt: new Date(mfaAt).toISOString(),
      sessionCreatedAt: new Date(bCreated).toISOString(),
    },
  });
  expect((await auditRecords()).filter((r) => r.type === 'ledger.recorded' && r.sessionId === sidB)).toEqual([]);

  // The contrast: an event stamped at B's creation — what B's own sign-in MFA would have sent — grants B.
  const legit = await deliverMfaSucceeded(request, {
    userId: alice.id,
    email: alice.email,
    sid: sidB,
    createdAt: bCreated,
  });
  expect([legit.status, legit.body]).toEqual([200, { received: true, status: 'recorded' }]);
  expect(await ledgerEntry(sidB)).toMatchObject({ sessionId: sidB, userId: alice.id, source: 'webhook' });
  expect((await adminAnswers(b))['GET /api/admin/report']).toEqual([200, undefined]);
  await a.context().close();
  await b.context().close();
});
