import { AuthenticationException, GenericServerException, type WorkOS } from '@workos-inc/node';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  ALICE,
  BOB,
  CAROL,
  alignToMidStep,
  rejectionOf,
  sdkFor,
  totpAt,
  verifyAccessToken,
  useEmulator,
  type EmulatorUnderTest,
} from './conformance-helpers';

let emulator: EmulatorUnderTest;
let workos: WorkOS;

useEmulator((started) => ({ emulator, workos } = started), alignToMidStep);

function passwordGrant(email: string, password: string) {
  return workos.userManagement.authenticateWithPassword({
    clientId: emulator.clientId,
    email,
    password,
    ipAddress: '203.0.113.9',
    userAgent: 'grant-test',
  });
}

async function mfaChallengeFor(email: string, password: string): Promise<AuthenticationException> {
  const error = await rejectionOf(passwordGrant(email, password));
  expect(error).toBeInstanceOf(AuthenticationException);
  return error as unknown as AuthenticationException;
}

describe('password grant with sign-in MFA off', () => {
  it('issues tokens for users with and without factors', async () => {
    for (const user of [ALICE, BOB]) {
      const auth = await passwordGrant(user.email, user.password);
      expect(auth.user.id).toBe(user.id);
      expect(auth.authenticationMethod).toBe('Password');
      expect((await verifyAccessToken(emulator, workos, auth.accessToken)).payload.sub).toBe(user.id);
    }
    expect((await emulator.control.sessions()).map((s) => s.ip_address)).toEqual(['203.0.113.9', '203.0.113.9']);
  });

  it('rejects a wrong password with 400 invalid_credentials and creates no session', async () => {
    const error = await rejectionOf(passwordGrant(ALICE.email, 'nope'));
    expect(error).toBeInstanceOf(GenericServerException);
    expect(error).toMatchObject({ status: 400, code: 'invalid_credentials' });
    expect(await rejectionOf(passwordGrant('nobody@acme.test', 'nope'))).toMatchObject({
      status: 400,
      code: 'invalid_credentials',
    });
    expect(await emulator.control.sessions()).toHaveLength(0);
  });

  it('answers sso_required for an SSO-only user', async () => {
    const error = await rejectionOf(passwordGrant(CAROL.email, 'anything'));
    expect(error).toBeInstanceOf(AuthenticationException);
    // The SDK's `AuthenticationErrorData` for sso_required: an OAuth-style body naming the connections.
    expect(error).toMatchObject({
      status: 400,
      code: 'sso_required',
      rawData: { error: 'sso_required', connection_ids: ['conn_globex'], email: CAROL.email },
    });
  });

  it('requires the right client secret (400 invalid_client)', async () => {
    const wrong = sdkFor(emulator, 'sk_test_wrong');
    const error = await rejectionOf(
      wrong.userManagement.authenticateWithPassword({
        clientId: emulator.clientId,
        email: ALICE.email,
        password: ALICE.password,
      }),
    );
    expect(error).toMatchObject({ status: 400, error: 'invalid_client' });
    expect(await emulator.control.sessions()).toHaveLength(0);
  });
});

