import {
  AuthenticationException,
  GenericServerException,
  OauthException,
  RateLimitExceededException,
  type WorkOS,
} from '@workos-inc/node';
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { BOB, controlRequest, rejectionOf, useEmulator, type EmulatorUnderTest } from './conformance-helpers';
import { MAGIC_AUTH_TTL_MS } from './lifetimes';

let emulator: EmulatorUnderTest;
let workos: WorkOS;

useEmulator((started) => ({ emulator, workos } = started));

const authenticate = (email: string, code: string) =>
  workos.userManagement.authenticateWithMagicAuth({ clientId: emulator.clientId, email, code });

describe('Magic Auth (createMagicAuth / authenticateWithMagicAuth)', () => {
  it('sends a six-digit code to the user, readable through the control routes, and signs the user in with it once', async () => {
    const created = await workos.userManagement.createMagicAuth({ email: BOB.email });
    expect(created).toMatchObject({ object: 'magic_auth', userId: BOB.id, email: BOB.email });
    expect(created.code).toMatch(/^\d{6}$/);
    expect(Date.parse(created.expiresAt) - Date.parse(created.createdAt)).toBe(MAGIC_AUTH_TTL_MS);
    expect((await workos.userManagement.getMagicAuth(created.id)).code).toBe(created.code);

    const { json } = await controlRequest(emulator, 'GET', `emails?to=${encodeURIComponent('Bob@Acme.test')}`);
    expect(json.data).toEqual([
      expect.objectContaining({
        id: created.id,
        type: 'magic_auth',
        to: BOB.email,
        user_id: BOB.id,
        code: created.code,
        used: false,
      }),
    ]);

    const signedIn = await authenticate(BOB.email, created.code);
    expect(signedIn.user.id).toBe(BOB.id);
    expect(signedIn.authenticationMethod).toBe('MagicAuth');
    const sid = decodeJwt(signedIn.accessToken).sid as string;
    expect((await emulator.control.sessions()).find((s) => s.id === sid)).toMatchObject({
      auth_method: 'magic_code',
      status: 'active',
    });
    expect((await emulator.control.emails(BOB.email))[0]!.used).toBe(true);

    const again = await rejectionOf(authenticate(BOB.email, created.code));
    expect(again).toBeInstanceOf(GenericServerException);
    expect(again).toMatchObject({ status: 400, code: 'one_time_code_previously_used' });

    // The session the check created can be revoked at once (what enrollment does with it).
    await workos.userManagement.revokeSession({ sessionId: sid });
    expect((await emulator.control.sessions()).find((s) => s.id === sid)).toMatchObject({ status: 'revoked' });
  });

  it('refuses a wrong and an expired code with the spec’s codes, and an unknown address as sign-up', async () => {
    const created = await workos.userManagement.createMagicAuth({ email: BOB.email });
    const wrong = created.code === '000000' ? '111111' : '000000';
    expect(await rejectionOf(authenticate(BOB.email, wrong))).toMatchObject({
      status: 400,
      code: 'invalid_one_time_code',
    });
    await emulator.control.advanceClock(MAGIC_AUTH_TTL_MS / 1000);
    expect(await rejectionOf(authenticate(BOB.email, created.code))).toMatchObject({
      status: 400,
      code: 'one_time_code_expired',
    });
    const unknown = await rejectionOf(workos.userManagement.createMagicAuth({ email: 'nobody@acme.test' }));
    expect(unknown).toBeInstanceOf(OauthException);
    expect(unknown).toMatchObject({ status: 400, error: 'sign_up_not_allowed' });
  });

  it('allows 3 codes per minute per email, then 429 with Retry-After', async () => {
    const limited = new (workos.constructor as typeof import('@workos-inc/node').WorkOS)(emulator.apiKey, {
      apiHostname: new URL(emulator.url).hostname,
      https: false,
      port: emulator.port,
      clientId: emulator.clientId,
      maxRetries: 0,
    } as never);
    for (let i = 0; i < 3; i++) await limited.userManagement.createMagicAuth({ email: BOB.email });
    const error = await rejectionOf(limited.userManagement.createMagicAuth({ email: BOB.email }));
    expect(error).toBeInstanceOf(RateLimitExceededException);
    expect((error as unknown as RateLimitExceededException).retryAfter).toBe(60);
    expect(await emulator.control.emails()).toHaveLength(3);
  });

  it('asks for the sign-in MFA step when the environment requires it, as after a password', async () => {
    await emulator.control.configure({ signInMfa: 'required' });
    const created = await workos.userManagement.createMagicAuth({ email: BOB.email });
    const error = await rejectionOf(authenticate(BOB.email, created.code));
    expect(error).toBeInstanceOf(AuthenticationException);
    expect(error).toMatchObject({ status: 403, code: 'mfa_enrollment' });
  });
});
