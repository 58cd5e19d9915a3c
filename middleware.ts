import { createSessionMfaMiddleware } from 'authkit-session-mfa/middleware';
import { edgeSessionMfa, policies } from './mfa.config';

/** authkit session handling plus session-MFA enforcement, on the Edge runtime. */
export default createSessionMfaMiddleware({
  sessionMfa: edgeSessionMfa,
  rules: [{ path: '/admin/:path*', policy: policies.admin }],
  // As in authkit's own middleware: sign-in everywhere but these (API routes answer 401 themselves).
  middlewareAuth: { enabled: true, unauthenticatedPaths: ['/', '/login', '/logout', '/api/:path*'] },
});

export const config = { matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'] };
