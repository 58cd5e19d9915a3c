import type { WebhookDedupeStore } from './dedupe';

/** The slice of an `@upstash/redis` `Redis` client the dedupe store uses. */
export interface UpstashDedupeClient {
  set(key: string, value: string, options: { nx: true; ex: number }): Promise<unknown>;
  del(...keys: string[]): Promise<number>;
}

/**
 * A {@link WebhookDedupeStore} over `@upstash/redis` (`SET key 1 NX EX ttl`). Edge-safe.
 * @example
 * ```ts title="app/api/webhooks/workos/route.ts"
 * const dedupe = upstashWebhookDedupe(redis);
 * ```
 */
export function upstashWebhookDedupe(client: UpstashDedupeClient): WebhookDedupeStore {
  return {
    name: 'upstash',
    async claim(key, ttlSeconds) {
      const reply = await client.set(key, '1', { nx: true, ex: ttlSeconds });
      if (reply !== 'OK' && reply !== null)
        throw new Error(`Unexpected SET NX reply from Upstash: ${JSON.stringify(reply)}`);
      return reply === 'OK';
    },
    async release(key) {
      await client.del(key);
    },
  };
}
