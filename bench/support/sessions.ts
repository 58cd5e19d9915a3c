/**
 * Real authkit sessions for the load runs: tokens from the WorkOS emulator through the real
 * `@workos-inc/node` grants, sealed into the `wos-session` cookie exactly as authkit seals it.
 */
import { AuthenticationException, WorkOS, type AuthenticationResponse } from '@workos-inc/node';
import { sealData } from 'iron-session';
import { decodeJwt } from 'jose';
import { Secret, TOTP } from 'otpauth';
import type { WorkosEmulator } from '../../emulators/workos';

/** A signed-in session whose cookie can be renewed before its access token nears expiry. */
export interface BenchSession {
  readonly label: string;
  readonly userId: string;
  readonly sessionId: string;
  /** `wos-session=<sealed>` for the current access token. */
  readonly cookie: string;
  /** The `amr` claim of the current access token, when any. */
  readonly amr: readonly string[] | null;
  /**
   * Refreshes the access token through the refresh grant and reseals the cookie. Access tokens live 300 s
   * and authkit refreshes them 30 s before expiry; a load run must never cross that line, or every request
   * would refresh (the load generator does not keep the new cookie) and the run would measure refreshes.
   */
  renew(): Promise<void>;
}

const ALICE_EMAIL = 'alice@acme.test';
const BOB_EMAIL = 'bob@acme.test';

function sdk(emulator: WorkosEmulator): WorkOS {
  return new WorkOS(emulator.apiKey, {
    apiHostname: '127.0.0.1',
    https: false,
    port: emulator.port,
    clientId: emulator.clientId,
  });
}

async function toSession(
  label: string,
  workos: WorkOS,
  emulator: WorkosEmulator,
  first: AuthenticationResponse,
  cookiePassword: string,
): Promise<BenchSession> {
  let current = first;
  const seal = async () =>
    `wos-session=${await sealData({ accessToken: current.accessToken, refreshToken: current.refreshToken, user: current.user }, { password: cookiePassword, ttl: 0 })}`;
  let cookie = await seal();
  const claims = () => decodeJwt(current.accessToken);
  return {
    label,
    userId: current.user.id,
    sessionId: String(claims().sid),
    get cookie() {
      return cookie;
    },
    get amr() {
      const amr = claims().amr;
      return Array.isArray(amr) ? (amr as string[]) : null;
    },
    async renew() {
      current = await workos.userManagement.authenticateWithRefreshToken({
        clientId: emulator.clientId,
        refreshToken: current.refreshToken,
      });
      cookie = await seal();
    },
  };
}

function seedUser(emulator: WorkosEmulator, email: string) {
  const user = emulator.seed.users.find((u) => u.email === email);
  if (!user?.password) throw new Error(`The emulator seed has no password user ${email}.`);
  return user;
}

/**
 * Alice signs in with password + TOTP while the emulator issues tomorrow's tokens: `amr` is
 * `["pwd","otp","mfa"]`, so the claims alone satisfy the policy (zero ledger reads).
 */
export async function signInWithMfaClaims(emulator: WorkosEmulator, cookiePassword: string): Promise<BenchSession> {
  const workos = sdk(emulator);
  const alice = seedUser(emulator, ALICE_EMAIL);
  const factor = alice.totpFactors?.[0];
  if (!factor) throw new Error(`${ALICE_EMAIL} has no TOTP factor in the emulator seed.`);
  emulator.control.configure({ claimsMode: 'tomorrow', signInMfa: 'required' });
  try {
    await workos.userManagement.authenticateWithPassword({
      clientId: emulator.clientId,
      email: alice.email,
      password: alice.password!,
    });
    throw new Error('The emulator did not ask for a second factor.');
  } catch (error) {
    if (!(error instanceof AuthenticationException) || !error.pendingAuthenticationToken) throw error;
    // Keep clear of a 30 s step boundary so the code is still current when the emulator checks it.
    // Forward only: tokens then carry an `iat` up to 30 s ahead, which neither authkit nor jose checks.
    const intoStep = (emulator.control.now() / 1000) % 30;
    emulator.control.advanceClock((45 - intoStep) % 30);
    const challenge = await workos.multiFactorAuth.challengeFactor({ authenticationFactorId: factor.id });
    const code = TOTP.generate({ secret: Secret.fromBase32(factor.secret), timestamp: emulator.control.now() });
    const auth = await workos.userManagement.authenticateWithTotp({
      clientId: emulator.clientId,
      code,
      authenticationChallengeId: challenge.id,
      pendingAuthenticationToken: error.pendingAuthenticationToken,
    });
    return toSession('claims (amr in token)', workos, emulator, auth, cookiePassword);
  } finally {
    emulator.control.configure({ claimsMode: 'today', signInMfa: 'off' });
  }
}

/** Bob signs in with a password and today's tokens (no `amr`): only a ledger entry can satisfy the policy. */
export async function signInWithoutMfaClaims(emulator: WorkosEmulator, cookiePassword: string): Promise<BenchSession> {
  const workos = sdk(emulator);
  const bob = seedUser(emulator, BOB_EMAIL);
  emulator.control.configure({ claimsMode: 'today', signInMfa: 'off' });
  const auth = await workos.userManagement.authenticateWithPassword({
    clientId: emulator.clientId,
    email: bob.email,
    password: bob.password!,
  });
  return toSession('ledger (no amr)', workos, emulator, auth, cookiePassword);
}
