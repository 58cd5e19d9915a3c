import { Ratelimit } from '@upstash/ratelimit';
import type { Redis } from '@upstash/redis';
import { keyNamespace } from '../core/keys';
import { withDeadline } from '../io/deadline';
import { attemptIdentifier, resolveLimiterOptions, type AttemptLimiter, type AttemptLimiterOptions } from './attempt-limiter';

/** Options of {@link upstashAttemptLimiter}. */
export interface UpstashAttemptLimiterOptions extends AttemptLimiterOptions {
  /** An `@upstash/redis` client (any Redis with Lua scripting behind it). */
  readonly redis: Redis;
}

/**
 * Attempt limiting with `@upstash/ratelimit` (a token bucket of `attempts` tokens refilled once per `window`):
 * after `attempts` failed attempts, every attempt — even with a right code — is refused until the window
 * that began with the first counted attempt has passed. Works on Edge and Node; needs Lua on the server
 * (Upstash, Redis, Valkey).
 *
 * @remarks `@upstash/ratelimit` lets requests through when Redis is slow (its `timeout`); that is disabled
 * here and replaced by a deadline that refuses instead, because this limit guards a security check.
 * @example
 * ```ts title="mfa-step-up.ts"
 * const limiter = upstashAttemptLimiter({ redis, attempts: 5, window: '15m' });
 * ```
 */
export function upstashAttemptLimiter(options: UpstashAttemptLimiterOptions): AttemptLimiter {
  const { attempts, windowSeconds, keyPrefix, timeoutMs } = resolveLimiterOptions(options);
  const ratelimit = new Ratelimit({
    redis: options.redis,
    limiter: Ratelimit.tokenBucket(attempts, `${windowSeconds} s`, attempts),
    prefix: keyNamespace(keyPrefix),
    timeout: 0, // never fail open
    ephemeralCache: false, // the store is the only truth, so a refund is seen at once
    analytics: false,
  });

  const refund: AttemptLimiter['refund'] = async (subjects) => {
    await Promise.allSettled(subjects.map((subject) => withDeadline(() => ratelimit.limit(attemptIdentifier(subject), { rate: -1 }), timeoutMs)));
  };
  return {
    async consume(subjects) {
      for (const [i, subject] of subjects.entries()) {
        const verdict = await withDeadline(() => ratelimit.limit(attemptIdentifier(subject)), timeoutMs);
        if (!verdict.success) {
          // A refused attempt counts against no one: give back what the subjects before this one just lost.
          await refund(subjects.slice(0, i));
          return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((verdict.reset - Date.now()) / 1000)) };
        }
      }
      return { allowed: true };
    },
    refund,
  };
}
