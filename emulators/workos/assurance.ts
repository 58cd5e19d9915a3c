import type { ClaimsMode } from './options';
import type { AuthenticationMethod, UserRecord } from './store';

/** `acr` when the sign-in included a second factor (or the IdP reported `mfa`). */
export const ACR_MFA = 'urn:workos:acr:mfa';
/** `acr` for a single-factor sign-in. */
export const ACR_PASSWORD = 'urn:workos:acr:pwd';

/** RFC 8176 `amr` for a password sign-in completed with a TOTP code. */
export const AMR_PASSWORD_TOTP = ['pwd', 'otp', 'mfa'];
/** RFC 8176 `amr` for a password-only sign-in. */
export const AMR_PASSWORD = ['pwd'];

/**
 * The `amr`/`acr` a new session carries. In `today` mode both are null (WorkOS issues neither);
 * in `tomorrow` mode they describe how this sign-in was done. SSO users get the `amr` their seed
 * entry says the IdP reports.
 */
export function sessionAssurance(mode: ClaimsMode, method: AuthenticationMethod, user: UserRecord, mfaCompleted: boolean): { amr: string[] | null; acr: string | null } {
  if (mode === 'today') return { amr: null, acr: null };
  const amr = method === 'SSO' ? [...(user.sso?.amr ?? AMR_PASSWORD)] : mfaCompleted ? [...AMR_PASSWORD_TOTP] : [...AMR_PASSWORD];
  return { amr, acr: amr.includes('mfa') ? ACR_MFA : ACR_PASSWORD };
}
