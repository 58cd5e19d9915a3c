import { RateLimitExceededException } from '@workos-inc/node';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AuditRecord } from '../audit/record';
import { createSessionLedger } from '../ledger/ledger';
import { memoryStore } from '../ledger/memory';
import type { LedgerStore } from '../ledger/types';
import { createSessionMfa } from '../session-mfa';
import type { AttemptLimiter, AttemptSubject, AttemptVerdict } from './attempt-limiter';
import type { StepUpSession } from './factor-eligibility';
import { createTotpStepUp, type StepUpMfaClient, type WorkosFactor } from './totp';
import type { UsedCodeRegistry } from './used-codes';

const NOW = 1_760_000_000;
const RIGHT = '123456';
const SESSION: StepUpSession = {
  sessionId: 'session_a',
  userId: 'user_alice',
  organizationId: 'org_acme',
  authTime: NOW - 600,
};
const FACTORS: Record<string, WorkosFactor[]> = {
  user_alice: [
    {
      id: 'auth_factor_alice',
      type: 'totp',
      userId: 'user_alice',
      createdAt: '2025-01-01T00:00:00Z',
      totp: { issuer: 'Acme', user: 'alice@acme.test' },
    },
  ],
  user_bob: [
    {
      id: 'auth_factor_bob_new',
      type: 'totp',
      userId: 'user_bob',
      createdAt: new Date((NOW - 60) * 1000).toISOString(),
    },
  ],
  user_mallory: [
    { id: 'auth_factor_mallory', type: 'totp', userId: 'user_mallory', createdAt: '2025-01-01T00:00:00Z' },
  ],
};

function fakeMfa(overrides: Partial<StepUpMfaClient> = {}) {
  const calls: string[] = [];
  let n = 0;
  const client: StepUpMfaClient = {
    async listUserAuthFactors({ userId }) {
      calls.push(`list ${userId}`);
      return { autoPagination: async () => FACTORS[userId] ?? [] };
    },
    async challengeFactor({ authenticationFactorId }) {
      calls.push(`challenge ${authenticationFactorId}`);
      return { id: `auth_challenge_${++n}`, authenticationFactorId };
    },
    async verifyChallenge({ authenticationChallengeId, code }) {
      calls.push(`verify ${authenticationChallengeId}`);
      return {
        valid: code === RIGHT,
        challenge: { id: authenticationChallengeId, authenticationFactorId: 'auth_factor_alice' },
      };
    },
    ...overrides,
  };
  return { client, calls };
}

function fakeLimiter(verdict: AttemptVerdict | Error = { allowed: true }) {
  const consumed: AttemptSubject[][] = [];
  const refunded: AttemptSubject[][] = [];
  const reset: AttemptSubject[][] = [];
  const limiter: AttemptLimiter = {
    async reset(subjects) {
      reset.push([...subjects]);
    },
    async check() {},
    async consume(subjects) {
      consumed.push([...subjects]);
      if (verdict instanceof Error) throw verdict;
      return verdict;
    },
    async refund(subjects) {
      refunded.push([...subjects]);
    },
  };
  return { limiter, consumed, refunded, reset };
}

function memoryUsedCodes(): UsedCodeRegistry & { marked: Set<string> } {
  const marked = new Set<string>();
  return {
    marked,
    async wasUsed(factorId, code) {
      return marked.has(`${factorId}:${code}`);
    },
    async markUsed(factorId, code) {
      const key = `${factorId}:${code}`;
      if (marked.has(key)) return false;
      marked.add(key);
      return true;
    },
  };
}

function setup(
  options: { mfa?: Partial<StepUpMfaClient>; verdict?: AttemptVerdict | Error; store?: LedgerStore } = {},
) {
  const store = options.store ?? memoryStore();
  const records: AuditRecord[] = [];
  const sessionMfa = createSessionMfa({
    ledger: createSessionLedger({ store }),
    now: () => NOW,
    audit: [{ name: 'capture', write: async (r) => void records.push(r) }],
  });
  const mfa = fakeMfa(options.mfa);
  const limits = fakeLimiter(options.verdict);
  const usedCodes = memoryUsedCodes();
  const stepUp = createTotpStepUp({ sessionMfa, mfa: mfa.client, limiter: limits.limiter, usedCodes });
  return { stepUp, sessionMfa, store, records, mfa, limits, usedCodes };
}

