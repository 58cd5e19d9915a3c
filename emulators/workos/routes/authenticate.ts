import { codedError, oauthError, WorkosApiError } from '../api-error';
import { emitAuthenticationEvent, emitMfaFailed, type ClientInfo } from '../auth-events';
import { openChallenge } from '../challenges';
import type { EmulatorContext } from '../context';
import { jsonReply, type Reply } from '../http';
import { newSecretToken } from '../ids';
import { PENDING_AUTHENTICATION_TTL_MS } from '../lifetimes';
import { consumeAuthenticateLimit } from '../rate-limits';
import { verifyPkceS256 } from '../pkce';
import type { Route } from '../router';
import { emitPasswordSucceeded, isSessionUsable, issueTokens, startSession } from '../sessions';
import { findUserByEmail, membershipOf, userFactors, type UserRecord } from '../store';
import { checkTotp } from '../totp';
import { wireUser } from '../wire';

type Body = Record<string, unknown>;

const MFA_TOTP_GRANT = 'urn:workos:oauth:grant-type:mfa-totp';
const MAGIC_AUTH_GRANT = 'urn:workos:oauth:grant-type:magic-auth:code';

function optionalString(body: Body, name: string): string | null {
  const value = body[name];
  return typeof value === 'string' && value !== '' ? value : null;
}

function requiredString(body: Body, name: string): string {
  const value = optionalString(body, name);
  if (value === null) throw oauthError(400, 'invalid_request', `${name} is required.`);
  return value;
}

function clientFromBody(body: Body): ClientInfo {
  return { ipAddress: optionalString(body, 'ip_address'), userAgent: optionalString(body, 'user_agent') };
}

/**
 * Checks `client_id` and `client_secret`. A public (PKCE) client may omit the secret on the code and
 * refresh grants; when a secret is sent it must be the API key.
 */
function checkClient(emu: EmulatorContext, body: Body, secretRequired: boolean): { hasSecret: boolean } {
  const clientId = requiredString(body, 'client_id');
  // 400, as WorkOS's OpenAPI spec documents `invalid_client` for authenticate (→ `OauthException`).
  if (clientId !== emu.clientId) throw oauthError(400, 'invalid_client', `Invalid client ID "${clientId}".`);
  const secret = optionalString(body, 'client_secret');
  if (secret === null) {
    if (secretRequired) throw oauthError(400, 'invalid_client', 'client_secret is required for this grant.');
    return { hasSecret: false };
  }
  if (secret !== emu.apiKey) throw oauthError(400, 'invalid_client', 'Invalid client secret.');
  return { hasSecret: true };
}

async function authorizationCodeGrant(emu: EmulatorContext, body: Body): Promise<Reply> {
  const { hasSecret } = checkClient(emu, body, false);
  const code = requiredString(body, 'code');
  const verifier = optionalString(body, 'code_verifier');
  const record = emu.store.codes.get(code);
  if (record === undefined || record.clientId !== emu.clientId)
    throw oauthError(400, 'invalid_grant', 'The code is invalid.');
  if (record.used) throw oauthError(400, 'invalid_grant', 'The code has already been used.');
  if (record.expiresAt <= emu.clock.now()) throw oauthError(400, 'invalid_grant', 'The code has expired.');
  if (record.codeChallenge === null) {
    if (!hasSecret)
      throw oauthError(
        400,
        'invalid_client',
        'client_secret is required: this code was issued without a PKCE challenge.',
      );
  } else {
    if (verifier === null)
      throw oauthError(400, 'invalid_grant', 'code_verifier is required: this code was issued with a PKCE challenge.');
    if (!verifyPkceS256(verifier, record.codeChallenge))
      throw oauthError(400, 'invalid_grant', 'The code_verifier does not match the code_challenge.');
  }
  const session = emu.store.sessions.get(record.sessionId);
  const user = session === undefined ? undefined : emu.store.users.get(session.userId);
  if (session === undefined || user === undefined || !isSessionUsable(emu, session))
    throw oauthError(400, 'invalid_grant', 'The session for this code has ended.');
  record.used = true;
  return jsonReply(200, await issueTokens(emu, session, user, true));
}

