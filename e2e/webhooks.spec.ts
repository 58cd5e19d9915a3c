/**
 * Session-bound webhooks. Which flow can produce a session-bound `authentication.mfa_succeeded`? Only a sign-in
 * whose MFA step belongs to a session: AuthKit's hosted sign-in with its TOTP step, where WorkOS creates the
 * session itself. A bare `verifyChallenge` (the step-up page's) has no session at WorkOS — the emulator then
 * guesses the user's newest session, which is wrong for a step-up in an older one — so these tests use the
 * hosted sign-in, with tokens as today's (no `amr`): the webhook is the only evidence there is.
 *
 * With `session_id` (emulator `mfaSucceededSessionId: true`, the field WorkOS is being asked to add) the event
 * grants exactly that session; `session.revoked` (a revocation through the WorkOS API, not the app's sign-out)
 * removes the grant at once. Without it (WorkOS today) nothing is granted and an uncorrelated record appears.
 */
import { expect, test, type Page } from '@playwright/test';
import { configureEmulator, ledgerKey, sessionStatus, signIn, withRedis } from './support/app';
import { auditRecords, waitForAudit } from './support/audit';
import { revokeSessionAtWorkos, settledDeliveries, type Delivery } from './support/emulator';
import { USERS } from './support/users';

const leo = USERS.leo;

test.afterEach(async ({ request }) => {
  await configureEmulator(request, { claimsMode: 'today', signInMfa: 'off', mfaSucceededSessionId: false });
});

const ledgerEntry = (sid: string) => withRedis(async (redis) => JSON.parse((await redis.get(ledgerKey(sid))) ?? 'null') as Record<string, unknown> | null);
const adminReason = async (page: Page) => (await sessionStatus(page)).policies.admin.reason;
const mfaSucceeded = (deliveries: Delivery[], seen: ReadonlySet<string>) => deliveries.filter((d) => d.event === 'authentication.mfa_succeeded' && d.payload.data.user_id === leo.id && !seen.has(d.eventId));

test('mfa_succeeded with session_id grants exactly that session, and session.revoked takes it away', async ({ browser, request }) => {
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
  expect(event).toMatchObject({ status: 'delivered', responseStatus: 200, payload: { data: { session_id: newerSid } } });
  await expect.poll(() => adminReason(newer), { message: 'the webhook grants the newer session', timeout: 10_000 }).toBe('verified');
  expect(await ledgerEntry(newerSid)).toMatchObject({ sid: newerSid, userId: leo.id, orgId: 'org_acme', source: 'webhook', methods: ['otp'] });
  const [recorded] = await waitForAudit((records) => records.filter((r) => r.type === 'ledger.recorded' && r.sid === newerSid), 1, 'the webhook grant is audited');
  expect(recorded).toMatchObject({ reason: 'webhook_mfa_succeeded', target: 'webhook authentication.mfa_succeeded', userId: leo.id, requestId: event!.eventId, evidence: { source: 'ledger:webhook', methods: ['otp'] } });
  expect(await ledgerEntry(olderSid)).toBeNull();
  expect(await adminReason(older)).toBe('no_evidence');
  expect((await auditRecords()).filter((r) => r.type === 'ledger.recorded' && r.sid === olderSid)).toEqual([]);

  await newer.goto('/admin');
  await expect(newer).toHaveURL('/admin');
  await older.goto('/admin');
  await expect(older).toHaveURL('/step-up?return_to=%2Fadmin');

  // Revoked at WorkOS (an admin, or WorkOS itself): the session.revoked webhook removes the evidence at once,
  // while the session's access token is still unexpired.
  await revokeSessionAtWorkos(request, newerSid);
  await expect.poll(() => ledgerEntry(newerSid), { message: 'session.revoked removes the ledger entry', timeout: 10_000 }).toBeNull();
  const [removed] = await waitForAudit((records) => records.filter((r) => r.type === 'ledger.removed' && r.sid === newerSid), 1, 'the revocation is audited');
  expect(removed).toMatchObject({ reason: 'session_revoked', target: 'webhook session.revoked', userId: leo.id });
  const revoked = (await settledDeliveries(request)).find((d) => d.event === 'session.revoked' && d.payload.data.id === newerSid);
  expect(revoked).toMatchObject({ status: 'delivered', responseStatus: 200 });
  expect(removed!.requestId).toBe(revoked!.eventId);
  expect(await adminReason(newer)).toBe('no_evidence');
  await newer.goto('/admin');
  await expect(newer).toHaveURL('/step-up?return_to=%2Fadmin');
  await older.context().close();
  await newer.context().close();
});

test('mfa_succeeded without session_id (WorkOS today) grants nothing and is audited as uncorrelated', async ({ page, request }) => {
  await configureEmulator(request, { claimsMode: 'today', signInMfa: 'required', mfaSucceededSessionId: false });
  const seen = new Set((await settledDeliveries(request)).map((d) => d.eventId));
  await signIn(page, leo, { totp: true });
  const { sessionId } = await sessionStatus(page);

  const [event, ...others] = mfaSucceeded(await settledDeliveries(request), seen);
  expect(others).toEqual([]);
  expect(event).toMatchObject({ status: 'delivered', responseStatus: 200 });
  expect(event!.payload.data).not.toHaveProperty('session_id');
  const [uncorrelated] = await waitForAudit((records) => records.filter((r) => r.type === 'webhook.uncorrelated' && r.requestId === event!.eventId), 1, 'the uncorrelated record');
  expect(uncorrelated).toMatchObject({ reason: 'no_session_id', target: 'webhook authentication.mfa_succeeded', userId: leo.id, detail: { eventId: event!.eventId } });
  expect(uncorrelated!.sid).toBeUndefined();

  // The delivery was answered (and audited) before these checks: nothing was granted, to any session.
  expect(await ledgerEntry(sessionId)).toBeNull();
  expect((await auditRecords()).filter((r) => r.type === 'ledger.recorded' && (r.sid === sessionId || r.requestId === event!.eventId))).toEqual([]);
  expect(await adminReason(page)).toBe('no_evidence');
  await page.goto('/admin');
  await expect(page).toHaveURL('/step-up?return_to=%2Fadmin');
});
