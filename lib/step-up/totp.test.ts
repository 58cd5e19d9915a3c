import { RateLimitExceededException } from '@workos-inc/node';
import { describe, expect, it } from 'vitest';
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
const SESSION: StepUpSession = { sessionId: 'session_a', userId: 'user_alice', organizationId: 'org_acme', authTime: NOW - 600 };
const FACTORS: Record<string, WorkosFactor[]> = {
  user_alice: [{ id: 'auth_factor_alice', type: 'totp', userId: 'user_alice', createdAt: '2025-01-01T00:00:00Z', totp: { issuer: 'Acme', user: 'alice@acme.test' } }],
  user_bob: [{ id: 'auth_factor_bob_new', type: 'totp', userId: 'user_bob', createdAt: new Date((NOW - 60) * 1000).toISOString() }],
  user_mallory: [{ id: 'auth_factor_mallory', type: 'totp', userId: 'user_mallory', createdAt: '2025-01-01T00:00:00Z' }],
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
      return { valid: code === RIGHT, challenge: { id: authenticationChallengeId, authenticationFactorId: 'auth_factor_alice' } };
    },
    ...overrides,
  };
  return { client, calls };
}

function fakeLimiter(verdict: AttemptVerdict | Error = { allowed: true }) {
  const consumed: AttemptSubject[][] = [];
  const refunded: AttemptSubject[][] = [];
  const limiter: AttemptLimiter = {
    async consume(subjects) {
      consumed.push([...subjects]);
      if (verdict instanceof Error) throw verdict;
      return verdict;
    },
    async refund(subjects) {
      refunded.push([...subjects]);
    },
  };
  return { limiter, consumed, refunded };
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

function setup(options: { mfa?: Partial<StepUpMfaClient>; verdict?: AttemptVerdict | Error; store?: LedgerStore } = {}) {
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
      entry: { sid: 'session_a', userId: 'user_alice', orgId: 'org_acme', verifiedAt: NOW, methods: ['otp'], factorId: 'auth_factor_alice', challengeId: 'auth_challenge_1', source: 'step_up' },
    });
    expect(t.mfa.calls).toEqual(['list user_alice', 'challenge auth_factor_alice', 'verify auth_challenge_1']);
    expect(t.limits.consumed).toEqual([[{ kind: 'session', id: 'session_a' }, { kind: 'user', id: 'user_alice' }]]);
    expect(t.limits.refunded).toEqual(t.limits.consumed);
    expect(t.usedCodes.marked.has('auth_factor_alice:123456')).toBe(true);
  });

  it('refuses a wrong code, records nothing, audits the failure without the code', async () => {
    const t = setup();
    const result = await t.stepUp.verify({ session: SESSION, factorId: 'auth_factor_alice', code: '654321', requestId: 'req-1' });
    expect(result).toMatchObject({ ok: false, code: 'invalid_code', message: expect.stringContaining('not right') });
    expect(await t.sessionMfa.ledger!.lookup('session_a')).toEqual({ status: 'missing' });
    expect(t.limits.refunded).toEqual([]);
    await expect.poll(() => t.records.length).toBe(1);
    expect(t.records[0]).toMatchObject({ type: 'step_up.failed', reason: 'invalid_code', sid: 'session_a', userId: 'user_alice', requestId: 'req-1', detail: { factorId: 'auth_factor_alice' } });
    expect(JSON.stringify(t.records[0])).not.toContain('654321');
  });

  it('refuses without a session or with malformed input before counting an attempt', async () => {
    const t = setup();
    expect(await t.stepUp.verify({ session: null, factorId: 'auth_factor_alice', code: RIGHT })).toMatchObject({ ok: false, code: 'not_signed_in' });
    expect(await t.stepUp.verify({ session: SESSION, factorId: 'auth_factor_alice', code: '12345' })).toMatchObject({ ok: false, code: 'invalid_input' });
    expect(await t.stepUp.verify({ session: SESSION, factorId: 'x y', code: RIGHT })).toMatchObject({ ok: false, code: 'invalid_input' });
    expect(t.limits.consumed).toEqual([]);
    expect(t.mfa.calls).toEqual([]);
  });

  it("refuses another user's factor without challenging it", async () => {
    const t = setup();
    expect(await t.stepUp.verify({ session: SESSION, factorId: 'auth_factor_mallory', code: RIGHT })).toMatchObject({ ok: false, code: 'unknown_factor' });
    expect(t.mfa.calls).toEqual(['list user_alice']);
  });

  it('refuses a factor enrolled during this session before it passed MFA (no graceful downgrade)', async () => {
    const t = setup();
    const bob: StepUpSession = { sessionId: 'session_bob', userId: 'user_bob', authTime: NOW - 600 };
    expect(await t.stepUp.verify({ session: bob, factorId: 'auth_factor_bob_new', code: RIGHT })).toMatchObject({ ok: false, code: 'factor_too_new' });
    expect(await t.stepUp.listFactors(bob)).toEqual([]);
    expect(t.mfa.calls.filter((c) => c.startsWith('challenge'))).toEqual([]);
    // Without auth_time or a ULID session id, no factor can be shown to predate the session: refused.
    expect(await t.stepUp.verify({ session: { sessionId: 'session_x', userId: 'user_alice' }, factorId: 'auth_factor_alice', code: RIGHT })).toMatchObject({ code: 'factor_too_new' });
  });

  it('accepts a newer factor once the session has proven MFA itself', async () => {
    const t = setup();
    const bob: StepUpSession = { sessionId: 'session_bob', userId: 'user_bob', authTime: NOW - 600 };
    await t.sessionMfa.recordVerification({ sid: 'session_bob', userId: 'user_bob', verifiedAt: NOW - 300, methods: ['otp'], source: 'step_up' }, { target: 'test', reason: 'test' });
    expect((await t.stepUp.listFactors(bob)).map((f) => f.id)).toEqual(['auth_factor_bob_new']);
  });

  it('refuses a code that already verified the factor, before asking WorkOS', async () => {
    const t = setup();
    await t.usedCodes.markUsed('auth_factor_alice', RIGHT);
    expect(await t.stepUp.verify({ session: SESSION, factorId: 'auth_factor_alice', code: RIGHT })).toMatchObject({ ok: false, code: 'code_reused' });
    expect(t.mfa.calls).toEqual(['list user_alice']);
  });

  it('lets only one of two racing requests with the same right code through', async () => {
    const t = setup();
    const other: StepUpSession = { sessionId: 'session_b', userId: 'user_alice', authTime: NOW - 60 };
    const results = await Promise.all([t.stepUp.verify({ session: SESSION, factorId: 'auth_factor_alice', code: RIGHT }), t.stepUp.verify({ session: other, factorId: 'auth_factor_alice', code: RIGHT })]);
    expect(results.map((r) => (r.ok ? 'ok' : r.code)).sort()).toEqual(['code_reused', 'ok']);
  });

  it('refuses even a right code when rate limited, without reaching WorkOS', async () => {
    const t = setup({ verdict: { allowed: false, retryAfterSeconds: 125 } });
    const result = await t.stepUp.verify({ session: SESSION, factorId: 'auth_factor_alice', code: RIGHT });
    expect(result).toEqual({ ok: false, code: 'rate_limited', retryAfterSeconds: 125, message: 'Too many attempts. For your security, verification is paused. Try again in 3 minutes.' });
    expect(t.mfa.calls).toEqual([]);
  });

  it('fails closed when the limiter is unavailable', async () => {
    const t = setup({ verdict: new Error('redis down') });
    expect(await t.stepUp.verify({ session: SESSION, factorId: 'auth_factor_alice', code: RIGHT })).toMatchObject({ ok: false, code: 'unavailable' });
    expect(t.mfa.calls).toEqual([]);
  });

  it('treats a failed ledger write as a failed step-up', async () => {
    const failing: LedgerStore = { name: 'failing', get: async () => null, set: async () => Promise.reject(new Error('READONLY')), delete: async () => false };
    const t = setup({ store: failing });
    const result = await t.stepUp.verify({ session: SESSION, factorId: 'auth_factor_alice', code: RIGHT });
    expect(result).toMatchObject({ ok: false, code: 'ledger_unavailable', message: expect.stringContaining('not verified') });
    expect(t.limits.refunded).toEqual([]);
  });

  it('maps an expired challenge, a challenge of another factor and WorkOS outages', async () => {
    const expired = setup({ mfa: { verifyChallenge: async () => Promise.reject(Object.assign(new Error('expired'), { status: 422, code: 'authentication_challenge_expired' })) } });
    expect(await expired.stepUp.verify({ session: SESSION, factorId: 'auth_factor_alice', code: RIGHT })).toMatchObject({ code: 'challenge_expired' });

    const foreign = setup({ mfa: { challengeFactor: async () => ({ id: 'auth_challenge_x', authenticationFactorId: 'auth_factor_mallory' }) } });
    expect(await foreign.stepUp.verify({ session: SESSION, factorId: 'auth_factor_alice', code: RIGHT })).toMatchObject({ code: 'challenge_rejected' });

    const down = setup({ mfa: { listUserAuthFactors: async () => Promise.reject(Object.assign(new Error('boom'), { status: 500 })) } });
    expect(await down.stepUp.verify({ session: SESSION, factorId: 'auth_factor_alice', code: RIGHT })).toMatchObject({ code: 'unavailable' });
    for (const t of [expired, foreign, down]) expect(await t.sessionMfa.ledger!.lookup('session_a')).toEqual({ status: 'missing' });
  });
});

