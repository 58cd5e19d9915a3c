import { SignJWT } from 'jose';
import type { EmulatorContext } from './context';
import { newId } from './ids';
import { ACCESS_TOKEN_TTL_SECONDS } from './lifetimes';
import { membershipOf, type SessionRecord, type UserRecord } from './store';

/**
 * Signs a WorkOS-shaped access token for `session`. `amr`/`acr` appear only when the session was
 * created in `claimsMode: 'tomorrow'`; `auth_time` and `sid` come from the session, so they survive refresh.
 */
export async function signAccessToken(emu: EmulatorContext, session: SessionRecord, user: UserRecord): Promise<string> {
  const iat = emu.clock.nowSeconds();
  const membership = membershipOf(user, session.organizationId);
  const claims: Record<string, unknown> = {
    sid: session.id,
    jti: newId('jti'),
    auth_time: session.authTime,
    ...(membership === undefined
      ? {}
      : { org_id: membership.organizationId, role: membership.role, roles: [membership.role], permissions: [...membership.permissions] }),
    entitlements: [],
    feature_flags: [],
    ...(session.amr === null ? {} : { amr: [...session.amr] }),
    ...(session.acr === null ? {} : { acr: session.acr }),
  };
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: emu.signingKey.kid, typ: 'JWT' })
    .setIssuer(emu.baseUrl)
    .setSubject(user.id)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ACCESS_TOKEN_TTL_SECONDS)
    .sign(emu.signingKey.privateKey);
}
