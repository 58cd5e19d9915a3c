/**
 * Edge middleware of the benchmark app. `/mfa/*`: authkit + the session-MFA check (ledger over
 * `@upstash/redis`). `/rtt/*`: authkit + one bare ledger GET (the round-trip yardstick). Anything else:
 * authkit's own middleware only — the baseline. One server hosts all of them so a variant and its baseline
 * are measured in the same process, interleaved.
 */
import { authkit, authkitMiddleware, handleAuthkitProxy } from '@workos-inc/authkit-nextjs';
import { Redis } from '@upstash/redis';
import type { NextFetchEvent, NextRequest } from 'next/server';
import { DEFAULT_KEY_PREFIX, sessionKey } from '../../lib/core/ledger-entry';
import { createSessionLedger } from '../../lib/ledger/ledger';
import { upstashStore } from '../../lib/ledger/upstash';
import { createSessionMfaMiddleware } from '../../lib/next/middleware';
import { createSessionMfa } from '../../lib/session-mfa';
import { timed } from '../shared/timed';
import { BENCH_POLICY, MFA_PREFIX, ROUND_TRIP_PREFIX, requiredEnv } from '../shared/bench-config';

const authkitOnly = authkitMiddleware();

// Configured as the README tells users to: raw strings back, no client-side retries (the ledger's timeout bounds calls).
const redis = new Redis({ url: requiredEnv('UPSTASH_REDIS_REST_URL'), token: requiredEnv('UPSTASH_REDIS_REST_TOKEN'), automaticDeserialization: false, retry: { retries: 0 } });
const sessionMfa = createSessionMfa({ ledger: createSessionLedger({ store: upstashStore(redis) }) });
const withSessionMfa = createSessionMfaMiddleware({ sessionMfa, rules: [{ path: `${MFA_PREFIX}:path*`, policy: BENCH_POLICY }] });

async function authkitPlusRoundTrip(request: NextRequest) {
  const { session, headers } = await authkit(request);
  if (session.user) await redis.get(sessionKey(DEFAULT_KEY_PREFIX, session.sessionId, 'ledger'));
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