describe('createTotpStepUp().verify while WorkOS throttles (HTTP 429)', () => {
  it('says when to try again, from the RateLimitExceededException the SDK throws', async () => {
    const t = setup({ mfa: { challengeFactor: async () => Promise.reject(new RateLimitExceededException('Too many requests.', 'req_1', 37)) } });
    const result = await t.stepUp.verify({ session: SESSION, factorId: 'auth_factor_alice', code: RIGHT });
    expect(result).toEqual({ ok: false, code: 'rate_limited', retryAfterSeconds: 37, message: 'Too many attempts. For your security, verification is paused. Try again in 37 seconds.' });
    expect(await t.sessionMfa.ledger!.lookup('session_a')).toEqual({ status: 'missing' });
    expect(t.limits.refunded).toEqual([]);
  });

  it('does not invent a wait when WorkOS gave none (429 without Retry-After, or one_time_code_too_many_attempts)', async () => {
    const noHeader = setup({ mfa: { verifyChallenge: async () => Promise.reject(new RateLimitExceededException('Too many requests.', 'req_2', null)) } });
    const tooMany = setup({ mfa: { verifyChallenge: async () => Promise.reject(Object.assign(new Error('too many'), { status: 400, code: 'one_time_code_too_many_attempts' })) } });
    for (const t of [noHeader, tooMany]) {
      const result = await t.stepUp.verify({ session: SESSION, factorId: 'auth_factor_alice', code: RIGHT });
      expect(result).toEqual({ ok: false, code: 'rate_limited', message: 'Too many attempts. For your security, verification is paused. Try again later.' });
    }
  });
});

describe('createTotpStepUp().listFactors', () => {
  it("lists only the session user's TOTP factors", async () => {
    const t = setup();
    expect(await t.stepUp.listFactors(SESSION)).toEqual([{ id: 'auth_factor_alice', type: 'totp', issuer: 'Acme', label: 'alice@acme.test', createdAt: '2025-01-01T00:00:00Z' }]);
  });
});
