/** Access tokens live 5 minutes, like WorkOS's (authkit then refreshes 30 s before expiry). */
export const ACCESS_TOKEN_TTL_SECONDS = 300;
/** Authorization codes are single use and expire after 10 minutes. */
export const AUTHORIZATION_CODE_TTL_MS = 10 * 60_000;
/** MFA challenges expire after 5 minutes. */
/** Magic Auth codes expire after 10 minutes (WorkOS docs). */
export const MAGIC_AUTH_TTL_MS = 10 * 60_000;
export const CHALLENGE_TTL_MS = 5 * 60_000;
/** Pending authentication tokens (password grant → TOTP) and pending hosted sign-ins. */
export const PENDING_AUTHENTICATION_TTL_MS = 10 * 60_000;
/** Hard session lifetime; refresh fails after it. */
export const SESSION_TTL_MS = 30 * 24 * 3_600_000;
