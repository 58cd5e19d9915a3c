/**
 * The request router both bench apps export (Edge `middleware.ts`, Node `proxy.ts`): `/mfa/*` through the
 * session-MFA middleware, `/rtt/*` through authkit plus one bare ledger GET (the round-trip yardstick),
 * anything else through authkit alone (the baseline). Only the ledger client and the runtime differ.
 */
import { authkit, handleAuthkitProxy } from '@workos-inc/authkit-nextjs';
import type { NextFetchEvent, NextMiddleware, NextRequest } from 'next/server';
import { DEFAULT_KEY_PREFIX, scopedKey } from '../../lib/core/keys';
import { createSessionMfaMiddleware } from '../../lib/next/middleware';
import type { SessionMfa } from '../../lib/session-mfa';
import { timed } from './timed';
import { BENCH_POLICY, MFA_PREFIX, ROUND_TRIP_PREFIX } from './bench-config';

/** What each app supplies: authkit's own middleware, the engine, and a bare GET on its ledger's client. */
export interface BenchRouterParts {
  readonly authkitOnly: NextMiddleware;
  readonly sessionMfa: SessionMfa;
  readonly rawGet: (key: string) => Promise<unknown>;
}

/** The timed router of a bench app. */
export function benchRouter({ authkitOnly, sessionMfa, rawGet }: BenchRouterParts) {
  const withSessionMfa = createSessionMfaMiddleware({
    sessionMfa,
    rules: [{ path: `${MFA_PREFIX}:path*`, policy: BENCH_POLICY }],
  });

  async function authkitPlusRoundTrip(request: NextRequest) {
    const { session, headers } = await authkit(request);
    if (session.user) await rawGet(scopedKey(DEFAULT_KEY_PREFIX, session.sessionId, 'ledger'));
    return handleAuthkitProxy(request, headers);
  }

  return timed('middleware', (request: NextRequest, event: NextFetchEvent) => {
    const { pathname } = request.nextUrl;
    if (pathname.startsWith(MFA_PREFIX)) return withSessionMfa(request, event);
    if (pathname.startsWith(ROUND_TRIP_PREFIX)) return authkitPlusRoundTrip(request);
    return authkitOnly(request, event);
  });
}
