import type { Redis } from '@upstash/redis';
import { keyNamespace } from '../core/keys';
import { withDeadline } from '../io/deadline';
import {
  attemptIdentifier,
  resolveLimiterOptions,
  type AttemptLimiter,
  type AttemptLimiterOptions,
} from './attempt-limiter';

/** Options of {@link counterAttemptLimiter}. */
export interface CounterAttemptLimiterOptions extends AttemptLimiterOptions {
  /** An `@upstash/redis` client; plain `SET`/`INCR`/`PTTL` in a transaction, no scripting needed. */
  readonly redis: Pick<Redis, 'multi' | 'del'>;
}

/**
 * A fixed-window attempt counter for Redis-compatible stores **without Lua scripting** (such as the demo's
 * in-memory Upstash stand-in): the window starts with the first counted attempt; after `attempts` attempts
 * everything is refused until it ends. Prefer {@link upstashAttemptLimiter} wherever scripting is available.
 */
export function counterAttemptLimiter(options: CounterAttemptLimiterOptions): AttemptLimiter {
  const { attempts, windowSeconds, keyPrefix, timeoutMs } = resolveLimiterOptions(options);
  const windowMs = windowSeconds * 1000;
  const keyOf = (subject: Parameters<typeof attemptIdentifier>[0]) =>
    `${keyNamespace(keyPrefix)}:${attemptIdentifier(subject)}:counter`;

  const refund: AttemptLimiter['refund'] = async (subjects) => {
    await Promise.allSettled(
      subjects.map(async (subject) => {
        const key = keyOf(subject);
        const replies = await withDeadline(() => options.redis.multi().decr(key).pttl(key).exec(), timeoutMs);
        // The window ended in between and DECR re-created the key without expiry: give it one.
        if (Number(replies[1]) === -1)
          await withDeadline(() => options.redis.multi().pexpire(key, windowMs).exec(), timeoutMs);
      }),
    );
  };
  return {
    async consume(subjects) {
      for (const [i, subject] of subjects.entries()) {
        const key = keyOf(subject);
        const replies = await withDeadline(
          () => options.redis.multi().set(key, 0, { px: windowMs, nx: true }).incr(key).pttl(key).exec(),
          timeoutMs,
        );
        const count = Number(replies[1]);
        const ttlMs = Number(replies[2]);
        if (!Number.isFinite(count)) throw new Error('Unexpected INCR reply from the attempt counter.');
        if (count > attempts) {
          // A refused attempt counts against no one (as with @upstash/ratelimit), so a later refund is exact.
          await refund(subjects.slice(0, i + 1));
          return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((ttlMs > 0 ? ttlMs : windowMs) / 1000)) };
        }
      }
      return { allowed: true };
    },
    refund,
    async reset(subjects) {
      if (subjects.length > 0) await withDeadline(() => options.redis.del(...subjects.map(keyOf)), timeoutMs);
    },
    async check() {
      // The same commands an attempt sends, on a key nobody uses.
      const key = `${keyPrefix}:v1:limiter-probe`;
      await withDeadline(() => options.redis.multi().set(key, 0, { px: 1000, nx: true }).pttl(key).exec(), timeoutMs);
    },
  };
}
