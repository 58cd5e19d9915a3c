import type { LedgerStore } from './types';

/**
 * The slice of an `@upstash/redis` `Redis` client the ledger uses, stated structurally so the Node, Cloudflare
 * and Fastly builds (and the auto-pipelining proxy) all fit without importing the package here.
 */
export interface UpstashLedgerClient {
  get<TData = unknown>(key: string): Promise<TData | null>;
  set(key: string, value: string, options: { ex: number }): Promise<unknown>;
  del(...keys: string[]): Promise<number>;
}

// With automatic deserialization on, the client hands back parsed JSON; re-serializing keeps corrupt values
// detectable. One divergence remains: a JSON *string* holding an entry would be unwrapped once. That needs Redis
// write access, which could write a valid entry anyway, so it grants nothing new.
function toRaw(value: unknown): string | null {
  if (value === null) return null;
  if (value === undefined) throw new Error('Upstash returned no result for GET.');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * A {@link LedgerStore} over `@upstash/redis` (HTTP, Edge-safe). The client is yours: create it with
 * `automaticDeserialization: false` so the ledger sees the stored text exactly, and consider
 * `retry: { retries: 0 }` — the ledger's timeout bounds every call anyway.
 * @example
 * ```ts title="mfa.config.ts"
 * import { Redis } from '@upstash/redis';
 * const redis = new Redis({ url: process.env.UPSTASH_REDIS_REST_URL!, token: process.env.UPSTASH_REDIS_REST_TOKEN!, automaticDeserialization: false });
 * const ledger = createSessionLedger({ store: upstashStore(redis) });
 * ```
 */
export function upstashStore(client: UpstashLedgerClient): LedgerStore {
  return {
    name: 'upstash',
    async get(key) {
      return toRaw(await client.get<unknown>(key));
    },
    async set(key, value, ttlSeconds) {
      const reply = await client.set(key, value, { ex: ttlSeconds });
      if (reply !== 'OK') throw new Error(`Unexpected SET reply from Upstash: ${JSON.stringify(reply)}`);
    },
    async delete(key) {
      const removed: unknown = await client.del(key);
      if (typeof removed !== 'number') throw new Error(`Unexpected DEL reply from Upstash: ${JSON.stringify(removed)}`);
      return removed > 0;
    },
  };
}
