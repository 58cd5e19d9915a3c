/**
 * The Node app's engine: ledger in Redis over node-redis, as a self-hosted deployment would run it.
 * Imported by `proxy.ts` and by the route handlers (each bundle gets its own connection).
 */
import 'server-only';
import { createClient } from 'redis';
import { createSessionLedger } from '../../lib/ledger/ledger';
import { redisStore, type NodeRedisLedgerClient } from '../../lib/ledger/redis-node';
import { createSessionMfa } from '../../lib/session-mfa';
import { requiredEnv } from '../shared/bench-config';

let client: ReturnType<typeof createClient> | undefined;

/** The app's node-redis client, connected on first use (`next build` evaluates modules while collecting pages). */
export function redis(): ReturnType<typeof createClient> {
  if (!client) {
    client = createClient({ url: requiredEnv('REDIS_URL') });
    client.on('error', (error: Error) => console.error(`[bench node-app] redis: ${error.message}`));
    // Not awaited: node-redis queues commands issued while it connects, so the first request waits, none fail.
    void client.connect();
  }
  return client;
}

const lazyClient: NodeRedisLedgerClient = {
  get: (key) => redis().get(key),
  set: (key, value, options) => redis().set(key, value, options),
  del: (key) => redis().del(key),
};

export const sessionMfa = createSessionMfa({ ledger: createSessionLedger({ store: redisStore(lazyClient) }) });