describe('createTotpStepUp().verify', () => {
  it('records a step_up ledger entry bound to the session on a valid code, and refunds the attempt', async () => {
    const t = setup();
    const result = await t.stepUp.verify({ session: SESSION, factorId: 'auth_factor_alice', code: '123 456' });
    expect(result).toEqual({ ok: true, verifiedAt: NOW, factorId: 'auth_factor_alice' });
    expect(await t.sessionMfa.ledger!.lookup('session_a')).toEqual({
      status: 'found',
      entry: {
        sessionId: 'session_a',
        userId: 'user_alice',
        organizationId: 'org_acme',
        verifiedAt: NOW,
        methods: ['otp'],
        factorId: 'auth_factor_alice',
        challengeId: 'auth_challenge_1',
        source: 'step_up',
      },
    });
    expect(t.mfa.calls).toEqual(['list user_alice', 'challenge auth_factor_alice', 'verify auth_challenge_1']);
    expect(t.limits.consumed).toEqual([
      [
        { kind: 'session', id: 'session_a' },
        { kind: 'user', id: 'user_alice' },
      ],
    ]);
    expect(t.limits.refunded).toEqual(t.limits.consumed);
    expect(t.usedCodes.marked.has('auth_factor_alice:123456')).toBe(true);
  });

  it('refuses a wrong code, records nothing, audits the failure without the code', async () => {
    const t = setup();
    const result = await t.stepUp.verify({
      session: SESSION,
      factorId: 'auth_factor_alice',
      code: '654321',
      requestId: 'req-1',
    });
    expect(result).toMatchObject({ ok: false, code: 'invalid_code', message: expect.stringContaining('not right') });
    expect(await t.sessionMfa.ledger!.lookup('session_a')).toEqual({ status: 'missing' });
    expect(t.limits.refunded).toEqual([]);
    await expect.poll(() => t.records.length).toBe(1);
    expect(t.records[0]).toMatchObject({
      type: 'step_up.failed',
      reason: 'invalid_code',
      sessionId: 'session_a',
      userId: 'user_alice',
      requestId: 'req-1',
      detail: { factorId: 'auth_factor_alice' },
    });
    expect(JSON.stringify(t.records[0])).not.toContain('654321');
  });

  it('refuses without a session or with malformed input before counting an attempt', async () => {
    const t = setup();
    expect(await t.stepUp.verify({ session: null, factorId: 'auth_factor_alice', code: RIGHT })).toMatchObject({
      ok: false,
      code: 'not_signed_in',
    });
    expect(await t.stepUp.verify({ session: SESSION, factorId: 'auth_factor_alice', code: '12345' })).toMatchObject({
      ok: false,
      code: 'invalid_input',
    });
    expect(await t.stepUp.verify({ session: SESSION, factorId: 'x y', code: RIGHT })).toMatchObject({
      ok: false,
      code: 'invalid_input',
    });
    // A server action's argument is whatever the client sent, whatever its declared type.
    expect(
      await t.stepUp.verify({ session: SESSION, factorId: 'auth_factor_alice', code: 123456 as unknown as string }),
    ).toMatchObject({ ok: false, code: 'invalid_input' });
    expect(t.limits.consumed).toEqual([]);
    expect(t.mfa.calls).toEqual([]);
  });

  it("refuses another user's factor without challenging it", async () => {
    const t = setup();
    expect(await t.stepUp.verify({ session: SESSION, factorId: 'auth_factor_mallory', code: RIGHT })).toMatchObject({
      ok: false,
      code: 'unknown_factor',
    });
    expect(t.mfa.calls).toEqual(['list user_alice']);
  });

  it('refuses a factor enrolled during this session before it passed MFA (no graceful downgrade)', async () => {
    const t = setup();
    const bob: StepUpSession = { sessionId: 'session_bob', userId: 'user_bob', authTime: NOW - 600 };
    expect(await t.stepUp.verify({ session: bob, factorId: 'auth_factor_bob_new', code: RIGHT })).toMatchObject({
      ok: false,
      code: 'factor_too_new',
    });
    expect(await t.stepUp.listFactors(bob)).toEqual([]);
    expect(t.mfa.calls.filter((c) => c.startsWith('challenge'))).toEqual([]);
    // Without auth_time or a ULID session id, no factor can be shown to predate the session: refused.
    expect(
      await t.stepUp.verify({
        session: { sessionId: 'session_x', userId: 'user_alice' },
        factorId: 'auth_factor_alice',
        code: RIGHT,
      }),
    ).toMatchObject({ code: 'factor_too_new' });
  });

  it('accepts a newer factor once the session has proven MFA itself', async () => {
    const t = setup();
    const bob: StepUpSession = { sessionId: 'session_bob', userId: 'user_bob', authTime: NOW - 600 };
    await t.sessionMfa.recordVerification(
      { sessionId: 'session_bob', userId: 'user_bob', verifiedAt: NOW - 300, methods: ['otp'], source: 'step_up' },
      { target: 'test', reason: 'test' },
    );
    expect((await t.stepUp.listFactors(bob)).map((f) => f.id)).toEqual(['auth_factor_bob_new']);
  });

  it('refuses a code that already verified the factor, before asking WorkOS', async () => {
    const t = setup();
    await t.usedCodes.markUsed('auth_factor_alice', RIGHT);
    expect(await t.stepUp.verify({ session: SESSION, factorId: 'auth_factor_alice', code: RIGHT })).toMatchObject({
      ok: false,
      code: 'code_reused',
    });
    expect(t.mfa.calls).toEqual(['list user_alice']);
  });

  it('lets only one of two racing requests with the same right code through', async () => {
    const t = setup();
    const other: StepUpSession = { sessionId: 'session_b', userId: 'user_alice', authTime: NOW - 60 };
    const results = await Promise.all([
      t.stepUp.verify({ session: SESSION, factorId: 'auth_factor_alice', code: RIGHT }),
      t.stepUp.verify({ session: other, factorId: 'auth_factor_alice', code: RIGHT }),
    ]);
    expect(results.map((r) => (r.ok ? 'ok' : r.code)).sort()).toEqual(['code_reused', 'ok']);
  });

  it('refuses even a right code when rate limited, without reaching WorkOS', async () => {
    const t = setup({ verdict: { allowed: false, retryAfterSeconds: 125 } });
    const result = await t.stepUp.verify({ session: SESSION, factorId: 'auth_factor_alice', code: RIGHT });
    expect(result).toEqual({
      ok: false,
      code: 'rate_limited',
      retryAfterSeconds: 125,
      message: 'Too many attempts. For your security, verification is paused. Try again in 3 minutes.',
    });
    expect(t.mfa.calls).toEqual([]);
  });

  it('fails closed when the limiter is unavailable', async () => {
    const t = setup({ verdict: new Error('redis down') });
    expect(await t.stepUp.verify({ session: SESSION, factorId: 'auth_factor_alice', code: RIGHT })).toMatchObject({
      ok: false,
      code: 'unavailable',
    });
    expect(t.mfa.calls).toEqual([]);
  });

  it('treats a failed ledger write as a failed step-up', async () => {
    const failing: LedgerStore = {
      name: 'failing',
      get: async () => null,
      set: async () => Promise.reject(new Error('READONLY')),
      delete: async () => false,
    };
    const t = setup({ store: failing });
    const result = await t.stepUp.verify({ session: SESSION, factorId: 'auth_factor_alice', code: RIGHT });
    expect(result).toMatchObject({
      ok: false,
      code: 'ledger_unavailable',
      message: expect.stringContaining('not verified'),
    });
    expect(t.limits.refunded).toEqual([]);
  });

  it('maps an expired challenge, a challenge of another factor and WorkOS outages', async () => {
    const expired = setup({
      mfa: {
        verifyChallenge: async () =>
          Promise.reject(
            Object.assign(new Error('expired'), { status: 422, code: 'authentication_challenge_expired' }),
          ),
      },
    });
    expect(await expired.stepUp.verify({ session: SESSION, factorId: 'auth_factor_alice', code: RIGHT })).toMatchObject(
      { code: 'challenge_expired' },
    );

    const foreign = setup({
      mfa: { challengeFactor: async () => ({ id: 'auth_challenge_x', authenticationFactorId: 'auth_factor_mallory' }) },
    });
    expect(await foreign.stepUp.verify({ session: SESSION, factorId: 'auth_factor_alice', code: RIGHT })).toMatchObject(
      { code: 'challenge_rejected' },
    );

    const down = setup({
      mfa: { listUserAuthFactors: async () => Promise.reject(Object.assign(new Error('boom'), { status: 500 })) },
    });
    expect(await down.stepUp.verify({ session: SESSION, factorId: 'auth_factor_alice', code: RIGHT })).toMatchObject({
      code: 'unavailable',
    });
    for (const t of [expired, foreign, down])
      expect(await t.sessionMfa.ledger!.lookup('session_a')).toEqual({ status: 'missing' });
  });
});

