import 'server-only';
import type { LedgerStore } from './types';

/** The slice of a node-redis v5 client (`createClient()` or `createCluster()`) the ledger uses. */
export interface NodeRedisLedgerClient {
  get(key: string): Promise<unknown>;
  set(key: string, value: string, options: { expiration: { type: 'EX'; value: number } }): Promise<unknown>;
  del(key: string): Promise<unknown>;
}

function toRaw(value: unknown): string | null {
  if (value === null) return null;
  if (typeof value === 'string') return value;
  // A client created with a Buffer type mapping returns bytes.
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  throw new Error(`Unexpected GET reply from Redis: ${typeof value}`);
}

/**
 * A {@link LedgerStore} over node-redis (`redis` v5) for Node servers and self-hosted Redis or Valkey.
 * Node only: never import it from Edge code. Connect the client yourself and keep an `error` listener on it.
 * @example
 * ```ts title="mfa.ts"
 * import { createClient } from 'redis';
 * const redis = await createClient({ url: process.env.REDIS_URL }).on('error', console.error).connect();
 * const ledger = createSessionLedger({ store: redisStore(redis) });
 * ```
 */
export function redisStore(client: NodeRedisLedgerClient): LedgerStore {
  return {
    name: 'redis',
    async get(key) {
      return toRaw(await client.get(key));
    },
    async set(key, value, ttlSeconds) {
      const reply = await client.set(key, value, { expiration: { type: 'EX', value: ttlSeconds } });
      if (reply !== 'OK') throw new Error(`Unexpected SET reply from Redis: ${String(reply)}`);
    },
    async delete(key) {
      const removed = await client.del(key);
      if (typeof removed !== 'number') throw new Error(`Unexpected DEL reply from Redis: ${String(removed)}`);
      return removed > 0;
    },
  };
}