async function refreshTokenGrant(emu: EmulatorContext, body: Body): Promise<Reply> {
  checkClient(emu, body, false);
  const token = requiredString(body, 'refresh_token');
  const record = emu.store.refreshTokens.get(token);
  if (record === undefined) throw oauthError(400, 'invalid_grant', 'The refresh token is invalid.');
  if (record.used) throw oauthError(400, 'invalid_grant', 'The refresh token has already been used.');
  const session = emu.store.sessions.get(record.sessionId);
  const user = session === undefined ? undefined : emu.store.users.get(session.userId);
  if (session === undefined || user === undefined || !isSessionUsable(emu, session))
    throw oauthError(400, 'invalid_grant', 'The session has ended.');
  const organizationId = optionalString(body, 'organization_id') ?? session.organizationId;
  if (organizationId !== null && membershipOf(user, organizationId) === undefined) {
    throw oauthError(400, 'invalid_grant', `The user is not a member of organization "${organizationId}".`);
  }
  record.used = true;
  session.organizationId = organizationId;
  session.updatedAt = emu.clock.now();
  return jsonReply(200, await issueTokens(emu, session, user, false));
}

async function passwordGrant(emu: EmulatorContext, body: Body): Promise<Reply> {
  checkClient(emu, body, true);
  const email = requiredString(body, 'email');
  const password = requiredString(body, 'password');
  consumeAuthenticateLimit(emu, `email:${email.trim().toLowerCase()}`);
  const client = clientFromBody(body);
  const user = findUserByEmail(emu.store, email);
  if (user !== undefined && user.password === null && user.sso !== null) {
    // WorkOS's OpenAPI spec: a 400 OAuth-style error naming the connections (the SDK's `AuthenticationErrorData`).
    throw new WorkosApiError(400, {
      error: 'sso_required',
      error_description: 'User must authenticate using one of the matching connections.',
      connection_ids: [user.sso.connectionId],
      email: user.email,
    });
  }
  if (user === undefined || user.password !== password) {
    if (user !== undefined)
      emitAuthenticationEvent(emu, 'password', 'failed', user, client, {
        error: { code: 'invalid_credentials', message: 'Invalid credentials.' },
      });
    throw codedError(400, 'invalid_credentials', 'Invalid credentials.');
  }
  emitPasswordSucceeded(emu, user, client);
  requireSignInMfa(emu, user, client);
  const session = startSession(emu, {
    user,
    method: 'Password',
    mfa: false,
    organizationId: user.memberships[0]?.organizationId ?? null,
    client,
  });
  return jsonReply(200, await issueTokens(emu, session, user, true));
}

/** The second step WorkOS asks for when sign-in MFA is required (as after a right password). */
function requireSignInMfa(emu: EmulatorContext, user: UserRecord, client: ClientInfo): void {
  if (emu.config.signInMfa !== 'required') return;
  const pendingToken = newSecretToken();
  emu.store.pendingAuthentications.set(pendingToken, {
    userId: user.id,
    ...client,
    expiresAt: emu.clock.now() + PENDING_AUTHENTICATION_TTL_MS,
    used: false,
  });
  const factors = userFactors(emu.store, user.id);
  if (factors.length === 0) {
    throw codedError(403, 'mfa_enrollment', 'The user must enroll in MFA to finish authenticating.', {
      pending_authentication_token: pendingToken,
      user: wireUser(user),
    });
  }
  throw codedError(403, 'mfa_challenge', 'The user must complete an MFA challenge to finish authenticating.', {
    pending_authentication_token: pendingToken,
    authentication_factors: factors.map((f) => ({ id: f.id, type: f.type })),
    user: wireUser(user),
  });
}

/**
 * `authenticateWithMagicAuth`: the latest unused, unexpired code sent to the email signs the user in (a new
 * session, `authentication_method: "MagicAuth"`). A wrong code → 400 `invalid_one_time_code`; a used one →
 * `one_time_code_previously_used`; an expired one → `one_time_code_expired`. Counted against the per-email limit.
 */
