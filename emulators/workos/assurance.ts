import type { ClaimsMode } from './options';
import type { AuthenticationMethod, UserRecord } from './store';

/** `acr` when the sign-in included a second factor (or the IdP reported `mfa`). */
export const ACR_MFA = 'urn:workos:acr:mfa';
/** `acr` for a single-factor sign-in. */
export const ACR_PASSWORD = 'urn:workos:acr:pwd';

/** RFC 8176 `amr` for a password sign-in completed with a TOTP code. */
export const AMR_PASSWORD_TOTP = ['pwd', 'otp', 'mfa'];
/** RFC 8176 `amr` for a Magic Auth sign-in: a one-time code sent by email, one factor. */
export const AMR_EMAIL_CODE = ['otp'];
/** RFC 8176 `amr` for a password-only sign-in. */
export const AMR_PASSWORD = ['pwd'];

/**
 * The assurance claims a new session's tokens carry. In `today` mode: no `amr`/`acr` and no `auth_time` (WorkOS
 * issues none of them; `authTimeClaim` adds `auth_time` for apps that want to test that path). In `tomorrow`
 * mode: `amr`/`acr` describing how this sign-in was done, and `auth_time`. SSO users get the `amr` their seed
 * entry says the IdP reports.
 */
export function sessionAssurance(
  config: { claimsMode: ClaimsMode; authTimeClaim: boolean },
  method: AuthenticationMethod,
  user: UserRecord,
  mfaCompleted: boolean,
): { amr: string[] | null; acr: string | null; authTimeClaim: boolean } {
  if (config.claimsMode === 'today') return { amr: null, acr: null, authTimeClaim: config.authTimeClaim };
  const amr =
    method === 'SSO'
      ? [...(user.sso?.amr ?? AMR_PASSWORD)]
      : method === 'MagicAuth'
        ? [...AMR_EMAIL_CODE]
        : mfaCompleted
          ? [...AMR_PASSWORD_TOTP]
          : [...AMR_PASSWORD];
  return { amr, acr: amr.includes('mfa') ? ACR_MFA : ACR_PASSWORD, authTimeClaim: true };
}
