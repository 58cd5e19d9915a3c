import { Ratelimit } from '@upstash/ratelimit';
import type { Redis } from '@upstash/redis';
import { MfaConfigError } from '../core/errors';
import { keyNamespace } from '../core/keys';
import { withDeadline } from '../io/deadline';
import {
  attemptIdentifier,
  resolveLimiterOptions,
  type AttemptLimiter,
  type AttemptLimiterOptions,
} from './attempt-limiter';

const NO_LUA =
  /no lua|unknown command\b[^,]*\b(eval|evalsha|script)\b|(lua|scripting)[^,]*(disabled|not (supported|available|allowed))/i;

/**
 * A store error that means "this Redis cannot run scripts" becomes a configuration error that says so and names
 * the alternative; anything else is returned unchanged.
 */
function explainNoLua(error: unknown): unknown {
  const message = error instanceof Error ? error.message : String(error);
  if (!NO_LUA.test(message)) return error;
  return new MfaConfigError(
    'ERR_MFA_CONFIG_INVALID',
    'redis',
    `upstashAttemptLimiter needs Lua scripting (EVAL/EVALSHA), and this Redis refused it (${message.split(', command was:', 1)[0]}). Use counterAttemptLimiter for stores without Lua, such as the in-memory Upstash stand-in.`,
  );
}

/** A bucket nobody uses: `check()` reads it, which runs the same scripts an attempt does. */
const PROBE_IDENTIFIER = 'authkit-mfa-limiter-probe';

/** Options of {@link upstashAttemptLimiter}. */
export interface UpstashAttemptLimiterOptions extends AttemptLimiterOptions {
  /** An `@upstash/redis` client (any Redis with Lua scripting behind it). */
  readonly redis: Redis;
}

/**
 * Attempt limiting with `@upstash/ratelimit` (a token bucket of `attempts` tokens refilled once per `window`):
 * after `attempts` failed attempts, every attempt — even with a right code — is refused until the window
 * that began with the first counted attempt has passed. Works on Edge and Node; needs Lua on the server
 * (Upstash, Redis, Valkey): await `limiter.check()` at startup to find out, and a store without it makes every
 * attempt throw an `ERR_MFA_CONFIG_INVALID` error naming {@link counterAttemptLimiter} (the step-up refuses the
 * attempt as unavailable and logs why).
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
    await Promise.allSettled(
      subjects.map((subject) =>
        withDeadline(() => ratelimit.limit(attemptIdentifier(subject), { rate: -1 }), timeoutMs),
      ),
    );
  };
  const call = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await withDeadline(work, timeoutMs);
    } catch (error) {
      throw explainNoLua(error);
    }
  };
  return {
    async consume(subjects) {
      for (const [i, subject] of subjects.entries()) {
        const verdict = await call(() => ratelimit.limit(attemptIdentifier(subject)));
        if (!verdict.success) {
          // A refused attempt counts against no one: give back what the subjects before this one just lost.
          await refund(subjects.slice(0, i));
          return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((verdict.reset - Date.now()) / 1000)) };
        }
      }
      return { allowed: true };
    },
    refund,
    async reset(subjects) {
      // @upstash/ratelimit's own reset (it SCANs for the bucket's keys: fine for a support action).
      for (const subject of subjects) await call(() => ratelimit.resetUsedTokens(attemptIdentifier(subject)));
    },
    async check() {
      await call(() => ratelimit.getRemaining(PROBE_IDENTIFIER));
    },
  };
}
