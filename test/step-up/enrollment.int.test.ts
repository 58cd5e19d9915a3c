/**
 * Factor enrollment as an attacker with only a password meets it: through the real `@workos-inc/node` client
 * against the WorkOS emulator (Magic Auth, factor creation, challenges on its clock), with the ledger, the
 * enrollment records, attempt limits and used codes in real Redis behind the Upstash stand-in.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from '@upstash/redis';
import { WorkOS } from '@workos-inc/node';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { startUpstashStandIn, type UpstashStandIn } from '../../emulators/upstash/server';
import { totpAt } from '../../emulators/workos/conformance-helpers';
import { startWorkosEmulator, type WorkosEmulator } from '../../emulators/workos';
import type { AuditRecord } from '../../lib/audit/record';
import { createSessionLedger } from '../../lib/ledger/ledger';
import type { LedgerStore } from '../../lib/ledger/types';
import { upstashStore } from '../../lib/ledger/upstash';
import { createSessionMfa } from '../../lib/session-mfa';
import { createFactorEnrollment, type EnrollmentWorkosClient } from '../../lib/step-up/enrollment';
import { upstashAttemptLimiter } from '../../lib/step-up/ratelimit-limiter';
import type { CurrentStepUpSession } from '../../lib/step-up/session';
import { createTotpStepUp, type StepUpMfaClient } from '../../lib/step-up/totp';
import { upstashUsedCodes } from '../../lib/step-up/used-codes';

let emulator: WorkosEmulator;
let standIn: UpstashStandIn;
let workos: WorkOS;
let redis: Redis;

beforeAll(async () => {
  emulator = await startWorkosEmulator({ port: 0, rateLimits: 'off' });
  standIn = await startUpstashStandIn({ port: 0, token: 'enrollment-token', redisUrl: inject('redisUrl') });
  workos = new WorkOS(emulator.apiKey, {
    apiHostname: '127.0.0.1',
    https: false,
    port: emulator.port,
    clientId: emulator.clientId,
    maxRetries: 0,
  } as never);
  redis = new Redis({ url: standIn.url, token: standIn.token, automaticDeserialization: false, retry: { retries: 0 } });
});
afterAll(async () => {
  await standIn?.close();
  await emulator?.close();
});
beforeEach(() => {
  emulator.control.reset();
  // Mid-step, so a TOTP step boundary never falls inside a test.
  emulator.control.advanceClock(15 - ((emulator.control.now() / 1000) % 30));
});

const ALICE = {
  email: 'alice@acme.test',
  password: 'alice-password-1',
  factorId: 'auth_factor_alice_totp',
  secret: 'JBSWY3DPEHPK3PXP',
};
const BOB = { email: 'bob@acme.test', password: 'bob-password-1' };

/** One app: its own key prefix, the emulator's clock, every audit record captured. */
function app(
  options: {
    store?: (store: LedgerStore) => LedgerStore;
    workos?: (client: EnrollmentWorkosClient) => EnrollmentWorkosClient;
  } = {},
) {
  const keyPrefix = `enroll-${randomUUID().slice(0, 8)}`;
  const audit: AuditRecord[] = [];
  const base = upstashStore(redis);
  const sessionMfa = createSessionMfa({
    ledger: createSessionLedger({ store: options.store ? options.store(base) : base, keyPrefix }),
    audit: [{ name: 'capture', write: async (r) => void audit.push(r) }],
    now: () => Math.floor(emulator.control.now() / 1000),
  });
  const limiter = upstashAttemptLimiter({ redis, keyPrefix, attempts: 5, window: '15m' });
  const client = options.workos
    ? options.workos(workos as unknown as EnrollmentWorkosClient)
    : (workos as unknown as EnrollmentWorkosClient);
  const enrollment = createFactorEnrollment({
    sessionMfa,
    workos: client,
    clientId: emulator.clientId,
    limiter,
    issuer: 'Acme Console',
  });
  const stepUp = createTotpStepUp({
    sessionMfa,
    mfa: workos.multiFactorAuth as unknown as StepUpMfaClient,
    limiter,
    usedCodes: upstashUsedCodes({ redis, keyPrefix }),
  });
  return { sessionMfa, enrollment, stepUp, audit, keyPrefix };
}

