import 'server-only';
import type { WebhookDedupeStore } from './dedupe';

/** The slice of a node-redis v5 client the dedupe store uses. */
export interface NodeRedisDedupeClient {
  set(
    key: string,
    value: string,
    options: { condition: 'NX'; expiration: { type: 'EX'; value: number } },
  ): Promise<unknown>;
  del(key: string): Promise<unknown>;
}

/**
 * A {@link WebhookDedupeStore} over node-redis (`SET key 1 NX EX ttl`). Node only.
 * @example
 * ```ts
 * const dedupe = redisWebhookDedupe(await createClient({ url }).on('error', console.error).connect());
 * ```
 */
export function redisWebhookDedupe(client: NodeRedisDedupeClient): WebhookDedupeStore {
  return {
    name: 'redis',
    async claim(key, ttlSeconds) {
      const reply = await client.set(key, '1', { condition: 'NX', expiration: { type: 'EX', value: ttlSeconds } });
      if (reply !== 'OK' && reply !== null) throw new Error(`Unexpected SET NX reply from Redis: ${String(reply)}`);
      return reply === 'OK';
    },
    async release(key) {
      await client.del(key);
    },
  };
}