async function magicAuthGrant(emu: EmulatorContext, body: Body): Promise<Reply> {
  checkClient(emu, body, true);
  const email = requiredString(body, 'email');
  const code = requiredString(body, 'code');
  consumeAuthenticateLimit(emu, `email:${email.trim().toLowerCase()}`);
  const client = clientFromBody(body);
  const user = findUserByEmail(emu.store, email);
  const now = emu.clock.now();
  const record =
    user === undefined
      ? undefined
      : [...emu.store.magicAuths].reverse().find((m) => m.userId === user.id && m.code === code);
  const refuse = (errorCode: string, message: string): never => {
    if (user !== undefined)
      emitAuthenticationEvent(emu, 'magic_auth', 'failed', user, client, { error: { code: errorCode, message } });
    throw codedError(400, errorCode, message);
  };
  if (user === undefined || record === undefined)
    return refuse('invalid_one_time_code', 'The one-time code is invalid.');
  if (record.used) return refuse('one_time_code_previously_used', 'The one-time code has already been used.');
  if (record.expiresAt <= now) return refuse('one_time_code_expired', 'The one-time code has expired.');
  record.used = true;
  record.updatedAt = now;
  emitAuthenticationEvent(emu, 'magic_auth', 'succeeded', user, client);
  requireSignInMfa(emu, user, client);
  const session = startSession(emu, {
    user,
    method: 'MagicAuth',
    mfa: false,
    organizationId: user.memberships[0]?.organizationId ?? null,
    client,
  });
  return jsonReply(200, await issueTokens(emu, session, user, true));
}

async function mfaTotpGrant(emu: EmulatorContext, body: Body): Promise<Reply> {
  checkClient(emu, body, true);
  const pendingToken = requiredString(body, 'pending_authentication_token');
  const challengeId = requiredString(body, 'authentication_challenge_id');
  const code = requiredString(body, 'code');
  consumeAuthenticateLimit(emu, `challenge:${challengeId}`);
  const pending = emu.store.pendingAuthentications.get(pendingToken);
  const user = pending === undefined ? undefined : emu.store.users.get(pending.userId);
  if (pending === undefined || user === undefined || pending.used || pending.expiresAt <= emu.clock.now()) {
    throw codedError(
      400,
      'invalid_pending_authentication_token',
      'The pending authentication token is invalid or has expired.',
    );
  }
  const { challenge, factor } = openChallenge(emu, challengeId);
  if (factor.userId !== user.id) {
    throw codedError(
      400,
      'invalid_authentication_challenge',
      `The authentication challenge '${challengeId}' does not belong to this user.`,
    );
  }
  const client = {
    ipAddress: optionalString(body, 'ip_address') ?? pending.ipAddress,
    userAgent: optionalString(body, 'user_agent') ?? pending.userAgent,
  };
  const now = emu.clock.now();
  const check = checkTotp(factor, code, now);
  if (!check.ok) {
    emitMfaFailed(emu, user, client);
    // Both codes are in WorkOS's spec for this grant; a replayed step gets the more specific one.
    if (check.reason === 'replayed')
      throw codedError(400, 'one_time_code_previously_used', 'The one-time code has already been used.');
    throw codedError(400, 'invalid_one_time_code', 'The one-time code is invalid.');
  }
  factor.lastUsedStep = check.step;
  challenge.status = 'verified';
  challenge.updatedAt = now;
  pending.used = true;
  const session = startSession(emu, {
    user,
    method: 'Password',
    mfa: true,
    organizationId: user.memberships[0]?.organizationId ?? null,
    client,
  });
  return jsonReply(200, await issueTokens(emu, session, user, true));
}

/** `POST /user_management/authenticate` (every grant the SDKs use for AuthKit). */
export const authenticateRoutes: Route[] = [
  {
    method: 'POST',
    path: '/user_management/authenticate',
    // Public PKCE clients send no API key; each grant checks client_id / client_secret itself.
    access: 'public',
    async handle(req) {
      const body = req.json();
      const grant = optionalString(body, 'grant_type');
      switch (grant) {
        case 'authorization_code':
          return authorizationCodeGrant(req.emu, body);
        case 'refresh_token':
          return refreshTokenGrant(req.emu, body);
        case 'password':
          return passwordGrant(req.emu, body);
        case MFA_TOTP_GRANT:
          return mfaTotpGrant(req.emu, body);
        case MAGIC_AUTH_GRANT:
          return magicAuthGrant(req.emu, body);
        case null:
          throw oauthError(400, 'invalid_request', 'grant_type is required.');
        default:
          throw new WorkosApiError(400, {
            error: 'unsupported_grant_type',
            error_description: `The emulator does not support grant_type "${grant}".`,
          });
      }
    },
  },
];
