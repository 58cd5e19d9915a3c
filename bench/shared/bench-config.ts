/**
 * What the benchmark apps enforce and where, shared by the Edge and Node apps so both measure the same
 * check. Edge-safe: imported by `middleware.ts`.
 */
import { mfaPreset } from '../../lib/core/policy';

/** The demo's admin-area policy (NIST AAL2: MFA within 12 h), from token claims or the ledger. */
export const BENCH_POLICY = mfaPreset('aal2', { name: 'bench-aal2' });

/** Paths the session-MFA middleware protects. */
export const MFA_PREFIX = '/mfa/';

/**
 * Paths that get authkit plus one bare GET of the session's ledger key with the app's own Redis client, and
 * nothing else: the yardstick for "one round trip" measured in the same runtime, client and server.
 */
export const ROUND_TRIP_PREFIX = '/rtt/';

/** Every other path gets authkit's own middleware/proxy only: the baseline. */

/** Reads a variable the benchmark runner always sets; a missing one is a wiring bug, not a fallback case. */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: start the bench apps through \`npm run bench\`.`);
  return value;
}