/** A password sign-in, as `currentStepUpSession()` presents it (today's tokens: no auth_time). */
async function signIn(user: { email: string; password: string }): Promise<CurrentStepUpSession> {
  const auth = await workos.userManagement.authenticateWithPassword({
    clientId: emulator.clientId,
    email: user.email,
    password: user.password,
  });
  const payload = decodeJwt(auth.accessToken) as Record<string, unknown>;
  return {
    session: {
      sessionId: payload.sid as string,
      userId: payload.sub as string,
      ...(typeof payload.org_id === 'string' ? { organizationId: payload.org_id } : {}),
    },
    payload,
    user: { id: auth.user.id, email: auth.user.email, firstName: auth.user.firstName },
  };
}

const factorsOf = async (userId: string) =>
  (await workos.multiFactorAuth.listUserAuthFactors({ userId })).data.map((f) => f.id);
const emailedCode = () => emulator.control.emails(BOB.email).at(-1)!.code;
const nextStep = () => emulator.control.advanceClock(30);

/** Alice steps this session up with her seeded factor (fresh MFA in the session). */
async function aliceStepsUp(a: ReturnType<typeof app>, current: CurrentStepUpSession) {
  expect(
    await a.stepUp.verify({ session: current.session, factorId: ALICE.factorId, code: totpAt(emulator, ALICE.secret) }),
  ).toMatchObject({ ok: true });
}

