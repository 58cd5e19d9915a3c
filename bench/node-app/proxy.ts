/**
 * Node-runtime proxy of the benchmark app. `/mfa/*`: authkit + the session-MFA check (ledger over
 * node-redis). `/rtt/*`: authkit + one bare ledger GET (the round-trip yardstick). Anything else: authkit's
 * own proxy only — the baseline, and the gate in front of `/wrapped/hello` (the handler in `withSessionMfa`).
 */
import { authkitProxy } from '@workos-inc/authkit-nextjs';
import { benchRouter } from '../shared/bench-router';
import { redis, sessionMfa } from './session-mfa';

export default benchRouter({ authkitOnly: authkitProxy(), sessionMfa, rawGet: (key) => redis().get(key) });

export const config = { matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'] };
