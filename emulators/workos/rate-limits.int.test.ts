import { RateLimitExceededException, WorkOS } from '@workos-inc/node';
import { describe, expect, it } from 'vitest';
import {
  ALICE,
  BOB,
  alignToMidStep,
  rejectionOf,
  totpAt,
  useEmulator,
  type EmulatorUnderTest,
} from './conformance-helpers';
import { AUTHENTICATE_LIMIT } from './rate-limits';

let emulator: EmulatorUnderTest;

useEmulator((started) => ({ emulator } = started), alignToMidStep);

/** The SDK without its own retries, so a 429 surfaces at once (the default client would sleep `Retry-After`, then retry). */
const noRetries = () =>
  new WorkOS(emulator.apiKey, {
    apiHostname: '127.0.0.1',
    https: false,
    port: emulator.port,
    clientId: emulator.clientId,
    maxRetries: 0,
  });

const wrongPassword = (sdk: WorkOS, email: string) =>
  rejectionOf(
    sdk.userManagement.authenticateWithPassword({ clientId: emulator.clientId, email, password: 'wrong-password' }),
  );

describe('authenticate: 10 requests per 60 s per email or challenge (WorkOS’s documented limit)', () => {
  it('answers the 11th request for one email with 429 and Retry-After; other emails are unaffected', async () => {
    const sdk = noRetries();
    for (let i = 0; i < AUTHENTICATE_LIMIT.requests; i += 1)
      expect(await wrongPassword(sdk, ALICE.email)).toMatchObject({ status: 400, code: 'invalid_credentials' });
    await emulator.control.advanceClock(20);
    const limited = await wrongPassword(sdk, ALICE.email.toUpperCase());
    expect(limited).toBeInstanceOf(RateLimitExceededException);
    // The oldest counted request leaves the window 60 s after it was made: 40 s from now.
    expect(limited).toMatchObject({ status: 429, retryAfter: 40 });
    // Even the right password is refused while limited; another user is not.
    expect(
      await rejectionOf(
        sdk.userManagement.authenticateWithPassword({
          clientId: emulator.clientId,
          email: ALICE.email,
          password: ALICE.password,
        }),
      ),
    ).toBeInstanceOf(RateLimitExceededException);
    expect(
      (
        await sdk.userManagement.authenticateWithPassword({
          clientId: emulator.clientId,
          email: BOB.email,
          password: BOB.password,
        })
      ).user.id,
    ).toBe(BOB.id);

    await emulator.control.advanceClock(40);
    expect(
      (
        await sdk.userManagement.authenticateWithPassword({
          clientId: emulator.clientId,
          email: ALICE.email,
          password: ALICE.password,
        })
      ).user.id,
    ).toBe(ALICE.id);
  });

  it('counts mfa-totp grants per challenge', async () => {
    await emulator.control.configure({ signInMfa: 'required' });
    const sdk = noRetries();
    const challenged = await rejectionOf(
      sdk.userManagement.authenticateWithPassword({
        clientId: emulator.clientId,
        email: ALICE.email,
        password: ALICE.password,
      }),
    );
    const challenge = await sdk.multiFactorAuth.challengeFactor({ authenticationFactorId: ALICE.factorId });
    const attempt = (code: string) =>
      sdk.userManagement.authenticateWithTotp({
        clientId: emulator.clientId,
        code,
        authenticationChallengeId: challenge.id,
        pendingAuthenticationToken: String(challenged.pendingAuthenticationToken),
      });
    const good = totpAt(emulator, ALICE.secret);
    const bad = String((Number(good) + 1) % 1_000_000).padStart(6, '0');
    for (let i = 0; i < AUTHENTICATE_LIMIT.requests; i += 1)
      expect(await rejectionOf(attempt(bad))).toMatchObject({ status: 400, code: 'invalid_one_time_code' });
    expect(await rejectionOf(attempt(good))).toMatchObject({ status: 429, retryAfter: 60 });
    expect(await emulator.control.sessions()).toHaveLength(0);
  });

  it('can be switched off for load tests', async () => {
    await emulator.control.configure({ rateLimits: 'off' });
    const sdk = noRetries();
    for (let i = 0; i <= AUTHENTICATE_LIMIT.requests; i += 1)
      expect(await wrongPassword(sdk, ALICE.email)).toMatchObject({ status: 400 });
  });
});

describe('injected throttling (the environment’s API limit exhausted)', () => {
  it('answers every API-key request with 429 and the seconds left, until the emulator clock passes the window', async () => {
    await emulator.control.throttle(30);
    const sdk = noRetries();
    const challenge = await rejectionOf(
      sdk.multiFactorAuth.challengeFactor({ authenticationFactorId: ALICE.factorId }),
    );
    expect(challenge).toBeInstanceOf(RateLimitExceededException);
    expect(challenge).toMatchObject({ status: 429, retryAfter: 30 });
    await emulator.control.advanceClock(29.5);
    expect(await rejectionOf(sdk.multiFactorAuth.listUserAuthFactors({ userId: ALICE.id }))).toMatchObject({
      retryAfter: 1,
    });
    await emulator.control.advanceClock(1);
    expect(
      (await sdk.multiFactorAuth.challengeFactor({ authenticationFactorId: ALICE.factorId })).authenticationFactorId,
    ).toBe(ALICE.factorId);
  });
});
