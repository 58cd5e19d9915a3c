import { createSessionMfaMiddleware } from 'authkit-session-mfa/middleware';
import { edgeSessionMfa, policies, redirectUri, wholeSession } from './mfa.config';

/**
 * authkit session handling plus session-MFA enforcement, on the Edge runtime: the admin area needs MFA within
 * 12 hours; with `MFA_WHOLE_SESSION=1`, every other route needs MFA from this session too (the first rule that
 * matches a path applies).
 */
export default createSessionMfaMiddleware({
  sessionMfa: edgeSessionMfa,
  rules: wholeSession.enabled
    ? [
        { path: '/admin/:path*', policy: policies.admin },
        {
          path: '/:path((?!(?:step-up|login|logout|callback|account/authenticator|api/webhooks)(?:/|$)).*)?',
          policy: wholeSession.policy,
        },
      ]
    : [{ path: '/admin/:path*', policy: policies.admin }],
  redirectUri,
  // As in authkit's own middleware: sign-in everywhere but these (API routes answer 401 themselves).
  middlewareAuth: { enabled: true, unauthenticatedPaths: ['/', '/login', '/logout', '/api/:path*'] },
});

export const config = { matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'] };
