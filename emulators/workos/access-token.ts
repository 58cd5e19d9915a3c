import { SignJWT } from 'jose';
import type { EmulatorContext } from './context';
import { newUlid } from './ids';
import { ACCESS_TOKEN_TTL_SECONDS } from './lifetimes';
import { membershipOf, type SessionRecord, type UserRecord } from './store';

/**
 * Signs a WorkOS-shaped access token for `session`. In `today` mode the claims are exactly WorkOS's documented ones
 * (`iss`, `sub`, `org_id`, `role`, `roles`, `permissions`, `entitlements`, `sid`, `jti`, `exp`, `iat`; `act` only
 * under impersonation, which the emulator does not do). `auth_time`, `amr` and `acr` appear only when the session
 * was created with them (`tomorrow` mode, or `authTimeClaim`); `sid` and `auth_time` survive refresh.
 */
export async function signAccessToken(emu: EmulatorContext, session: SessionRecord, user: UserRecord): Promise<string> {
  const iat = emu.clock.nowSeconds();
  const membership = membershipOf(user, session.organizationId);
  const claims: Record<string, unknown> = {
    sid: session.id,
    // WorkOS's documented example: a bare ULID.
    jti: newUlid(emu.clock.now()),
    ...(session.authTimeClaim ? { auth_time: session.authTime } : {}),
    ...(membership === undefined
      ? {}
      : {
          org_id: membership.organizationId,
          role: membership.role,
          roles: [membership.role],
          permissions: [...membership.permissions],
        }),
    entitlements: [],
    ...(session.amr === null ? {} : { amr: [...session.amr] }),
    ...(session.acr === null ? {} : { acr: session.acr }),
  };
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: emu.signingKey.kid, typ: 'JWT' })
    .setIssuer(emu.issuer)
    .setSubject(user.id)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ACCESS_TOKEN_TTL_SECONDS)
    .sign(emu.signingKey.privateKey);
}
