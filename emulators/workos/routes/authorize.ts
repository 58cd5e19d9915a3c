import type { ClientInfo } from '../auth-events';
import { emitAuthenticationEvent, emitMfaFailed } from '../auth-events';
import { parseAuthorizeRequest, redirectWith, type AuthorizeRequest } from '../authorize-request';
import type { EmulatorContext } from '../context';
import { htmlReply, redirectReply, type Reply } from '../http';
import { newId, newSecretToken } from '../ids';
import { AUTHORIZATION_CODE_TTL_MS, PENDING_AUTHENTICATION_TTL_MS } from '../lifetimes';
import type { EmulatorRequest, Route } from '../router';
import { emitPasswordSucceeded, startSession } from '../sessions';
import {
  renderEnrollStep,
  renderErrorPage,
  renderSignInForm,
  renderTotpStep,
  SIGN_IN_SUBMIT_PATH,
} from '../sign-in-pages';
import {
  DEFAULT_TOTP_ISSUER,
  findUserByEmail,
  membershipOf,
  userFactors,
  type AuthenticationMethod,
  type PendingSignInRecord,
  type UserRecord,
} from '../store';
import { checkTotp, newTotpSecret } from '../totp';
import { totpUri } from '../wire';

function clientInfo(req: EmulatorRequest): ClientInfo {
  const agent = req.headers['user-agent'];
  return { ipAddress: req.remoteAddress, userAgent: typeof agent === 'string' ? agent : null };
}

function showForm(request: AuthorizeRequest, email: string, error: string | null, status = 200): Reply {
  return htmlReply(
    status,
    renderSignInForm({ params: request.params, email, error, signUpRequested: request.screenHint === 'sign-up' }),
  );
}

/**
 * Ends a hosted sign-in: a new session (fresh `sid` and `auth_time`, as every sign-in through the page
 * is a fresh authentication) and a single-use code bound to the PKCE challenge, sent to the client.
 */
function finishSignIn(
  req: EmulatorRequest,
  request: AuthorizeRequest,
  user: UserRecord,
  method: AuthenticationMethod,
  mfa: boolean,
): Reply {
  const { emu } = req;
  const organizationId = request.organizationId ?? user.memberships[0]?.organizationId ?? null;
  const session = startSession(emu, { user, method, mfa, organizationId, client: clientInfo(req) });
  const code = newSecretToken();
  emu.store.codes.set(code, {
    clientId: request.clientId,
    redirectUri: request.redirectUri,
    codeChallenge: request.codeChallenge,
    sessionId: session.id,
    expiresAt: emu.clock.now() + AUTHORIZATION_CODE_TTL_MS,
    used: false,
  });
  return redirectReply(redirectWith(request.redirectUri, request.state, { code }));
}

function startSecondStep(emu: EmulatorContext, request: AuthorizeRequest, user: UserRecord): Reply {
  const hasFactor = userFactors(emu.store, user.id).length > 0;
  const pending: PendingSignInRecord = {
    userId: user.id,
    authorize: request.params,
    enrollSecret: hasFactor ? null : newTotpSecret(),
    expiresAt: emu.clock.now() + PENDING_AUTHENTICATION_TTL_MS,
    used: false,
  };
  const pendingToken = newSecretToken();
  emu.store.pendingSignIns.set(pendingToken, pending);
  return secondStepPage(pendingToken, pending, user, null, 200);
}

function secondStepPage(
  pendingToken: string,
  pending: PendingSignInRecord,
  user: UserRecord,
  error: string | null,
  status: number,
): Reply {
  if (pending.enrollSecret === null)
    return htmlReply(status, renderTotpStep({ pendingToken, email: user.email, error }));
  const uri = totpUri({ issuer: DEFAULT_TOTP_ISSUER, label: user.email, secret: pending.enrollSecret });
  return htmlReply(
    status,
    renderEnrollStep({ pendingToken, email: user.email, secret: pending.enrollSecret, uri, error }),
  );
}