describe('password grant with sign-in MFA required', () => {
  beforeEach(async () => {
    await emulator.control.configure({ signInMfa: 'required', claimsMode: 'tomorrow' });
  });

  it('answers 403 mfa_challenge with a pending token and the factors; authenticateWithTotp completes it', async () => {
    const challengeError = await mfaChallengeFor(ALICE.email, ALICE.password);
    expect(challengeError.code).toBe('mfa_challenge');
    expect(challengeError.status).toBe(403);
    expect(challengeError.pendingAuthenticationToken).toMatch(/\S{20,}/);
    expect(challengeError.rawData).toMatchObject({
      authentication_factors: [{ id: ALICE.factorId, type: 'totp' }],
      user: { id: ALICE.id },
    });
    expect(await emulator.control.sessions()).toHaveLength(0);

    const challenge = await workos.multiFactorAuth.challengeFactor({ authenticationFactorId: ALICE.factorId });
    const auth = await workos.userManagement.authenticateWithTotp({
      clientId: emulator.clientId,
      code: totpAt(emulator, ALICE.secret),
      authenticationChallengeId: challenge.id,
      pendingAuthenticationToken: challengeError.pendingAuthenticationToken ?? '',
    });
    expect(auth.user.id).toBe(ALICE.id);
    expect(auth.authenticationMethod).toBe('Password');
    const { payload } = await verifyAccessToken(emulator, workos, auth.accessToken);
    expect(payload).toMatchObject({ amr: ['pwd', 'otp', 'mfa'], acr: 'urn:workos:acr:mfa' });
    // The session keeps the client info of the password step.
    expect((await emulator.control.sessions())[0]).toMatchObject({
      ip_address: '203.0.113.9',
      user_agent: 'grant-test',
    });
  });

  it('rejects a wrong TOTP code with invalid_one_time_code and leaves the pending token usable', async () => {
    const { pendingAuthenticationToken } = await mfaChallengeFor(ALICE.email, ALICE.password);
    const challenge = await workos.multiFactorAuth.challengeFactor({ authenticationFactorId: ALICE.factorId });
    const good = totpAt(emulator, ALICE.secret);
    const bad = String((Number(good) + 1) % 1_000_000).padStart(6, '0');
    const totp = (code: string) =>
      workos.userManagement.authenticateWithTotp({
        clientId: emulator.clientId,
        code,
        authenticationChallengeId: challenge.id,
        pendingAuthenticationToken: pendingAuthenticationToken ?? '',
      });

    expect(await rejectionOf(totp(bad))).toMatchObject({ status: 400, code: 'invalid_one_time_code' });
    expect(await emulator.control.sessions()).toHaveLength(0);
    const auth = await totp(good);
    expect(auth.user.id).toBe(ALICE.id);
    // Single use: the pending token and the challenge are spent.
    expect(await rejectionOf(totp(totpAt(emulator, ALICE.secret, 30)))).toMatchObject({
      status: 400,
      code: 'invalid_pending_authentication_token',
    });
  });

  it('rejects an unknown pending token and a challenge of another user’s factor', async () => {
    const { pendingAuthenticationToken } = await mfaChallengeFor(ALICE.email, ALICE.password);
    const { authenticationFactor, authenticationChallenge } = await workos.multiFactorAuth.createUserAuthFactor({
      userId: BOB.id,
      type: 'totp',
    });
    const foreign = await rejectionOf(
      workos.userManagement.authenticateWithTotp({
        clientId: emulator.clientId,
        code: totpAt(emulator, authenticationFactor.totp.secret),
        authenticationChallengeId: authenticationChallenge.id,
        pendingAuthenticationToken: pendingAuthenticationToken ?? '',
      }),
    );
    expect(foreign).toMatchObject({ status: 400, code: 'invalid_authentication_challenge' });
    const challenge = await workos.multiFactorAuth.challengeFactor({ authenticationFactorId: ALICE.factorId });
    const unknown = await rejectionOf(
      workos.userManagement.authenticateWithTotp({
        clientId: emulator.clientId,
        code: totpAt(emulator, ALICE.secret),
        authenticationChallengeId: challenge.id,
        pendingAuthenticationToken: 'made-up',
      }),
    );
    expect(unknown).toMatchObject({ status: 400, code: 'invalid_pending_authentication_token' });
  });

  it('answers 403 mfa_enrollment for a user without a factor; enrolling then completes sign-in', async () => {
    const enrollment = await mfaChallengeFor(BOB.email, BOB.password);
    expect(enrollment.code).toBe('mfa_enrollment');
    expect(enrollment.rawData).toMatchObject({ user: { id: BOB.id, email: BOB.email } });

    const { authenticationFactor, authenticationChallenge } = await workos.multiFactorAuth.createUserAuthFactor({
      userId: BOB.id,
      type: 'totp',
    });
    const auth = await workos.userManagement.authenticateWithTotp({
      clientId: emulator.clientId,
      code: totpAt(emulator, authenticationFactor.totp.secret),
      authenticationChallengeId: authenticationChallenge.id,
      pendingAuthenticationToken: enrollment.pendingAuthenticationToken ?? '',
    });
    expect(auth.user.id).toBe(BOB.id);
    expect((await verifyAccessToken(emulator, workos, auth.accessToken)).payload.amr).toEqual(['pwd', 'otp', 'mfa']);
  });
});
