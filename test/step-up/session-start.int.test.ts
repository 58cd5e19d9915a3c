/**
 * Factor eligibility on the path production takes: WorkOS's tokens carry no `auth_time`, so when a session began
 * is read from its `sid` (a ULID). Through the real `@workos-inc/node` client against the emulator, whose ids
 * encode its own clock, with attempt limits and replay markers in real Redis behind the Upstash stand-in.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from '@upstash/redis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { standInClient, startHarness, type Harness } from '../hostile/support/harness';
import { sessionStartedAt, type StepUpSession } from '../../lib/step-up/factor-eligibility';
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

function stepUp() {
  const keyPrefix = `session-start-${randomUUID().slice(0, 8)}`;
  return createTotpStepUp({
    sessionMfa: h.sessionMfa,
    mfa: h.workos.multiFactorAuth as unknown as StepUpMfaClient,
    limiter: upstashAttemptLimiter({ redis, keyPrefix, attempts: 5, window: '15m' }),
    usedCodes: upstashUsedCodes({ redis, keyPrefix }),
  });
}

/** Bob's session as `currentStepUpSession` builds it from a today-mode token: identity only, no `authTime`. */
async function bobSession(): Promise<StepUpSession> {
  const s = await h.signIn('bob@acme.test', 'bob-password-1');
  const claims = JSON.parse(Buffer.from(s.accessToken.split('.')[1]!, 'base64url').toString()) as Record<
    string,
    unknown
  >;
  expect(claims).not.toHaveProperty('auth_time');
  return { userId: s.userId, sessionId: s.sid, organizationId: 'org_acme' };
}

async function enrollBobFactor(): Promise<{ id: string; secret: string }> {
  const { authenticationFactor } = await h.workos.multiFactorAuth.createUserAuthFactor({
    userId: 'user_bob',
    type: 'totp',
  });
  return { id: authenticationFactor.id, secret: authenticationFactor.totp.secret };
}

const codeOf = (factorId: string) =>
  h.emulator.control
    .users()
    .flatMap((u) => u.totpFactors)
    .find((f) => f.id === factorId)!.codeNow;

describe('session start from the sid (no auth_time in WorkOS tokens)', () => {
  it('refuses a factor enrolled inside the session, before it passed MFA', async () => {
    const session = await bobSession();
    h.emulator.control.advanceClock(5);
    const factor = await enrollBobFactor();
    h.emulator.control.advanceClock(60);
    expect(sessionStartedAt(session)).not.toBeNull();
    expect(await stepUp().verify({ session, factorId: factor.id, code: codeOf(factor.id) })).toMatchObject({
      ok: false,
      code: 'factor_too_new',
    });
    expect(await stepUp().listFactors(session)).toEqual([]);
    await h.workos.multiFactorAuth.deleteFactor(factor.id);
  });

  it('accepts a factor enrolled before the session began, even when the emulator clock runs days ahead', async () => {
    // Wall-clock session ids would date this session before a factor enrolled on the shifted clock.
    h.emulator.control.advanceClock(2 * 86_400);
    const factor = await enrollBobFactor();
    h.emulator.control.advanceClock(5);
    const session = await bobSession();
    expect(sessionStartedAt(session)).toBeGreaterThanOrEqual(Math.floor(h.emulator.control.now() / 1000) - 1);
    h.emulator.control.advanceClock(60);
    expect((await stepUp().listFactors(session)).map((f) => f.id)).toEqual([factor.id]);
    expect(await stepUp().verify({ session, factorId: factor.id, code: codeOf(factor.id) })).toMatchObject({
      ok: true,
      factorId: factor.id,
    });
    await h.workos.multiFactorAuth.deleteFactor(factor.id);
  });
});
