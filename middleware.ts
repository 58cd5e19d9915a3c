import { createSessionMfaMiddleware } from 'authkit-session-mfa/edge';
import { edgeSessionMfa, policies } from './mfa.config';

/** authkit session handling plus session-MFA enforcement, on the Edge runtime. */
export default createSessionMfaMiddleware({
  sessionMfa: edgeSessionMfa,
  rules: [{ path: '/admin/:path*', policy: policies.admin }],
  signInRequired: ['/account', '/step-up'],
});

export const config = { matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'] };
