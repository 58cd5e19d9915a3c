/**
 * The emulator seed of the load run: the default seed (alice, bob, carol; used by the checks after the load
 * phase) plus `count` users of Acme with one TOTP factor each, so sessions spread over many users and the
 * step-ups and factor removals during the run each use a factor of their own (a TOTP code is good once).
 */
import { createHash } from 'node:crypto';
import { Secret } from 'otpauth';
import type { Seed, SeedUser } from '../../emulators/workos';

/** One load user: what a sign-in and a step-up need. */
export interface LoadUser {
  readonly id: string;
  readonly email: string;
  readonly password: string;
  readonly factorId: string;
  /** Base32 TOTP secret (public test value, derived from the user's number). */
  readonly secret: string;
}

/** `count` load users, the same on every run. */
export function loadUsers(count: number): LoadUser[] {
  return Array.from({ length: count }, (_, i) => {
    const n = String(i + 1).padStart(3, '0');
    const bytes = createHash('sha256').update(`load-user-${n}`).digest().subarray(0, 20);
    return {
      id: `user_load_${n}`,
      email: `load-${n}@acme.test`,
      password: `load-${n}-password-1`,
      factorId: `auth_factor_load_${n}_totp`,
      secret: new Secret({ buffer: Uint8Array.from(bytes).buffer }).base32,
    };
  });
}

/** `base` plus the load users as admins of Acme. */
export function withLoadUsers(base: Seed, users: readonly LoadUser[]): Seed {
  const extra: SeedUser[] = users.map((u) => ({
    id: u.id,
    email: u.email,
    firstName: 'Load',
    lastName: u.id.slice(-3),
    password: u.password,
    memberships: [{ organizationId: 'org_acme', role: 'admin' }],
    totpFactors: [{ id: u.factorId, secret: u.secret }],
  }));
  return { ...base, users: [...base.users, ...extra] };
}
