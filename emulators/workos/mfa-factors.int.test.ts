import { NotFoundException, UnauthorizedException, UnprocessableEntityException, type WorkOS } from '@workos-inc/node';
import { describe, expect, it } from 'vitest';
import {
  ALICE,
  BOB,
  alignToMidStep,
  rejectionOf,
  sdkFor,
  totpAt,
  useEmulator,
  type EmulatorUnderTest,
} from './conformance-helpers';
import { CHALLENGE_TTL_MS } from './lifetimes';

let emulator: EmulatorUnderTest;
let workos: WorkOS;

useEmulator((started) => ({ emulator, workos } = started));

async function challengeAlice() {
  return workos.multiFactorAuth.challengeFactor({ authenticationFactorId: ALICE.factorId });
}

describe('user factors (createUserAuthFactor / listUserAuthFactors)', () => {
  it('creates a TOTP factor with secret, otpauth URI and QR data URL, plus a challenge', async () => {
    const { authenticationFactor, authenticationChallenge } = await workos.multiFactorAuth.createUserAuthFactor({
      userId: BOB.id,
      type: 'totp',
      totpIssuer: 'Acme',
      totpUser: BOB.email,
    });
    expect(authenticationFactor).toMatchObject({ object: 'authentication_factor', type: 'totp', userId: BOB.id });
    expect(authenticationFactor.id).toMatch(/^auth_factor_/);
    expect(authenticationFactor.totp.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(authenticationFactor.totp.qrCode).toMatch(/^data:image\/png;base64,/);
    expect(authenticationFactor.totp.uri).toContain(`secret=${authenticationFactor.totp.secret}`);
    expect(authenticationFactor.totp.uri).toMatch(/^otpauth:\/\/totp\/Acme:bob%40acme\.test\?/);
    expect(authenticationChallenge).toMatchObject({
      object: 'authentication_challenge',
      authenticationFactorId: authenticationFactor.id,
    });

    const listed = await workos.multiFactorAuth.listUserAuthFactors({ userId: BOB.id });
    expect(listed.data.map((f) => f.id)).toEqual([authenticationFactor.id]);
    expect(listed.data[0]).not.toHaveProperty('totp.secret');

    const verified = await workos.multiFactorAuth.verifyChallenge({
      authenticationChallengeId: authenticationChallenge.id,
      code: totpAt(emulator, authenticationFactor.totp.secret),
    });
    expect(verified.valid).toBe(true);
  });

  it('accepts a caller-chosen totp_secret and rejects a malformed one with 422', async () => {
    const { authenticationFactor } = await workos.multiFactorAuth.createUserAuthFactor({
      userId: BOB.id,
      type: 'totp',
      totpSecret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ',
    });
    expect(authenticationFactor.totp.secret).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    const error = await rejectionOf(
      workos.multiFactorAuth.createUserAuthFactor({ userId: BOB.id, type: 'totp', totpSecret: 'not base32!' }),
    );
    expect(error).toBeInstanceOf(UnprocessableEntityException);
    expect((await workos.multiFactorAuth.listUserAuthFactors({ userId: BOB.id })).data).toHaveLength(1);
  });

  it('lists the seeded factor of alice and 404s for an unknown user', async () => {
    const listed = await workos.multiFactorAuth.listUserAuthFactors({ userId: ALICE.id });
    expect(listed.data).toEqual([expect.objectContaining({ id: ALICE.factorId, type: 'totp', userId: ALICE.id })]);
    expect(await rejectionOf(workos.multiFactorAuth.listUserAuthFactors({ userId: 'user_nobody' }))).toBeInstanceOf(
      NotFoundException,
    );
  });

  it('requires the API key as bearer token', async () => {
    const wrongKey = sdkFor(emulator, 'sk_test_wrong');
    expect(await rejectionOf(wrongKey.multiFactorAuth.listUserAuthFactors({ userId: ALICE.id }))).toBeInstanceOf(
      UnauthorizedException,
    );
  });
});

describe('challenge → verify (RFC 6238)', () => {
  it('verifies the right code and rejects a wrong one (valid: false, challenge still usable)', async () => {
    const challenge = await challengeAlice();
    expect(challenge.authenticationFactorId).toBe(ALICE.factorId);
    expect(Date.parse(challenge.expiresAt ?? '') - Date.parse(challenge.createdAt)).toBe(CHALLENGE_TTL_MS);

    const code = totpAt(emulator, ALICE.secret);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    const rejected = await workos.multiFactorAuth.verifyChallenge({
      authenticationChallengeId: challenge.id,
      code: wrong,
    });
    expect(rejected.valid).toBe(false);
    expect(rejected.challenge.id).toBe(challenge.id);

    const accepted = await workos.multiFactorAuth.verifyChallenge({ authenticationChallengeId: challenge.id, code });
    expect(accepted.valid).toBe(true);
  });

  it('accepts codes one time step either side, not two', async () => {
    await alignToMidStep(emulator);
    const previous = await challengeAlice();
    expect(
      (
        await workos.multiFactorAuth.verifyChallenge({
          authenticationChallengeId: previous.id,
          code: totpAt(emulator, ALICE.secret, -60),
        })
      ).valid,
    ).toBe(false);
    expect(
      (
        await workos.multiFactorAuth.verifyChallenge({
          authenticationChallengeId: previous.id,
          code: totpAt(emulator, ALICE.secret, -30),
        })
      ).valid,
    ).toBe(true);
    const next = await challengeAlice();
    expect(
      (
        await workos.multiFactorAuth.verifyChallenge({
          authenticationChallengeId: next.id,
          code: totpAt(emulator, ALICE.secret, 60),
        })
      ).valid,
    ).toBe(false);
    expect(
      (
        await workos.multiFactorAuth.verifyChallenge({
          authenticationChallengeId: next.id,
          code: totpAt(emulator, ALICE.secret, 30),
        })
      ).valid,
    ).toBe(true);
  });

  it('rejects an expired challenge with 422 authentication_challenge_expired', async () => {
    const challenge = await challengeAlice();
    await emulator.control.advanceClock(CHALLENGE_TTL_MS / 1000 + 1);
    const error = await rejectionOf(
      workos.multiFactorAuth.verifyChallenge({
        authenticationChallengeId: challenge.id,
        code: totpAt(emulator, ALICE.secret),
      }),
    );
    expect(error).toBeInstanceOf(UnprocessableEntityException);
    expect(error.code).toBe('authentication_challenge_expired');
  });

  it('rejects a second verification of a verified challenge with 422 authentication_challenge_previously_verified', async () => {
    const challenge = await challengeAlice();
    expect(
      (
        await workos.multiFactorAuth.verifyChallenge({
          authenticationChallengeId: challenge.id,
          code: totpAt(emulator, ALICE.secret),
        })
      ).valid,
    ).toBe(true);
    await emulator.control.advanceClock(30);
    const error = await rejectionOf(
      workos.multiFactorAuth.verifyChallenge({
        authenticationChallengeId: challenge.id,
        code: totpAt(emulator, ALICE.secret),
      }),
    );
    expect(error).toBeInstanceOf(UnprocessableEntityException);
    expect(error.code).toBe('authentication_challenge_previously_verified');
  });

  it('refuses a code already accepted for the factor (RFC 6238 §5.2), even on a new challenge', async () => {
    const code = totpAt(emulator, ALICE.secret);
    const first = await challengeAlice();
    expect((await workos.multiFactorAuth.verifyChallenge({ authenticationChallengeId: first.id, code })).valid).toBe(
      true,
    );
    const second = await challengeAlice();
    expect((await workos.multiFactorAuth.verifyChallenge({ authenticationChallengeId: second.id, code })).valid).toBe(
      false,
    );
    await emulator.control.advanceClock(30);
    expect(
      (
        await workos.multiFactorAuth.verifyChallenge({
          authenticationChallengeId: second.id,
          code: totpAt(emulator, ALICE.secret),
        })
      ).valid,
    ).toBe(true);
  });

  it('never verifies a code from another user’s factor', async () => {
    const { authenticationFactor: bobFactor } = await workos.multiFactorAuth.createUserAuthFactor({
      userId: BOB.id,
      type: 'totp',
    });
    const aliceChallenge = await challengeAlice();
    const bobCode = totpAt(emulator, bobFactor.totp.secret);
    expect(
      (await workos.multiFactorAuth.verifyChallenge({ authenticationChallengeId: aliceChallenge.id, code: bobCode }))
        .valid,
    ).toBe(false);
    const bobChallenge = await workos.multiFactorAuth.challengeFactor({ authenticationFactorId: bobFactor.id });
    expect(
      (
        await workos.multiFactorAuth.verifyChallenge({
          authenticationChallengeId: bobChallenge.id,
          code: totpAt(emulator, ALICE.secret),
        })
      ).valid,
    ).toBe(false);
    expect(
      (await workos.multiFactorAuth.verifyChallenge({ authenticationChallengeId: bobChallenge.id, code: bobCode }))
        .valid,
    ).toBe(true);
  });

  it('404s for unknown challenges and factors', async () => {
    expect(
      await rejectionOf(
        workos.multiFactorAuth.verifyChallenge({ authenticationChallengeId: 'auth_challenge_nope', code: '123456' }),
      ),
    ).toBeInstanceOf(NotFoundException);
    expect(
      await rejectionOf(workos.multiFactorAuth.challengeFactor({ authenticationFactorId: 'auth_factor_nope' })),
    ).toBeInstanceOf(NotFoundException);
  });
});

describe('standalone factors (enrollFactor / getFactor / deleteFactor)', () => {
  it('enrolls, gets and deletes a factor; its challenges go with it', async () => {
    const factor = await workos.multiFactorAuth.enrollFactor({
      type: 'totp',
      issuer: 'Acme',
      user: 'someone@acme.test',
    });
    expect(factor).toMatchObject({
      object: 'authentication_factor',
      type: 'totp',
      totp: { issuer: 'Acme', user: 'someone@acme.test' },
    });
    expect(factor.totp?.secret).toMatch(/^[A-Z2-7]+$/);

    const fetched = await workos.multiFactorAuth.getFactor(factor.id);
    expect(fetched).toMatchObject({ id: factor.id, type: 'totp', totp: { issuer: 'Acme', user: 'someone@acme.test' } });
    expect(fetched.totp).not.toHaveProperty('secret');

    const challenge = await workos.multiFactorAuth.challengeFactor({ authenticationFactorId: factor.id });
    expect(
      (
        await workos.multiFactorAuth.verifyChallenge({
          authenticationChallengeId: challenge.id,
          code: totpAt(emulator, factor.totp?.secret ?? ''),
        })
      ).valid,
    ).toBe(true);

    const pending = await workos.multiFactorAuth.challengeFactor({ authenticationFactorId: factor.id });
    await workos.multiFactorAuth.deleteFactor(factor.id);
    expect(await rejectionOf(workos.multiFactorAuth.getFactor(factor.id))).toBeInstanceOf(NotFoundException);
    expect(
      await rejectionOf(
        workos.multiFactorAuth.verifyChallenge({ authenticationChallengeId: pending.id, code: '123456' }),
      ),
    ).toBeInstanceOf(NotFoundException);
  });

  it('rejects non-TOTP types and missing issuer with 422', async () => {
    expect(
      await rejectionOf(workos.multiFactorAuth.enrollFactor({ type: 'sms', phoneNumber: '+15555550123' })),
    ).toBeInstanceOf(UnprocessableEntityException);
    expect(
      await rejectionOf(workos.multiFactorAuth.enrollFactor({ type: 'totp', issuer: '', user: 'x' })),
    ).toBeInstanceOf(UnprocessableEntityException);
  });

  it('reset restores the seed (a deleted seeded factor comes back)', async () => {
    await workos.multiFactorAuth.deleteFactor(ALICE.factorId);
    expect((await workos.multiFactorAuth.listUserAuthFactors({ userId: ALICE.id })).data).toHaveLength(0);
    await emulator.control.reset();
    expect((await workos.multiFactorAuth.listUserAuthFactors({ userId: ALICE.id })).data.map((f) => f.id)).toEqual([
      ALICE.factorId,
    ]);
  });
});
