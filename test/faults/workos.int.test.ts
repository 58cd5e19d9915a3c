/**
 * WorkOS unreachable (connections refused) or answering 503 — during authkit's token refresh in the middleware,
 * and during a TOTP step-up. A session whose token needs refreshing is never let through while WorkOS is away,
 * sessions that need no WorkOS call keep being served, a step-up changes nothing, and once WorkOS is back the
 * next request is decided correctly within a second. WorkOS is reached through a gateway that can go down
 * while the emulator keeps its state.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from '@upstash/redis';
import { WorkOS } from '@workos-inc/node';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { upstashAttemptLimiter } from '../../lib/step-up/ratelimit-limiter';
import { createTotpStepUp, type StepUpMfaClient } from '../../lib/step-up/totp';
import { upstashUsedCodes } from '../../lib/step-up/used-codes';
import { startRedis, type RedisProcess } from '../../test-support/redis-server';
import {
  bodyOf,
  passedThrough,
  standInClient,
  startHarness,
  type Engine,
  type Harness,
  type SignedIn,
} from '../hostile/support/harness';
import { decidedWithin, LEDGER_TIMEOUT_MS } from './support';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ redisUrl: inject('redisUrl') });
  // A running app has fetched WorkOS's JWKS before any outage: warm authkit's key cache the same way.
  const warm = await h.signIn();
  await h.record(warm);
  expect(passedThrough(await h.middleware(h.api('/api/admin/report', warm.cookie)))).toBe(true);
});
afterAll(() => h?.close());
afterEach(() => h.gateway.setMode('pass'));

/** A session whose access token already expired (issued 400 s ago): its next request must refresh it. */
async function expiredSession(): Promise<SignedIn> {
  h.emulator.control.advanceClock(-400);
  try {
    return await h.signIn();
  } finally {
    h.emulator.control.advanceClock(400);
  }
}

describe('WorkOS away while authkit refreshes a token', () => {
  it.each(['down', 'error503'] as const)(
    '%s: the expiring session is refused (never passed), others keep being served; back: allowed within 1 s',
    async (mode) => {
      const expired = await expiredSession();
      const fresh = await h.signIn();
      await h.record(expired);
      await h.record(fresh);
      await h.gateway.setMode(mode);

      // The SDK retries a refused connection or a 503 with backoff (seconds): both requests wait it out together.
      const [api, page] = await Promise.all([
        h.middleware(h.api('/api/admin/report', expired.cookie)),
        h.middleware(h.page('/admin', expired.cookie)),
      ]);
      expect(passedThrough(api)).toBe(false);
      expect(api.status).toBe(401);
      // A transient failure keeps the cookie, so the session survives the outage.
      expect(api.headers.getSetCookie().some((c) => /^wos-session=;/.test(c))).toBe(false);
      expect(page.status).toBe(307);
      expect(page.headers.get('location')).toContain('/user_management/authorize');
      // A session with a valid token needs no WorkOS call: still decided from the ledger.
      expect(passedThrough(await h.middleware(h.api('/api/admin/report', fresh.cookie)))).toBe(true);
      const bob = await h.signIn('bob@acme.test', 'bob-password-1');
      expect(await bodyOf(await h.middleware(h.api('/api/admin/report', bob.cookie)))).toMatchObject({
        reason: 'no_evidence',
      });

      await h.gateway.setMode('pass');
      await decidedWithin(
        () => h.middleware(h.api('/api/admin/report', expired.cookie)),
        (res) => passedThrough(res),
        'the refreshed session to pass',
      );
    },
  );
});