describe("a user's first factor needs the account's email, proven in the same flow", () => {
  it('bob: email code, QR secret, first code; the factor verifies his next session, never the enrolling one', async () => {
    const a = app();
    const s1 = await signIn(BOB);
    expect(await a.enrollment.status(s1)).toEqual({ proof: 'email_code', ready: false, email: BOB.email, factors: 0 });
    expect(await a.enrollment.sendEmailCode(s1)).toEqual({ ok: true, email: BOB.email });
    // A server action passes on whatever the client sent: anything but a code string is refused, not thrown on.
    expect(await a.enrollment.verifyEmailCode(s1, 123456 as unknown as string)).toMatchObject({
      ok: false,
      code: 'invalid_input',
    });
    expect(await a.enrollment.verifyEmailCode(s1, emailedCode())).toEqual({ ok: true });
    expect((await a.enrollment.status(s1)).ready).toBe(true);
    // The Magic Auth check signed bob in at WorkOS: that session is revoked at once.
    expect(
      emulator.control
        .sessions()
        .filter((s) => s.auth_method === 'magic_code')
        .map((s) => s.status),
    ).toEqual(['revoked']);

    const started = await a.enrollment.start(s1);
    if (!started.ok) throw new Error(started.message);
    expect(started.factor).toMatchObject({
      issuer: 'Acme Console',
      label: BOB.email,
      secret: expect.stringMatching(/^[A-Z2-7]{32}$/),
      qrCode: expect.stringMatching(/^data:image\/png;base64,/),
    });
    // Pending: not usable anywhere yet.
    expect(
      await a.stepUp.verify({
        session: s1.session,
        factorId: started.factor.factorId,
        code: totpAt(emulator, started.factor.secret),
      }),
    ).toMatchObject({ ok: false, code: 'factor_unconfirmed' });
    nextStep();
    // As pasted from an authenticator app that groups the digits.
    const pasted = totpAt(emulator, started.factor.secret).replace(/^(\d{3})/, '$1 ');
    expect(await a.enrollment.confirm(s1, started.factor.factorId, pasted)).toEqual({
      ok: true,
      factorId: started.factor.factorId,
    });

    // Enrolling never verifies the enrolling session.
    expect(await a.sessionMfa.ledger!.lookup(s1.session.sessionId)).toEqual({ status: 'missing' });
    nextStep();
    expect(
      await a.stepUp.verify({
        session: s1.session,
        factorId: started.factor.factorId,
        code: totpAt(emulator, started.factor.secret),
      }),
    ).toMatchObject({ ok: false, code: 'factor_too_new' });

    nextStep();
    const s2 = await signIn(BOB);
    expect((await a.stepUp.listFactors(s2.session)).map((f) => f.id)).toEqual([started.factor.factorId]);
    nextStep();
    expect(
      await a.stepUp.verify({
        session: s2.session,
        factorId: started.factor.factorId,
        code: totpAt(emulator, started.factor.secret),
      }),
    ).toMatchObject({ ok: true });

    await expect
      .poll(() => a.audit.map((r) => r.type).filter((t) => t.startsWith('enrollment.')))
      .toEqual(['enrollment.email_sent', 'enrollment.email_proved', 'enrollment.started', 'enrollment.confirmed']);
    expect(a.audit.find((r) => r.type === 'enrollment.confirmed')).toMatchObject({
      reason: 'email_code',
      sessionId: s1.session.sessionId,
      userId: 'user_bob',
      organizationId: 'org_acme',
      detail: { factorId: started.factor.factorId },
    });
    expect(JSON.stringify(a.audit)).not.toContain(started.factor.secret);
  });

  it('attack — bob with only the password: no factor is created, and signing in again changes nothing', async () => {
    const a = app();
    const s1 = await signIn(BOB);
    expect(await a.enrollment.start(s1)).toMatchObject({ ok: false, code: 'email_proof_required' });
    expect(await a.enrollment.verifyEmailCode(s1, '000000')).toMatchObject({ ok: false, code: 'invalid_code' });
    expect(await a.enrollment.start(s1)).toMatchObject({ ok: false, code: 'email_proof_required' });
    expect(await factorsOf('user_bob')).toEqual([]);
    const s2 = await signIn(BOB);
    expect(await a.stepUp.listFactors(s2.session)).toEqual([]);
    await expect
      .poll(() => a.audit.filter((r) => r.type === 'enrollment.refused').map((r) => r.reason))
      .toEqual(['no_email_proof', 'invalid_email_code', 'no_email_proof']);
  });

  it('attack — an email proof of one session does not qualify another session, and qualifies one factor only', async () => {
    const a = app();
    const s1 = await signIn(BOB);
    await a.enrollment.sendEmailCode(s1);
    expect(await a.enrollment.verifyEmailCode(s1, emailedCode())).toEqual({ ok: true });
    const other = await signIn(BOB);
    expect(await a.enrollment.start(other)).toMatchObject({ ok: false, code: 'email_proof_required' });
    expect(await a.enrollment.start(s1)).toMatchObject({ ok: true });
    expect(await a.enrollment.start(s1)).toMatchObject({ ok: false, code: 'email_proof_required' });
  });

  it('attack — a factor whose setup was never confirmed never verifies a later session (enroll, sign in again, step up)', async () => {
    const a = app();
    const s1 = await signIn(BOB);
    await a.enrollment.sendEmailCode(s1);
    await a.enrollment.verifyEmailCode(s1, emailedCode());
    const started = await a.enrollment.start(s1);
    if (!started.ok) throw new Error(started.message);
    nextStep();
    const s2 = await signIn(BOB);
    expect(await a.stepUp.listFactors(s2.session)).toEqual([]);
    expect(
      await a.stepUp.verify({
        session: s2.session,
        factorId: started.factor.factorId,
        code: totpAt(emulator, started.factor.secret),
      }),
    ).toMatchObject({ ok: false, code: 'factor_unconfirmed' });
    // Nor can the second session confirm the first one's setup.
    expect(
      await a.enrollment.confirm(s2, started.factor.factorId, totpAt(emulator, started.factor.secret)),
    ).toMatchObject({ ok: false, code: 'unknown_enrollment' });
  });

  it('cancelling deletes the factor at WorkOS; an abandoned setup is deleted by the next start after its window', async () => {
    const a = app();
    const s1 = await signIn(BOB);
    await a.enrollment.sendEmailCode(s1);
    await a.enrollment.verifyEmailCode(s1, emailedCode());
    const first = await a.enrollment.start(s1);
    if (!first.ok) throw new Error(first.message);
    expect(await a.enrollment.cancel(s1, first.factor.factorId)).toEqual({ ok: true });
    expect(await factorsOf('user_bob')).toEqual([]);

    await a.enrollment.sendEmailCode(s1);
    await a.enrollment.verifyEmailCode(s1, emailedCode());
    const abandoned = await a.enrollment.start(s1);
    if (!abandoned.ok) throw new Error(abandoned.message);
    emulator.control.advanceClock(11 * 60);
    await a.enrollment.sendEmailCode(s1);
    await a.enrollment.verifyEmailCode(s1, emailedCode());
    const again = await a.enrollment.start(s1);
    if (!again.ok) throw new Error(again.message);
    expect(await factorsOf('user_bob')).toEqual([again.factor.factorId]);
    await expect
      .poll(() => a.audit.filter((r) => r.type === 'enrollment.abandoned').map((r) => r.reason))
      .toEqual(['cancelled', 'expired']);
  });
});

