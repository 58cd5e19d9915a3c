/**
 * The demo's step-up wiring (server only): TOTP through the WorkOS MFA API with attempt limits and replay
 * protection in Redis (over the same Upstash client as the ledger), and re-authentication through AuthKit.
 */
import 'server-only';
import { getWorkOS } from '@workos-inc/authkit-nextjs';
import type { Duration } from 'authkit-session-mfa';
import { createReauthentication, createTotpStepUp, type AttemptLimiter } from 'authkit-session-mfa/step-up';
import { counterAttemptLimiter, upstashAttemptLimiter, upstashUsedCodes } from 'authkit-session-mfa/upstash';
import { upstash } from './mfa.config';
import { sessionMfa } from './mfa';

function attemptLimiter(): AttemptLimiter {
  const attempts = Number(process.env.MFA_STEP_UP_ATTEMPTS ?? 5);
  const window = (process.env.MFA_STEP_UP_WINDOW ?? '15m') as Duration;
  // `counter` is for Redis-compatible stores without Lua (the one-command demo's in-memory stand-in).
  return process.env.MFA_RATE_LIMITER === 'counter' ? counterAttemptLimiter({ redis: upstash, attempts, window }) : upstashAttemptLimiter({ redis: upstash, attempts, window });
}

/** TOTP step-up for the step-up page. */
export const totpStepUp = createTotpStepUp({
  sessionMfa,
  mfa: () => getWorkOS().multiFactorAuth,
  limiter: attemptLimiter(),
  usedCodes: upstashUsedCodes({ redis: upstash }),
});

/** "Sign in again through AuthKit": passes only when the new token carries MFA claims. */
export const reauthentication = createReauthentication({ sessionMfa });
