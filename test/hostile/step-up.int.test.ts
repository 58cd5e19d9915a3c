/**
 * Hostile step-up attempts through the library's public TOTP step-up, against the WorkOS emulator's real MFA
 * API (real RFC 6238 codes) with attempt limits and replay markers in real Redis behind the Upstash stand-in.
 * Each case asserts the refusal, its code, and that no ledger entry appeared or changed.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from '@upstash/redis';
import { WorkOS } from '@workos-inc/node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { SessionIdentity } from '../../lib/core/claims';
import { upstashAttemptLimiter } from '../../lib/step-up/ratelimit-limiter';
import { createTotpStepUp, type StepUpMfaClient } from '../../lib/step-up/totp';
import { upstashUsedCodes } from '../../lib/step-up/used-codes';
import { nowSeconds, standInClient, startHarness, type Harness } from './support/harness';

let h: Harness;
let redis: Redis;
let mfaApi: StepUpMfaClient;
beforeAll(async () => {
  h = await startHarness({ redisUrl: inject('redisUrl') });
  redis = standInClient(h.standIn!);
  // Through the gateway, so the calls that reach WorkOS can be counted.
  mfaApi = new WorkOS(h.emulator.apiKey, { apiHostname: '127.0.0.1', https: false, port: h.gateway.port })
    .multiFactorAuth as unknown as StepUpMfaClient;
});
afterAll(() => h?.close());

const ALICE_FACTOR = 'auth_factor_alice_totp';

/** A step-up with its own Redis namespace (limits and replay markers start empty) and a fresh TOTP step. */
function fresh(options: { attempts?: number; mfa?: StepUpMfaClient } = {}) {
  const keyPrefix = `hostile-su-${randomUUID().slice(0, 8)}`;
  h.emulator.control.advanceClock(60); // a code step no earlier test used
  const stepUp = createTotpStepUp({
    sessionMfa: h.sessionMfa,
    mfa: options.mfa ?? mfaApi,
    limiter: upstashAttemptLimiter({ redis, keyPrefix, attempts: options.attempts ?? 5, window: '15m' }),
    usedCodes: upstashUsedCodes({ redis, keyPrefix }),
  });
  return { stepUp, keyPrefix };
}

const codeOf = (factorId: string) =>
  h.emulator.control
    .users()
    .flatMap((u) => u.totpFactors)
    .find((f) => f.id === factorId)!.codeNow;
const wrongCode = (code: string) => String((Number(code) + 500_000) % 1_000_000).padStart(6, '0');
const challengesSent = () => h.gateway.forwarded.filter((p) => /^\/auth\/factors\/[^/]+\/challenge$/.test(p)).length;

async function session(email = 'alice@acme.test', password = 'alice-password-1'): Promise<SessionIdentity> {
  const s = await h.signIn(email, password);
  return { userId: s.userId, sessionId: s.sid, organizationId: 'org_acme' };
}

async function unchangedLedger<T>(sids: readonly string[], run: () => Promise<T>): Promise<T> {
  const before = await Promise.all(sids.map((sid) => h.raw.get(h.ledgerKey(sid))));
  const result = await run();
  expect(await Promise.all(sids.map((sid) => h.raw.get(h.ledgerKey(sid))))).toEqual(before);
  return result;
}

