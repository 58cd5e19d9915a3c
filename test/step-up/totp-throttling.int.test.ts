/**
 * The step-up while WorkOS throttles (HTTP 429 + Retry-After), through the real `@workos-inc/node` client against
 * the emulator, with attempt limits and replay markers in real Redis behind the Upstash stand-in.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from '@upstash/redis';
import { WorkOS } from '@workos-inc/node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { standInClient, startHarness, type Harness } from '../hostile/support/harness';
import { upstashAttemptLimiter } from '../../lib/step-up/ratelimit-limiter';
import { createTotpStepUp, type StepUpMfaClient } from '../../lib/step-up/totp';
import { upstashUsedCodes } from '../../lib/step-up/used-codes';

let h: Harness;
let redis: Redis;
beforeAll(async () => {
  h = await startHarness({ redisUrl: inject('redisUrl') });
  redis = standInClient(h.standIn!);
});
afterAll(() => h?.close());

const FACTOR = 'auth_factor_alice_totp';
const codeNow = () =>
  h.emulator.control
    .users()
    .flatMap((u) => u.totpFactors)
    .find((f) => f.id === FACTOR)!.codeNow;
const forwardedSince = (start: number) => h.gateway.forwarded.slice(start);

/** A step-up over a client without SDK retries (as `TotpStepUpOptions.mfa` recommends), through the counting gateway. */
function stepUpWithoutRetries() {
  const keyPrefix = `throttle-${randomUUID().slice(0, 8)}`;
  const mfa = new WorkOS(h.emulator.apiKey, {
    apiHostname: '127.0.0.1',
    https: false,
    port: h.gateway.port,
    maxRetries: 0,
  }).multiFactorAuth as unknown as StepUpMfaClient;
  return createTotpStepUp({
    sessionMfa: h.sessionMfa,
    mfa,
    limiter: upstashAttemptLimiter({ redis, keyPrefix, attempts: 5, window: '15m' }),
    usedCodes: upstashUsedCodes({ redis, keyPrefix }),
  });
}

describe('TOTP step-up while WorkOS throttles', () => {
  it('answers at once with rate_limited and WorkOS’s Retry-After, records nothing, then works once the window passes', async () => {
    const s = await h.signIn();
    const session = { userId: s.userId, sessionId: s.sid, organizationId: 'org_acme' };
    const stepUp = stepUpWithoutRetries();
    h.emulator.control.advanceClock(60); // a TOTP step no earlier sign-in used
    h.emulator.control.throttle(42);
    const start = h.gateway.forwarded.length;

    const result = await stepUp.verify({ session, factorId: FACTOR, code: codeNow() });
    expect(result).toEqual({
      ok: false,
      code: 'rate_limited',
      retryAfterSeconds: 42,
      message: 'Too many attempts. For your security, verification is paused. Try again in 42 seconds.',
    });
    // One request reached WorkOS (the factor list, refused): no silent retries, no challenge.
    expect(forwardedSince(start)).toEqual([`/user_management/users/${s.userId}/auth_factors`]);
    expect(await h.raw.get(h.ledgerKey(s.sid))).toBeNull();
    await expect
      .poll(() => h.audit.at(-1))
      .toMatchObject({ type: 'step_up.failed', reason: 'rate_limited', sessionId: s.sid });

    h.emulator.control.advanceClock(42);
    expect(await stepUp.verify({ session, factorId: FACTOR, code: codeNow() })).toMatchObject({
      ok: true,
      factorId: FACTOR,
    });
    expect(await h.raw.get(h.ledgerKey(s.sid))).not.toBeNull();
  });
});