function handleFirstStep(req: EmulatorRequest, form: URLSearchParams): Reply {
  const { emu } = req;
  const parsed = parseAuthorizeRequest(emu, form);
  if (parsed.kind === 'fatal') return htmlReply(400, renderErrorPage(parsed.error, parsed.description));
  if (parsed.kind === 'redirect') return redirectReply(parsed.location);
  const { request } = parsed;
  const email = (form.get('email') ?? '').trim();
  const user = findUserByEmail(emu.store, email);
  const client = clientInfo(req);

  let method: AuthenticationMethod;
  if (form.get('intent') === 'sso') {
    if (user?.sso == null)
      return showForm(
        request,
        email,
        'No SSO connection is set up for this email address. Sign in with your password.',
        400,
      );
    method = 'SSO';
  } else {
    if (user === undefined || user.password === null || user.password !== form.get('password')) {
      if (user !== undefined)
        emitAuthenticationEvent(emu, 'password', 'failed', user, client, {
          error: { code: 'invalid_credentials', message: 'Invalid credentials.' },
        });
      const hint = user?.sso != null ? ' This account signs in with SSO.' : '';
      return showForm(request, email, `Incorrect email or password.${hint}`, 401);
    }
    method = 'Password';
  }
  if (request.organizationId !== null && membershipOf(user, request.organizationId) === undefined) {
    return showForm(request, email, `${user.email} is not a member of organization ${request.organizationId}.`, 403);
  }
  if (method === 'Password') emitPasswordSucceeded(emu, user, client);
  // Like WorkOS, environment-level MFA applies to AuthKit credentials; SSO users rely on their IdP.
  if (method === 'Password' && emu.config.signInMfa === 'required') return startSecondStep(emu, request, user);
  return finishSignIn(req, request, user, method, false);
}

function handleSecondStep(req: EmulatorRequest, form: URLSearchParams): Reply {
  const { emu } = req;
  const pendingToken = form.get('pending_token') ?? '';
  const pending = emu.store.pendingSignIns.get(pendingToken);
  const user = pending === undefined ? undefined : emu.store.users.get(pending.userId);
  if (pending === undefined || user === undefined || pending.used || pending.expiresAt <= emu.clock.now()) {
    return htmlReply(
      400,
      renderErrorPage(
        'expired_sign_in',
        'This sign-in has expired or was already completed. Start again from the application.',
      ),
    );
  }
  const parsed = parseAuthorizeRequest(emu, pending.authorize);
  if (parsed.kind !== 'ok')
    return htmlReply(400, renderErrorPage('invalid_request', 'The original sign-in request is no longer valid.'));
  const code = (form.get('code') ?? '').trim();
  const now = emu.clock.now();
  const wrongCode = () => {
    emitMfaFailed(emu, user, clientInfo(req));
    return secondStepPage(
      pendingToken,
      pending,
      user,
      'That code is not valid. Check your authenticator app and try again.',
      401,
    );
  };

  if (pending.enrollSecret !== null) {
    const check = checkTotp({ secret: pending.enrollSecret, lastUsedStep: -1 }, code, now);
    if (!check.ok) {
      return wrongCode();
    }
    const factorId = newId('auth_factor', now);
    emu.store.factors.set(factorId, {
      id: factorId,
      userId: user.id,
      type: 'totp',
      issuer: DEFAULT_TOTP_ISSUER,
      label: user.email,
      secret: pending.enrollSecret,
      lastUsedStep: check.step,
      createdAt: now,
      updatedAt: now,
    });
  } else {
    const factors = userFactors(emu.store, user.id);
    let accepted = false;
    for (const factor of factors) {
      const check = checkTotp(factor, code, now);
      if (check.ok) {
        factor.lastUsedStep = check.step;
        accepted = true;
        break;
      }
    }
    if (!accepted) {
      return wrongCode();
    }
  }
  pending.used = true;
  return finishSignIn(req, parsed.request, user, 'Password', true);
}

/** Hosted sign-in: `GET /user_management/authorize` and the form it posts to. */
export const authorizeRoutes: Route[] = [
  {
    method: 'GET',
    path: '/user_management/authorize',
    access: 'public',
    handle(req) {
      const parsed = parseAuthorizeRequest(req.emu, req.url.searchParams);
      if (parsed.kind === 'fatal') return htmlReply(400, renderErrorPage(parsed.error, parsed.description));
      if (parsed.kind === 'redirect') return redirectReply(parsed.location);
      return showForm(parsed.request, parsed.request.loginHint ?? '', null);
    },
  },
  {
    method: 'POST',
    path: SIGN_IN_SUBMIT_PATH,
    access: 'public',
    handle(req) {
      const form = req.form();
      const intent = form.get('intent');
      return intent === 'totp' || intent === 'enroll' ? handleSecondStep(req, form) : handleFirstStep(req, form);
    },
  },
];