describe('a user who has a factor adds another only with fresh MFA in this session', () => {
  it('attack — alice with only the password: refused before WorkOS creates anything; signing in again changes nothing', async () => {
    const a = app();
    const s1 = await signIn(ALICE);
    expect(await a.enrollment.status(s1)).toMatchObject({ proof: 'session_mfa', ready: false, factors: 1 });
    expect(await a.enrollment.start(s1)).toMatchObject({ ok: false, code: 'mfa_required' });
    // The email path is closed to a user who has a factor.
    expect(await a.enrollment.sendEmailCode(s1)).toMatchObject({ ok: false, code: 'mfa_required' });
    expect(emulator.control.emails()).toEqual([]);
    expect(await factorsOf('user_alice')).toEqual([ALICE.factorId]);
    const s2 = await signIn(ALICE);
    expect((await a.stepUp.listFactors(s2.session)).map((f) => f.id)).toEqual([ALICE.factorId]);
    await expect
      .poll(() => a.audit.filter((r) => r.type === 'decision' && r.target === 'enrollment:start').map((r) => r.reason))
      .toEqual(['no_evidence']);
  });

  it('alice after a step-up adds a second factor; it counts from her next session on', async () => {
    const a = app();
    const s1 = await signIn(ALICE);
    await aliceStepsUp(a, s1);
    const started = await a.enrollment.start(s1);
    if (!started.ok) throw new Error(started.message);
    nextStep();
    expect(
      await a.enrollment.confirm(s1, started.factor.factorId, totpAt(emulator, started.factor.secret)),
    ).toMatchObject({ ok: true });
    nextStep();
    const s2 = await signIn(ALICE);
    expect((await a.stepUp.listFactors(s2.session)).map((f) => f.id).sort()).toEqual(
      [ALICE.factorId, started.factor.factorId].sort(),
    );
  });

  it('MFA older than 10 minutes does not qualify, decided again when the factor is created and when it is confirmed', async () => {
    const a = app();
    const s1 = await signIn(ALICE);
    await aliceStepsUp(a, s1);
    emulator.control.advanceClock(11 * 60);
    expect(await a.enrollment.start(s1)).toMatchObject({ ok: false, code: 'mfa_required' });

    nextStep();
    await aliceStepsUp(a, s1);
    emulator.control.advanceClock(8 * 60);
    const started = await a.enrollment.start(s1);
    if (!started.ok) throw new Error(started.message);
    emulator.control.advanceClock(3 * 60); // the setup window is still open; the MFA is now 11 minutes old
    expect(
      await a.enrollment.confirm(s1, started.factor.factorId, totpAt(emulator, started.factor.secret)),
    ).toMatchObject({ ok: false, code: 'mfa_required' });
    const s2 = await signIn(ALICE);
    expect((await a.stepUp.listFactors(s2.session)).map((f) => f.id)).toEqual([ALICE.factorId]);
  });
});

