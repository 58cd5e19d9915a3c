import { MfaConfigError } from '../core/errors';

/** Refuses to run in production: test sessions and test evidence must never reach a deployed app. */
export function assertNotProduction(what: string): void {
  if (process.env.NODE_ENV === 'production') {
    throw new MfaConfigError(
      'ERR_MFA_CONFIG_INVALID',
      'NODE_ENV',
      `${what} is for tests only and refuses to run with NODE_ENV=production.`,
    );
  }
}
