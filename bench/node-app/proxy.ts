/**
 * Node-runtime proxy of the benchmark app. `/mfa/*`: authkit + the session-MFA check (ledger over
 * node-redis). `/rtt/*`: authkit + one bare ledger GET (the round-trip yardstick). Anything else: authkit's
 * own proxy only — the baseline, and the gate in front of `/wrapped/hello` (the handler in `withSessionMfa`).
 */
import { authkit, authkitProxy, handleAuthkitProxy } from '@workos-inc/authkit-nextjs';
import type { NextFetchEvent, NextRequest } from 'next/server';
import { DEFAULT_KEY_PREFIX, sessionKey } from '../../lib/core/ledger-entry';
import { createSessionMfaMiddleware } from '../../lib/next/middleware';
import { timed } from '../shared/timed';
import { BENCH_POLICY, MFA_PREFIX, ROUND_TRIP_PREFIX } from '../shared/bench-config';
import { redis, sessionMfa } from './session-mfa';

const authkitOnly = authkitProxy();
const withSessionMfa = createSessionMfaMiddleware({ sessionMfa, rules: [{ path: `${MFA_PREFIX}:path*`, policy: BENCH_POLICY }] });

async function authkitPlusRoundTrip(request: NextRequest) {
  const { session, headers } = await authkit(request);
  if (session.user) await redis().get(sessionKey(DEFAULT_KEY_PREFIX, session.sessionId, 'ledger'));
  return handleAuthkitProxy(request, headers);
}

function route(request: NextRequest, event: NextFetchEvent) {
  const { pathname } = request.nextUrl;
  if (pathname.startsWith(MFA_PREFIX)) return withSessionMfa(request, event);
  if (pathname.startsWith(ROUND_TRIP_PREFIX)) return authkitPlusRoundTrip(request);
  return authkitOnly(request, event);
}

export default timed('middleware', route);

export const config = { matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'] };
