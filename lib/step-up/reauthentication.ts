import 'server-only';
import { getSignInUrl } from '@workos-inc/authkit-nextjs';
import type { Duration } from '../core/duration';
import type { MfaDecision } from '../core/decision';
import { defineMfaPolicy, type MfaPolicy } from '../core/policy';
import { safeReturnTo, stepUpPath } from '../core/return-to';
import type { SessionMfa } from '../session-mfa';

/** Query parameter the step-up page receives after an AuthKit re-authentication. */
export const REAUTH_PARAM = 'reauth';

const STATE_PURPOSE = 'authkit-session-mfa:reauthenticate';

/** Options of {@link createReauthentication}. */
export interface ReauthenticationOptions {
  readonly sessionMfa: SessionMfa;
  /**
   * How recent the new sign-in's MFA (token `auth_time`) must be to count. @default '5m'
   */
  readonly maxAge?: Duration;
}

/** Re-authentication through AuthKit as a way to step up. */
export interface Reauthentication {
  /** The policy a re-authenticated session must meet: MFA proven by **token claims** within `maxAge`. */
  readonly policy: MfaPolicy;
  /**
   * The AuthKit sign-in URL forcing a fresh sign-in (`maxAge: 0`), pre-filled with `loginHint`, whose custom
   * `state` carries `returnTo`; the callback lands on the step-up page with `reauth=1`. Sets authkit's PKCE
   * cookie, so call it from a server action or route handler only.
   */
  signInUrl(input: { returnTo: string; loginHint?: string }): Promise<string>;
  /**
   * Whether the (new) session's verified token proves fresh MFA by its claims. Only claims count here: a
   * re-authentication without MFA claims proves a recent password, not MFA.
   */
  check(payload: unknown, requestId?: string): Promise<MfaDecision>;
}

/** The `returnTo` carried in a re-authentication `state`, or `null` when `state` is not ours. */
export function readReauthState(state: string | undefined | null): { returnTo: string } | null {
  if (!state) return null;
  try {
    const parsed = JSON.parse(state) as { purpose?: unknown; returnTo?: unknown };
    return parsed.purpose === STATE_PURPOSE ? { returnTo: safeReturnTo(parsed.returnTo) } : null;
  } catch {
    return null;
  }
}

/**
 * Creates the re-authentication path of the step-up page.
 * @example
 * ```ts title="app/step-up/actions.ts"
 * redirect(await reauthentication.signInUrl({ returnTo, loginHint: user.email }));
 * ```
 */
export function createReauthentication(options: ReauthenticationOptions): Reauthentication {
  const policy = defineMfaPolicy({ name: 'reauthentication', maxAge: options.maxAge ?? '5m', sources: ['claims'] });
  const { sessionMfa } = options;
  return {
    policy,
    async signInUrl({ returnTo, loginHint }) {
      const safe = safeReturnTo(returnTo);
      return getSignInUrl({
        maxAge: 0,
        ...(loginHint ? { loginHint } : {}),
        state: JSON.stringify({ purpose: STATE_PURPOSE, returnTo: safe }),
        returnTo: `${stepUpPath(safe, sessionMfa.stepUpPath)}&${REAUTH_PARAM}=1`,
      });
    },
    check(payload, requestId) {
      return sessionMfa.decide(payload, policy, {
        target: 'step-up:reauthentication',
        ...(requestId ? { requestId } : {}),
      });
    },
  };
}