describe('createTotpStepUp().verify while WorkOS throttles (HTTP 429)', () => {
  it('says when to try again, from the RateLimitExceededException the SDK throws', async () => {
    const t = setup({
      mfa: {
        challengeFactor: async () => Promise.reject(new RateLimitExceededException('Too many requests.', 'req_1', 37)),
      },
    });
    const result = await t.stepUp.verify({ session: SESSION, factorId: 'auth_factor_alice', code: RIGHT });
    expect(result).toEqual({
      ok: false,
      code: 'rate_limited',
      retryAfterSeconds: 37,
      message: 'Too many attempts. For your security, verification is paused. Try again in 37 seconds.',
    });
    expect(await t.sessionMfa.ledger!.lookup('session_a')).toEqual({ status: 'missing' });
    expect(t.limits.refunded).toEqual([]);
  });

  it('does not invent a wait when WorkOS gave none (429 without Retry-After, or one_time_code_too_many_attempts)', async () => {
    const noHeader = setup({
      mfa: {
        verifyChallenge: async () =>
          Promise.reject(new RateLimitExceededException('Too many requests.', 'req_2', null)),
      },
    });
    const tooMany = setup({
      mfa: {
        verifyChallenge: async () =>
          Promise.reject(
            Object.assign(new Error('too many'), { status: 400, code: 'one_time_code_too_many_attempts' }),
          ),
      },
    });
    for (const t of [noHeader, tooMany]) {
      const result = await t.stepUp.verify({ session: SESSION, factorId: 'auth_factor_alice', code: RIGHT });
      expect(result).toEqual({
        ok: false,
        code: 'rate_limited',
        message: 'Too many attempts. For your security, verification is paused. Try again later.',
      });
    }
  });
});

