/**
 * The demo's step-up (server only): the drop-in page and route (`app/step-up/`), verifying TOTP through the
 * WorkOS MFA API with attempt limits and replay protection in Redis (over the same Upstash client as the
 * ledger), re-authentication through AuthKit, and factor enrollment (`/account/authenticator`).
 */
import 'server-only';
import { WorkOS } from '@workos-inc/node';
import type { Duration } from 'authkit-session-mfa';
import {
  createFactorEnrollment,
  createReauthentication,
  createStepUp,
  createTotpStepUp,
  type AttemptLimiter,
} from 'authkit-session-mfa/step-up';
import { counterAttemptLimiter, upstashAttemptLimiter, upstashUsedCodes } from 'authkit-session-mfa/upstash';
import { enrollPolicy, upstash } from './mfa.config';
import { sessionMfa } from './mfa';

function attemptLimiter(): AttemptLimiter {
  const attempts = Number(process.env.MFA_STEP_UP_ATTEMPTS ?? 5);
  const window = (process.env.MFA_STEP_UP_WINDOW ?? '15m') as Duration;
  // `counter` is for Redis-compatible stores without Lua (the one-command demo's in-memory stand-in).
  return process.env.MFA_RATE_LIMITER === 'counter'
    ? counterAttemptLimiter({ redis: upstash, attempts, window })
    : upstashAttemptLimiter({ redis: upstash, attempts, window });
}

/**
 * The WorkOS client for step-up and enrollment: authkit's WorkOS settings (`WORKOS_API_*`), but no SDK retries. On a 429 the SDK would
 * sleep `Retry-After` (up to 60 s) and retry up to 3 times before failing; the person at the step-up page should
 * read "try again in N seconds" at once instead.
 */
let stepUpWorkos: WorkOS | undefined;
function interactiveWorkos(): WorkOS {
  stepUpWorkos ??= new WorkOS(process.env.WORKOS_API_KEY, {
    apiHostname: process.env.WORKOS_API_HOSTNAME,
    https: process.env.WORKOS_API_HTTPS ? process.env.WORKOS_API_HTTPS === 'true' : true,
    port: process.env.WORKOS_API_PORT ? Number(process.env.WORKOS_API_PORT) : undefined,
    maxRetries: 0,
  });
  return stepUpWorkos;
}

/** Step-up attempts per session and per user; email codes of enrollment count against the same budget. */
export const limiter = attemptLimiter();

/** TOTP step-up (its `unlock` serves the support page). */
export const totpStepUp = createTotpStepUp({
  sessionMfa,
  mfa: () => interactiveWorkos().multiFactorAuth,
  limiter,
  usedCodes: upstashUsedCodes({ redis: upstash }),
});

/** The step-up page (`app/step-up/page.tsx`), its route (`app/step-up/verify/route.ts`) and links to it. */
export const stepUp = createStepUp({
  sessionMfa,
  totp: totpStepUp,
  // "Sign in again through AuthKit": passes only when the new token carries MFA claims.
  reauthentication: createReauthentication({ sessionMfa }),
  // A user without an authenticator is led to set one up (for the next session: enrolling never verifies this one).
  enrollUrl: '/account/authenticator',
});

/** "Set up an authenticator" (`/account/authenticator`): fresh MFA to add one, an email code for the first. */
export const enrollment = createFactorEnrollment({
  sessionMfa,
  workos: interactiveWorkos,
  clientId: process.env.WORKOS_CLIENT_ID ?? '',
  limiter,
  issuer: 'Acme Console',
  policy: enrollPolicy,
});
