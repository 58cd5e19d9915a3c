/**
 * Edge middleware of the benchmark app. `/mfa/*`: authkit + the session-MFA check (ledger over
 * `@upstash/redis`). `/rtt/*`: authkit + one bare ledger GET (the round-trip yardstick). Anything else:
 * authkit's own middleware only — the baseline. One server hosts all of them so a variant and its baseline
 * are measured in the same process, interleaved.
 */
import { authkitMiddleware } from '@workos-inc/authkit-nextjs';
import { Redis } from '@upstash/redis';
import { createSessionLedger } from '../../lib/ledger/ledger';
import { upstashStore } from '../../lib/ledger/upstash';
import { createSessionMfa } from '../../lib/session-mfa';
import { benchRouter } from '../shared/bench-router';
import { requiredEnv } from '../shared/bench-config';

// Configured as the README tells users to: raw strings back, no client-side retries (the ledger's timeout bounds calls).
const redis = new Redis({
  url: requiredEnv('UPSTASH_REDIS_REST_URL'),
  token: requiredEnv('UPSTASH_REDIS_REST_TOKEN'),
  automaticDeserialization: false,
  retry: { retries: 0 },
});
const sessionMfa = createSessionMfa({ ledger: createSessionLedger({ store: upstashStore(redis) }) });

export default benchRouter({ authkitOnly: authkitMiddleware(), sessionMfa, rawGet: (key) => redis.get(key) });

export const config = { matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'] };