describe('partial failures leave nothing that could ever verify a session', () => {
  it('a factor whose record cannot be written is deleted at WorkOS', async () => {
    const failEnrollmentWrites = (store: LedgerStore): LedgerStore => ({
      ...store,
      name: store.name,
      set: async (key, value, ttl) =>
        key.includes(':enrollment:') ? Promise.reject(new Error('READONLY')) : store.set(key, value, ttl),
    });
    const a = app({ store: failEnrollmentWrites });
    const s1 = await signIn(ALICE);
    await aliceStepsUp(a, s1);
    expect(await a.enrollment.start(s1)).toMatchObject({ ok: false, code: 'unavailable' });
    expect(await factorsOf('user_alice')).toEqual([ALICE.factorId]);
  });

  it('attack — when even that delete fails, the leftover factor never verifies a later session', async () => {
    let leftover: string | null = null;
    const failEnrollmentWrites = (store: LedgerStore): LedgerStore => ({
      ...store,
      name: store.name,
      set: async (key, value, ttl) =>
        key.includes(':enrollment:') ? Promise.reject(new Error('READONLY')) : store.set(key, value, ttl),
    });
    const failDeletes = (client: EnrollmentWorkosClient): EnrollmentWorkosClient => ({
      userManagement: client.userManagement,
      multiFactorAuth: {
        listUserAuthFactors: (o) => client.multiFactorAuth.listUserAuthFactors(o),
        createUserAuthFactor: async (o) => {
          const created = await client.multiFactorAuth.createUserAuthFactor(o);
          leftover = created.authenticationFactor.id;
          return created;
        },
        challengeFactor: (o) => client.multiFactorAuth.challengeFactor(o),
        verifyChallenge: (o) => client.multiFactorAuth.verifyChallenge(o),
        deleteFactor: async () => Promise.reject(new Error('WorkOS is down')),
      },
    });
    const a = app({ store: failEnrollmentWrites, workos: failDeletes });
    const s1 = await signIn(BOB);
    await a.enrollment.sendEmailCode(s1);
    await a.enrollment.verifyEmailCode(s1, emailedCode());
    expect(await a.enrollment.start(s1)).toMatchObject({ ok: false, code: 'unavailable' });
    expect(await factorsOf('user_bob')).toEqual([leftover]);

    nextStep();
    const s2 = await signIn(BOB);
    const secret = emulator.control.users().find((u) => u.id === 'user_bob')!.totpFactors[0]!.secret;
    expect(await a.stepUp.listFactors(s2.session)).toEqual([]);
    expect(
      await a.stepUp.verify({ session: s2.session, factorId: leftover!, code: totpAt(emulator, secret) }),
    ).toMatchObject({ ok: false, code: 'factor_unconfirmed' });
  });
});

describe('email codes count against the step-up attempts', () => {
  it('after 5 wrong codes even the right one is refused until support unlocks the user', async () => {
    const a = app();
    const s1 = await signIn(BOB);
    await a.enrollment.sendEmailCode(s1);
    const right = emailedCode();
    const wrong = right === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++)
      expect(await a.enrollment.verifyEmailCode(s1, wrong)).toMatchObject({ ok: false, code: 'invalid_code' });
    expect(await a.enrollment.verifyEmailCode(s1, right)).toMatchObject({
      ok: false,
      code: 'rate_limited',
      retryAfterSeconds: expect.any(Number),
    });
    await a.stepUp.unlock({
      userId: 'user_bob',
      sessionIds: [s1.session.sessionId],
      by: 'user_alice',
      organizationId: 'org_acme',
      context: { target: 'test unlock' },
    });
    expect(await a.enrollment.verifyEmailCode(s1, right)).toEqual({ ok: true });
    await expect
      .poll(() => a.audit.find((r) => r.type === 'step_up.unlocked'))
      .toMatchObject({ userId: 'user_bob', detail: { by: 'user_alice', sessions: 1 } });
  });
});