describe('hostile step-up attempts', () => {
  it("bob cannot step up with alice's factor id (another user's factor)", async () => {
    const { stepUp } = fresh();
    const bob = await session('bob@acme.test', 'bob-password-1');
    const result = await unchangedLedger([bob.sessionId], () =>
      stepUp.verify({ session: bob, factorId: ALICE_FACTOR, code: codeOf(ALICE_FACTOR) }),
    );
    expect(result).toMatchObject({ ok: false, code: 'unknown_factor' });
    expect(await h.raw.get(h.ledgerKey(bob.sessionId))).toBeNull();
  });

  it('a challenge id smuggled in the attempt is ignored: step-up makes its own challenge for the named factor only', async () => {
    const { stepUp } = fresh();
    const bob = await session('bob@acme.test', 'bob-password-1');
    const aliceChallenge = await mfaApi.challengeFactor({ authenticationFactorId: ALICE_FACTOR });
    const attempt = {
      session: bob,
      factorId: ALICE_FACTOR,
      code: codeOf(ALICE_FACTOR),
      challengeId: aliceChallenge.id,
      authenticationChallengeId: aliceChallenge.id,
    };
    expect(await unchangedLedger([bob.sessionId], () => stepUp.verify(attempt))).toMatchObject({
      ok: false,
      code: 'unknown_factor',
    });
  });

  it('an upstream answering with a challenge of another factor is refused (challenge_rejected)', async () => {
    const confused: StepUpMfaClient = {
      listUserAuthFactors: (o) => mfaApi.listUserAuthFactors(o),
      challengeFactor: async () => ({ id: 'auth_challenge_other', authenticationFactorId: 'auth_factor_someone_else' }),
      verifyChallenge: (o) => mfaApi.verifyChallenge(o),
    };
    const { stepUp } = fresh({ mfa: confused });
    const alice = await session();
    expect(
      await unchangedLedger([alice.sessionId], () =>
        stepUp.verify({ session: alice, factorId: ALICE_FACTOR, code: codeOf(ALICE_FACTOR) }),
      ),
    ).toMatchObject({ ok: false, code: 'challenge_rejected' });
  });

  it('a TOTP code replayed in the same session after it verified is refused, and the entry is not rewritten', async () => {
    const { stepUp } = fresh();
    const alice = await session();
    const code = codeOf(ALICE_FACTOR);
    expect(await stepUp.verify({ session: alice, factorId: ALICE_FACTOR, code })).toMatchObject({ ok: true });
    const replay = await unchangedLedger([alice.sessionId], () =>
      stepUp.verify({ session: alice, factorId: ALICE_FACTOR, code }),
    );
    expect(replay).toMatchObject({ ok: false, code: 'code_reused' });
  });

  it("a code seen on alice's screen cannot verify another session of alice's (shoulder-surfed code)", async () => {
    const { stepUp } = fresh();
    const [victim, attacker] = [await session(), await session()];
    const code = codeOf(ALICE_FACTOR);
    expect(await stepUp.verify({ session: victim, factorId: ALICE_FACTOR, code })).toMatchObject({ ok: true });
    expect(
      await unchangedLedger([attacker.sessionId], () =>
        stepUp.verify({ session: attacker, factorId: ALICE_FACTOR, code }),
      ),
    ).toMatchObject({ ok: false, code: 'code_reused' });
    expect(await h.raw.get(h.ledgerKey(attacker.sessionId))).toBeNull();
  });

  it('the same code raced from two sessions verifies exactly one of them', async () => {
    const { stepUp } = fresh({ attempts: 20 });
    const sessions = [await session(), await session()];
    const code = codeOf(ALICE_FACTOR);
    const results = await Promise.all(
      sessions.flatMap((s) => [0, 1, 2].map(() => stepUp.verify({ session: s, factorId: ALICE_FACTOR, code }))),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const entries = await Promise.all(sessions.map((s) => h.raw.get(h.ledgerKey(s.sessionId))));
    expect(entries.filter((e) => e !== null)).toHaveLength(1);
  });

  it('brute force: after 5 wrong codes even the right code is refused (rate_limited), with nothing recorded', async () => {
    const { stepUp } = fresh();
    const alice = await session();
    const right = codeOf(ALICE_FACTOR);
    for (let i = 0; i < 5; i++)
      expect(await stepUp.verify({ session: alice, factorId: ALICE_FACTOR, code: wrongCode(right) })).toMatchObject({
        ok: false,
        code: 'invalid_code',
      });
    const sixth = await unchangedLedger([alice.sessionId], () =>
      stepUp.verify({ session: alice, factorId: ALICE_FACTOR, code: right }),
    );
    expect(sixth).toMatchObject({ ok: false, code: 'rate_limited' });
    expect((sixth as { retryAfterSeconds?: number }).retryAfterSeconds).toBeGreaterThan(0);
    expect(await h.raw.get(h.ledgerKey(alice.sessionId))).toBeNull();
  });

  it('brute force across sessions: a new session of the same user does not reset the limit', async () => {
    const { stepUp } = fresh();
    const right = codeOf(ALICE_FACTOR);
    for (let i = 0; i < 5; i++)
      await stepUp.verify({ session: await session(), factorId: ALICE_FACTOR, code: wrongCode(right) });
    const another = await session();
    expect(
      await unchangedLedger([another.sessionId], () =>
        stepUp.verify({ session: another, factorId: ALICE_FACTOR, code: right }),
      ),
    ).toMatchObject({ ok: false, code: 'rate_limited' });
  });

  it('parallel guessing: 30 guesses at once reach WorkOS at most 5 times', async () => {
    const { stepUp } = fresh();
    const alice = await session();
    const right = codeOf(ALICE_FACTOR);
    const before = challengesSent();
    const results = await unchangedLedger([alice.sessionId], () =>
      Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          stepUp.verify({
            session: alice,
            factorId: ALICE_FACTOR,
            code: wrongCode(String((Number(right) + i) % 1_000_000)),
          }),
        ),
      ),
    );
    expect(challengesSent() - before).toBeLessThanOrEqual(5);
    expect(results.filter((r) => !r.ok && r.code === 'rate_limited').length).toBeGreaterThanOrEqual(25);
    expect(results.some((r) => r.ok)).toBe(false);
  });

  it.each([
    ['letters', ALICE_FACTOR, 'abcdef'],
    ['seven digits', ALICE_FACTOR, '1234567'],
    ['empty', ALICE_FACTOR, ''],
    ['a factor id that would escape its key', 'auth_factor_x}:ledger{', '123456'],
    ['a factor id path', '../users/user_bob', '123456'],
  ])('malformed input (%s) is refused before any WorkOS call', async (_name, factorId, code) => {
    const { stepUp } = fresh();
    const alice = await session();
    const before = challengesSent();
    expect(
      await unchangedLedger([alice.sessionId], () => stepUp.verify({ session: alice, factorId, code })),
    ).toMatchObject({ ok: false, code: 'invalid_input' });
    expect(challengesSent()).toBe(before);
  });

  it('signed out is refused', async () => {
    const { stepUp } = fresh();
    expect(await stepUp.verify({ session: null, factorId: ALICE_FACTOR, code: codeOf(ALICE_FACTOR) })).toMatchObject({
      ok: false,
      code: 'not_signed_in',
    });
  });

  it('a factor enrolled inside a session that has not passed MFA does not step that session up (no graceful downgrade)', async () => {
    const { stepUp } = fresh();
    const bob = await session('bob@acme.test', 'bob-password-1');
    // Whoever holds only bob's password enrolls a new TOTP factor for him, then "steps up" with it.
    const workos = new WorkOS(h.emulator.apiKey, { apiHostname: '127.0.0.1', https: false, port: h.emulator.port });
    const { authenticationFactor } = await workos.multiFactorAuth.createUserAuthFactor({
      userId: bob.userId,
      type: 'totp',
      totpIssuer: 'Attacker',
      totpUser: 'bob@acme.test',
    });
    const result = await unchangedLedger([bob.sessionId], () =>
      stepUp.verify({ session: bob, factorId: authenticationFactor.id, code: codeOf(authenticationFactor.id) }),
    );
    expect(result.ok).toBe(false);
    expect(await h.raw.get(h.ledgerKey(bob.sessionId))).toBeNull();
  });

  it('control: the right code for the session user’s own factor, enrolled before the session, does step up', async () => {
    const { stepUp } = fresh();
    const alice = await session();
    expect(await stepUp.verify({ session: alice, factorId: ALICE_FACTOR, code: codeOf(ALICE_FACTOR) })).toMatchObject({
      ok: true,
    });
    const entry = JSON.parse((await h.raw.get(h.ledgerKey(alice.sessionId)))!) as Record<string, unknown>;
    expect(entry).toMatchObject({
      sessionId: alice.sessionId,
      userId: alice.userId,
      source: 'step_up',
      factorId: ALICE_FACTOR,
      methods: ['otp'],
    });
    expect(Math.abs((entry.verifiedAt as number) - nowSeconds())).toBeLessThan(5);
  });
});
