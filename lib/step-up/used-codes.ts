import type { Redis } from '@upstash/redis';
import { DEFAULT_KEY_PREFIX, scopedKey } from '../core/keys';
import { withDeadline } from '../io/deadline';

/**
 * Remembers one-time codes that already verified a factor, so a code seen by someone else (shoulder surfing,
 * a proxy log, a phishing page) cannot verify a second session while it is still valid.
 */
export interface UsedCodeRegistry {
  /** `true` when `code` already verified `factorId` recently. Throws when the store fails. */
  wasUsed(factorId: string, code: string): Promise<boolean>;
  /** Marks `code` used for `factorId`; `false` when someone marked it first (a replay). Throws when the store fails. */
  markUsed(factorId: string, code: string): Promise<boolean>;
}

/** Options of {@link upstashUsedCodes}. */
export interface UsedCodeRegistryOptions {
  readonly redis: Pick<Redis, 'exists' | 'set'>;
  /**
   * How long a code stays marked, in seconds: at least as long as a code is accepted (a 30 s TOTP step with
   * ±1 step of tolerance is 90 s). @default 90
   */
  readonly ttlSeconds?: number;
  /** @default 'authkit-mfa' */
  readonly keyPrefix?: string;
  /** Budget of one store call in milliseconds. @default 1000 */
  readonly timeoutMs?: number;
}

/**
 * A {@link UsedCodeRegistry} in Redis over `@upstash/redis`: `SET NX EX` on
 * `<prefix>:v1:{<factorId>}:used-code:<code>` (the code is worthless once marked, so it is stored as is).
 */
export function upstashUsedCodes(options: UsedCodeRegistryOptions): UsedCodeRegistry {
  const { redis, ttlSeconds = 90, keyPrefix = DEFAULT_KEY_PREFIX, timeoutMs = 1000 } = options;
  const keyOf = (factorId: string, code: string) => {
    if (!/^\d{4,10}$/.test(code)) throw new Error('A one-time code is 4–10 digits.');
    return scopedKey(keyPrefix, factorId, `used-code:${code}`);
  };
  return {
    async wasUsed(factorId, code) {
      const key = keyOf(factorId, code);
      return (await withDeadline(() => redis.exists(key), timeoutMs)) > 0;
    },
    async markUsed(factorId, code) {
      const key = keyOf(factorId, code);
      const reply = await withDeadline(() => redis.set(key, '1', { nx: true, ex: ttlSeconds }), timeoutMs);
      return reply === 'OK';
    },
  };
}
