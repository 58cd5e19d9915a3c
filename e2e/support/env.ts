/** Settings the global setup hands to the tests through the environment (workers inherit it). */

/** Port of the app under test. Fixed, because the callback URL is compiled into the build. */
export const E2E_APP_PORT = Number(process.env.E2E_APP_PORT ?? 3217);
export const E2E_BASE_URL = `http://localhost:${E2E_APP_PORT}`;

/**
 * The same build started a second time, configured for "MFA for the whole session" (`MFA_WHOLE_SESSION=1`,
 * SSO organizations trusted), on the next port; its callback comes from `WORKOS_REDIRECT_URI` at run time.
 */
export const E2E_WHOLE_SESSION_PORT = E2E_APP_PORT + 1;
export const E2E_WHOLE_SESSION_URL = `http://localhost:${E2E_WHOLE_SESSION_PORT}`;

/** Shortened windows of the e2e run, so freshness and attempt limits can be observed in seconds. */
export const E2E_WINDOWS = {
  /** `policies.rotateKeys` (10 minutes in the demo). */
  rotateKeysMaxAge: '20s',
  /** Step-up attempts per session and per user, and their window (5 per 15 minutes in the demo). */
  stepUpAttempts: 5,
  stepUpWindow: '20s',
  /** `enrollPolicy`: MFA age that still lets a user add an authenticator (10 minutes in the demo). */
  enrollMaxAge: '20s',
} as const;

/** Signing secret shared by the emulator's webhook endpoint and the app (WORKOS_WEBHOOK_SECRET). */
export const E2E_WEBHOOK_SECRET = 'e2e-webhook-secret';

/** The audit Redis Stream of the e2e app (MFA_AUDIT_STREAM_KEY; the library's default elsewhere). */
export const E2E_AUDIT_STREAM_KEY = 'authkit-mfa:v1:audit:e2e';

function required(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(
      `${name} is not set: run the tests through Playwright (npm run test:e2e), whose global setup sets it.`,
    );
  return value;
}

/** Where the running stand-ins are (set by the global setup). */
export const stack = {
  get workosUrl(): string {
    return required('E2E_WORKOS_URL');
  },
  get redisUrl(): string {
    return required('E2E_REDIS_URL');
  },
  get stateDir(): string {
    return required('E2E_STATE_DIR');
  },
};
