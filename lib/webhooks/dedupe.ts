import { DEFAULT_KEY_PREFIX, scopedKey } from '../core/keys';
import { isSafeId } from '../core/ledger-entry';

/**
 * Remembers which webhook events were handled, so a redelivered event changes nothing, and which sessions a
 * webhook already granted (a session has one establishing MFA). Backed by `SET key 1 NX EX ttl` in Redis;
 * adapters translate client failures into thrown errors.
 */
export interface WebhookDedupeStore {
  /** Adapter name for error messages (`redis`, `upstash`, `memory`). */
  readonly name: string;
  /** Marks `key` as taken for `ttlSeconds`; `true` when this call took it, `false` when it was already taken. */
  claim(key: string, ttlSeconds: number): Promise<boolean>;
  /** Frees `key` again (handling failed, so the sender's retry must be processed). */
  release(key: string): Promise<void>;
}

/**
 * Key remembering one event: `<prefix>:v1:{<eventId>}:webhook` (one Redis Cluster slot per key).
 * `null` when the event id is not a plain identifier (such an event is refused).
 */
export function webhookEventKey(eventId: unknown, prefix: string = DEFAULT_KEY_PREFIX): string | null {
  return isSafeId(eventId) ? scopedKey(prefix, eventId, 'webhook') : null;
}

/**
 * Key remembering that a session's establishing MFA was granted by a webhook: `<prefix>:v1:{<sid>}:webhook-grant`.
 * `sid` must already be a plain identifier.
 */
export function webhookGrantKey(sid: string, prefix: string = DEFAULT_KEY_PREFIX): string {
  return scopedKey(prefix, sid, 'webhook-grant');
}

/**
 * An in-process {@link WebhookDedupeStore} for unit tests and single-process demos. Edge-safe. Not shared
 * between instances: use Redis in production, where WorkOS may deliver one event to two instances.
 */
export function memoryWebhookDedupe(options: { now?: () => number } = {}): WebhookDedupeStore {
  const now = options.now ?? Date.now;
  const taken = new Map<string, number>();
  return {
    name: 'memory',
    async claim(key, ttlSeconds) {
      const expiresAt = taken.get(key);
      if (expiresAt !== undefined && expiresAt > now()) return false;
      taken.set(key, now() + ttlSeconds * 1000);
      return true;
    },
    async release(key) {
      taken.delete(key);
    },
  };
}
