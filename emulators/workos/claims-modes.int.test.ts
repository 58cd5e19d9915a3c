import type { WorkOS } from '@workos-inc/node';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  ALICE,
  BOB,
  CAROL,
  alignToMidStep,
  signInAndExchange,
  totpAt,
  verifyAccessToken,
  useEmulator,
  type EmulatorUnderTest,
} from './conformance-helpers';

let emulator: EmulatorUnderTest;
let workos: WorkOS;

useEmulator((started) => ({ emulator, workos } = started), alignToMidStep);

async function claimsOf(accessToken: string) {
  return (await verifyAccessToken(emulator, workos, accessToken)).payload;
}

describe("claimsMode 'today' (the default)", () => {
  it('issues no amr or acr, even after a TOTP step at sign-in', async () => {
    await emulator.control.configure({ signInMfa: 'required' });
    const auth = await signInAndExchange(emulator, workos, {
      email: ALICE.email,
      password: ALICE.password,
      totp: () => totpAt(emulator, ALICE.secret),
    });
    const claims = await claimsOf(auth.accessToken);
    expect(claims.sub).toBe(ALICE.id);
    expect(claims).not.toHaveProperty('amr');
    expect(claims).not.toHaveProperty('acr');
  });
});

describe("claimsMode 'tomorrow'", () => {
  beforeEach(async () => {
    await emulator.control.configure({ claimsMode: 'tomorrow' });
  });

  it('password only → amr ["pwd"], acr urn:workos:acr:pwd', async () => {
    const claims = await claimsOf(
      (await signInAndExchange(emulator, workos, { email: BOB.email, password: BOB.password })).accessToken,
    );
    expect(claims).toMatchObject({ amr: ['pwd'], acr: 'urn:workos:acr:pwd' });
  });

  it('password + TOTP step on the hosted page → amr ["pwd","otp","mfa"], acr urn:workos:acr:mfa', async () => {
    await emulator.control.configure({ signInMfa: 'required' });
    let stepHtml = '';
    const auth = await signInAndExchange(emulator, workos, {
      email: ALICE.email,
      password: ALICE.password,
      totp: (html) => {
        stepHtml = html;
        return totpAt(emulator, ALICE.secret);
      },
    });
    expect(stepHtml).toContain('autocomplete="one-time-code"');
    expect(stepHtml).toContain('inputmode="numeric"');
    expect(stepHtml).toContain('<label for="code">Authentication code</label>');
    expect(await claimsOf(auth.accessToken)).toMatchObject({ amr: ['pwd', 'otp', 'mfa'], acr: 'urn:workos:acr:mfa' });
  });

  it('SSO user → the amr the seed says the IdP reports', async () => {
    await emulator.control.configure({ signInMfa: 'required' }); // SSO sign-ins skip the emulator's TOTP step
    const auth = await signInAndExchange(emulator, workos, { email: CAROL.email, intent: 'sso' });
    expect(await claimsOf(auth.accessToken)).toMatchObject({ amr: ['pwd', 'mfa'], acr: 'urn:workos:acr:mfa' });
  });

  it('keeps the claims of the mode the session was created in across refresh', async () => {
    const tomorrow = await signInAndExchange(emulator, workos, { email: BOB.email, password: BOB.password });
    await emulator.control.configure({ claimsMode: 'today' });
    const today = await signInAndExchange(emulator, workos, { email: BOB.email, password: BOB.password });

    const refreshedTomorrow = await workos.userManagement.authenticateWithRefreshToken({
      clientId: emulator.clientId,
      refreshToken: tomorrow.refreshToken,
    });
    expect(await claimsOf(refreshedTomorrow.accessToken)).toMatchObject({ amr: ['pwd'], acr: 'urn:workos:acr:pwd' });
    const refreshedToday = await workos.userManagement.authenticateWithRefreshToken({
      clientId: emulator.clientId,
      refreshToken: today.refreshToken,
    });
    expect(await claimsOf(refreshedToday.accessToken)).not.toHaveProperty('amr');
  });

  it('enrolls a user without a factor on the hosted page when MFA is required', async () => {
    await emulator.control.configure({ signInMfa: 'required' });
    const auth = await signInAndExchange(emulator, workos, {
      email: BOB.email,
      password: BOB.password,
      totp: (html) => {
        const secret = /<code id="totp-secret">([A-Z2-7]+)<\/code>/.exec(html)?.[1];
        if (secret === undefined) throw new Error('no enrollment secret on the page');
        return totpAt(emulator, secret);
      },
    });
    expect(await claimsOf(auth.accessToken)).toMatchObject({ amr: ['pwd', 'otp', 'mfa'] });
    expect((await workos.multiFactorAuth.listUserAuthFactors({ userId: BOB.id })).data).toHaveLength(1);
  });

  it('shows the TOTP step again on a wrong code, then accepts the right one', async () => {
    await emulator.control.configure({ signInMfa: 'required' });
    let attempts = 0;
    const good = totpAt(emulator, ALICE.secret);
    const bad = String((Number(good) + 1) % 1_000_000).padStart(6, '0');
    await expect(
      signInAndExchange(emulator, workos, {
        email: ALICE.email,
        password: ALICE.password,
        totp: () => {
          attempts += 1;
          return bad;
        },
      }),
    ).rejects.toThrow('sign-in answered 401: That code is not valid. Check your authenticator app and try again.');
    expect(attempts).toBe(1);
    expect(await emulator.control.sessions()).toHaveLength(0);
    const auth = await signInAndExchange(emulator, workos, {
      email: ALICE.email,
      password: ALICE.password,
      totp: () => good,
    });
    expect(auth.user.id).toBe(ALICE.id);
  });
});