describe('createTotpStepUp().listFactors', () => {
  it("lists only the session user's TOTP factors", async () => {
    const t = setup();
    expect(await t.stepUp.listFactors(SESSION)).toEqual([
      {
        id: 'auth_factor_alice',
        type: 'totp',
        issuer: 'Acme',
        label: 'alice@acme.test',
        createdAt: '2025-01-01T00:00:00Z',
      },
    ]);
  });
});

describe("createTotpStepUp() and the app's enrollment records", () => {
  const bob: StepUpSession = { sessionId: 'session_bob', userId: 'user_bob', authTime: NOW - 600 };
  const laterBob: StepUpSession = { sessionId: 'session_bob2', userId: 'user_bob', authTime: NOW };
  const record = (over: Record<string, unknown> = {}) => ({
    userId: 'user_bob',
    factorId: 'auth_factor_bob_new',
    status: 'confirmed',
    sessionId: 'session_bob',
    proof: 'email_code',
    startedAt: NOW - 60,
    confirmedAt: NOW - 50,
    ...over,
  });

  it('never accepts a pending factor, not even in a later session or one that proved MFA', async () => {
    const t = setup();
    await t.sessionMfa.ledger!.enrollments.write(record({ status: 'pending', confirmedAt: undefined }) as never);
    await t.sessionMfa.recordVerification(
      { sessionId: 'session_bob2', userId: 'user_bob', verifiedAt: NOW - 10, methods: ['otp'], source: 'step_up' },
      { target: 'test', reason: 'test' },
    );
    expect(await t.stepUp.verify({ session: laterBob, factorId: 'auth_factor_bob_new', code: RIGHT })).toMatchObject({
      ok: false,
      code: 'factor_unconfirmed',
    });
    expect(await t.stepUp.listFactors(laterBob)).toEqual([]);
    expect(t.mfa.calls.filter((c) => c.startsWith('challenge'))).toEqual([]);
  });

  it('accepts a confirmed factor in a later session, never in the session that enrolled it', async () => {
    const t = setup();
    await t.sessionMfa.ledger!.enrollments.write(record() as never);
    expect((await t.stepUp.listFactors(laterBob)).map((f) => f.id)).toEqual(['auth_factor_bob_new']);
    const sameSession = { ...bob, authTime: NOW - 3600 }; // even if its auth_time were older than the factor
    expect(await t.stepUp.verify({ session: sameSession, factorId: 'auth_factor_bob_new', code: RIGHT })).toMatchObject(
      { ok: false, code: 'factor_too_new' },
    );
  });

  it("treats a factor created after the app began enrolling, with no record, as a failed enrollment's leftover", async () => {
    const t = setup();
    await t.sessionMfa.ledger!.enrollments.begin('user_bob', NOW - 120);
    expect(await t.stepUp.verify({ session: laterBob, factorId: 'auth_factor_bob_new', code: RIGHT })).toMatchObject({
      ok: false,
      code: 'factor_unconfirmed',
    });
    // A factor from long before the mark (enrolled elsewhere) still counts when it predates the session.
    const alice = setup();
    await alice.sessionMfa.ledger!.enrollments.begin('user_alice', NOW - 120);
    expect((await alice.stepUp.listFactors(SESSION)).map((f) => f.id)).toEqual(['auth_factor_alice']);
  });

  it('treats an unreadable record or mark as unconfirmed', async () => {
    const store = memoryStore();
    const t = setup({ store });
    await store.set('authkit-mfa:v1:{user_bob}:enrollment:auth_factor_bob_new', '{"status":"confirmed"', 60);
    expect(await t.stepUp.verify({ session: laterBob, factorId: 'auth_factor_bob_new', code: RIGHT })).toMatchObject({
      code: 'factor_unconfirmed',
    });
    await store.set('authkit-mfa:v1:{user_alice}:enrollments-since', 'garbage', 60);
    expect(await t.stepUp.listFactors(SESSION)).toEqual([]);
  });

  it('refuses as unavailable, and says why on stderr, when the records cannot be read', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const failing: LedgerStore = {
      name: 'failing',
      get: async () => Promise.reject(new Error('ECONNREFUSED')),
      set: async () => undefined,
      delete: async () => false,
    };
    const t = setup({ store: failing });
    expect(await t.stepUp.verify({ session: SESSION, factorId: 'auth_factor_alice', code: RIGHT })).toMatchObject({
      ok: false,
      code: 'unavailable',
    });
    expect(errors.mock.calls.map((c) => String(c[0])).join('\n')).toMatch(
      /step-up unavailable: enrollment records or used codes failed: .*ECONNREFUSED/,
    );
    await expect(t.stepUp.listFactors(SESSION)).rejects.toThrow(/unavailable/);
  });
});

