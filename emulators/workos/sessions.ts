import { signAccessToken } from './access-token';
import { sessionAssurance } from './assurance';
import { emitAuthenticationEvent, emitMfaSucceeded, type ClientInfo } from './auth-events';
import type { EmulatorContext } from './context';
import { newId, newSecretToken } from './ids';
import { SESSION_TTL_MS } from './lifetimes';
import type { AuthenticationMethod, SessionRecord, UserRecord } from './store';
import { wireSession, wireUser } from './wire';

/** A finished sign-in, whichever way it happened (hosted page, password grant, TOTP grant). */
export interface CompletedSignIn {
  user: UserRecord;
  method: AuthenticationMethod;
  /** True when a TOTP code was accepted as part of this sign-in. */
  mfa: boolean;
  organizationId: string | null;
  client: ClientInfo;
}

/**
 * Records a new session for a completed sign-in with a fresh `sid` and `auth_time`, fixing its
 * `amr`/`acr` per the current claims mode, and emits `session.created` (and `authentication.mfa_succeeded`
 * carrying the new session when MFA was part of the sign-in).
 */
export function startSession(emu: EmulatorContext, signIn: CompletedSignIn): SessionRecord {
  const now = emu.clock.now();
  const { user, method, mfa, organizationId, client } = signIn;
  const session: SessionRecord = {
    id: newId('session', now),
    userId: user.id,
    organizationId,
    authenticationMethod: method,
    authTime: Math.floor(now / 1000),
    ...sessionAssurance(emu.config, method, user, mfa),
    ipAddress: client.ipAddress,
    userAgent: client.userAgent,
    status: 'active',
    createdAt: now,
    updatedAt: now,
    expiresAt: now + SESSION_TTL_MS,
    endedAt: null,
  };
  emu.store.sessions.set(session.id, session);
  user.lastSignInAt = now;
  user.updatedAt = now;
  // WorkOS's spec: `authentication.sso_succeeded` names the session (`data.sso.session_id`), so it follows creation.
  if (method === 'SSO')
    emitAuthenticationEvent(emu, 'sso', 'succeeded', user, client, {
      sso: { organization_id: organizationId, connection_id: user.sso?.connectionId ?? null, session_id: session.id },
    });
  if (mfa) emitMfaSucceeded(emu, user, client, session.id);
  emu.webhooks.emit('session.created', wireSession(session));
  return session;
}

/** Emits `authentication.password_succeeded` once the password is right (before any MFA step). */
export function emitPasswordSucceeded(emu: EmulatorContext, user: UserRecord, client: ClientInfo): void {
  emitAuthenticationEvent(emu, 'password', 'succeeded', user, client);
}

/** Ends a session (its refresh tokens stop working) and emits `session.revoked`; a no-op if already ended. */
export function revokeSession(emu: EmulatorContext, session: SessionRecord): void {
  if (session.status !== 'active') return;
  const now = emu.clock.now();
  session.status = 'revoked';
  session.endedAt = now;
  session.updatedAt = now;
  emu.webhooks.emit('session.revoked', wireSession(session));
}

/** True when the session can still be refreshed. */
export function isSessionUsable(emu: EmulatorContext, session: SessionRecord): boolean {
  return session.status === 'active' && session.expiresAt > emu.clock.now();
}

/**
 * Issues a new refresh token and access token for `session` and returns WorkOS's
 * `UserlandAuthenticateResponse`. `authentication_method` is included only on sign-in, as WorkOS does.
 */
export async function issueTokens(
  emu: EmulatorContext,
  session: SessionRecord,
  user: UserRecord,
  withMethod: boolean,
): Promise<Record<string, unknown>> {
  const refreshToken = newSecretToken();
  const accessToken = await signAccessToken(emu, session, user);
  emu.store.refreshTokens.set(refreshToken, { sessionId: session.id, used: false });
  return {
    user: wireUser(user),
    ...(session.organizationId === null ? {} : { organization_id: session.organizationId }),
    access_token: accessToken,
    refresh_token: refreshToken,
    ...(withMethod ? { authentication_method: session.authenticationMethod } : {}),
  };
}