describe('WorkOS away during a TOTP step-up', () => {
  let redis: RedisProcess;
  let engine: Engine;
  let limiterRedis: Redis;
  beforeAll(async () => {
    redis = await startRedis();
    engine = await h.engine({ redisUrl: redis.url, store: 'upstash', timeoutMs: LEDGER_TIMEOUT_MS });
    limiterRedis = standInClient(h.standIn!);
  });
  afterAll(async () => {
    await engine?.close();
    await redis?.stop();
  });

  /** The step-up over the gateway; `afterVerify` runs once WorkOS has answered a verification. */
  function stepUp(afterVerify?: () => void) {
    const keyPrefix = `faults-su-${randomUUID().slice(0, 8)}`;
    const sdk = new WorkOS(h.emulator.apiKey, { apiHostname: '127.0.0.1', https: false, port: h.gateway.port })
      .multiFactorAuth as unknown as StepUpMfaClient;
    const mfa: StepUpMfaClient = afterVerify
      ? {
          listUserAuthFactors: (o) => sdk.listUserAuthFactors(o),
          challengeFactor: (o) => sdk.challengeFactor(o),
          verifyChallenge: async (o) => sdk.verifyChallenge(o).finally(afterVerify),
        }
      : sdk;
    return createTotpStepUp({
      sessionMfa: engine.sessionMfa,
      mfa,
      limiter: upstashAttemptLimiter({ redis: limiterRedis, keyPrefix }),
      usedCodes: upstashUsedCodes({ redis: limiterRedis, keyPrefix }),
    });
  }
  const code = () => {
    h.emulator.control.advanceClock(60); // a TOTP step no other test used
    return h.emulator.control.users().find((u) => u.email === 'alice@acme.test')!.totpFactors[0]!.codeNow;
  };
  const identity = (s: SignedIn) => ({ userId: s.userId, sessionId: s.sid, organizationId: 'org_acme' });

  it.each(['down', 'error503'] as const)(
    '%s: the attempt fails as unavailable and records nothing; back: the next code verifies',
    async (mode) => {
      const alice = await h.signIn();
      const su = stepUp();
      await h.gateway.setMode(mode);
      expect(
        await su.verify({ session: identity(alice), factorId: 'auth_factor_alice_totp', code: code() }),
      ).toMatchObject({ ok: false, code: 'unavailable' });
      expect(await engine.ledger.lookup(alice.sid)).toEqual({ status: 'missing' });
      expect(await bodyOf(await engine.middleware(h.api('/api/admin/report', alice.cookie)))).toMatchObject({
        reason: 'no_evidence',
      });

      await h.gateway.setMode('pass');
      expect(
        await su.verify({ session: identity(alice), factorId: 'auth_factor_alice_totp', code: code() }),
      ).toMatchObject({ ok: true });
      expect(passedThrough(await engine.middleware(h.api('/api/admin/report', alice.cookie)))).toBe(true);
    },
  );

  it('the ledger failing after WorkOS verified the code is a failed step-up: the session stays refused, the code is spent', async () => {
    const alice = await h.signIn();
    // The ledger's store fails the moment WorkOS has verified the code (before, it is read for the factor's enrollment).
    let armed = true;
    const su = stepUp(() => armed && engine.standIn!.setFault({ mode: 'error500' }));
    const right = code();
    try {
      expect(
        await su.verify({ session: identity(alice), factorId: 'auth_factor_alice_totp', code: right }),
      ).toMatchObject({ ok: false, code: 'ledger_unavailable' });
      expect((await engine.middleware(h.api('/api/admin/report', alice.cookie))).status).toBe(503);
    } finally {
      armed = false;
      engine.standIn!.setFault({ mode: 'none' });
    }
    expect(await engine.ledger.lookup(alice.sid)).toEqual({ status: 'missing' });
    expect(
      await su.verify({ session: identity(alice), factorId: 'auth_factor_alice_totp', code: right }),
    ).toMatchObject({ ok: false, code: 'code_reused' });
    expect(
      await su.verify({ session: identity(alice), factorId: 'auth_factor_alice_totp', code: code() }),
    ).toMatchObject({ ok: true });
  });

  it('the ledger store failing before the code is checked refuses the attempt as unavailable, without asking WorkOS to verify', async () => {
    const alice = await h.signIn();
    const su = stepUp();
    const before = h.gateway.forwarded.length;
    engine.standIn!.setFault({ mode: 'error500' });
    try {
      expect(
        await su.verify({ session: identity(alice), factorId: 'auth_factor_alice_totp', code: code() }),
      ).toMatchObject({ ok: false, code: 'unavailable' });
    } finally {
      engine.standIn!.setFault({ mode: 'none' });
    }
    // Only the factor list reached WorkOS: the enrollment records (in the ledger's store) could not be read.
    const asked = h.gateway.forwarded.slice(before);
    expect(asked).toContain('/user_management/users/user_alice/auth_factors');
    expect(asked.filter((path) => path.includes('/challenge') || path.includes('/verify'))).toEqual([]);
  });

  it('the attempt-limit store failing refuses the attempt before WorkOS is asked (fails closed)', async () => {
    const alice = await h.signIn();
    const su = stepUp();
    const before = h.gateway.forwarded.length;
    h.standIn!.setFault({ mode: 'error500' });
    try {
      expect(
        await su.verify({ session: identity(alice), factorId: 'auth_factor_alice_totp', code: code() }),
      ).toMatchObject({ ok: false, code: 'unavailable' });
    } finally {
      h.standIn!.setFault({ mode: 'none' });
    }
    expect(h.gateway.forwarded.length).toBe(before);
    expect(await engine.ledger.lookup(alice.sid)).toEqual({ status: 'missing' });
  });
});