describe('createTotpStepUp().unlock', () => {
  it("resets the user's and the given sessions' attempts and audits who did it", async () => {
    const t = setup();
    await t.stepUp.unlock({
      userId: 'user_bob',
      sessionIds: ['session_1', 'session_2'],
      by: 'user_alice',
      organizationId: 'org_acme',
      context: { target: 'action unlockUser', requestId: 'req-9' },
    });
    expect(t.limits.reset).toEqual([
      [
        { kind: 'user', id: 'user_bob' },
        { kind: 'session', id: 'session_1' },
        { kind: 'session', id: 'session_2' },
      ],
    ]);
    await expect.poll(() => t.records.length).toBe(1);
    expect(t.records[0]).toMatchObject({
      type: 'step_up.unlocked',
      reason: 'attempts_reset',
      userId: 'user_bob',
      organizationId: 'org_acme',
      target: 'action unlockUser',
      requestId: 'req-9',
      detail: { by: 'user_alice', sessions: 2 },
    });
  });

  it('refuses ids that are not WorkOS ids, resetting nothing', async () => {
    const t = setup();
    await expect(t.stepUp.unlock({ userId: 'user bob', by: 'user_alice', context: { target: 't' } })).rejects.toThrow(
      TypeError,
    );
    expect(t.limits.reset).toEqual([]);
  });
});

describe("step-up failures that are not the user's fault", () => {
  afterEach(() => vi.useRealTimers());

  it('are logged with their cause at most once a minute per kind, never with the code', async () => {
    vi.useFakeTimers({ now: Date.UTC(2030, 0, 1), toFake: ['Date'] });
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const cause = new Error(
      'ERR unknown command, command was: [["set","authkit-mfa:v1:{auth_factor_alice}:used-code:123456","1"]]',
    );
    const t = setup({ verdict: cause });
    for (let i = 0; i < 3; i++) await t.stepUp.verify({ session: SESSION, factorId: 'auth_factor_alice', code: RIGHT });
    const lines = () => errors.mock.calls.map((c) => String(c[0])).filter((l) => l.includes('attempt limiter'));
    expect(lines()).toEqual(['[session-mfa] step-up unavailable: attempt limiter failed: Error: ERR unknown command']);
    vi.setSystemTime(Date.UTC(2030, 0, 1, 0, 1, 1));
    await t.stepUp.verify({ session: SESSION, factorId: 'auth_factor_alice', code: RIGHT });
    expect(lines()[1]).toBe(
      '[session-mfa] step-up unavailable: attempt limiter failed: Error: ERR unknown command (2 more since the last report)',
    );
    expect(errors.mock.calls.flat().join(' ')).not.toContain(RIGHT);
  });
});
