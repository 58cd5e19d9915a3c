/**
 * Users of the e2e run: the emulator's default seed (alice, bob, carol) plus one user per scenario that
 * steps up several times, so TOTP time steps and attempt limits of one scenario never affect another.
 */
import type { Seed, SeedUser } from '../../emulators/workos';

export interface E2eUser {
  readonly id: string;
  readonly email: string;
  readonly password: string;
  /** Base32 TOTP secret of the user's one factor; `null` for a user without a factor. */
  readonly totpSecret: string | null;
  readonly factorId: string | null;
}

function user(name: string, secret: string | null): E2eUser {
  return { id: `user_${name}`, email: `${name}@acme.test`, password: `${name}-password-1`, totpSecret: secret, factorId: secret ? `auth_factor_${name}_totp` : null };
}

/** alice and bob come from the default seed; the rest are added for the e2e run. */
export const USERS = {
  alice: { ...user('alice', 'JBSWY3DPEHPK3PXP') },
  bob: user('bob', null),
  erin: user('erin', 'WGA5EJSS6OHVNFOP'),
  frank: user('frank', 'QRKRUYQYPETF6GAL'),
  grace: user('grace', 'VYK2X6IR34OZ5GQA'),
  heidi: user('heidi', 'ZU5F7JFS2DQZQOUR'),
  ivan: user('ivan', 'TIZTD6FQ7OKSFC5W'),
  dana: user('dana', 'JOWIQAA742SSFTLE'),
  judy: user('judy', 'VTKOHCNNAQ6KQAYO'),
  /** Audit completeness. */
  kate: user('kate', 'ROSUST7TQPZRAADC'),
  /** Session-bound webhooks. */
  leo: user('leo', 'PBTDUIVJ5PMZD63L'),
  /** Factor removal (loses her factor during the run). */
  mia: user('mia', 'CFWIGIEFZ64UGM44'),
  /** Hostile request ids on every audited route (fails step-ups on purpose, gains and loses extra factors). */
  nora: user('nora', '2G2XTL22GY6ORD4G'),
  /** Step-up while WorkOS throttles. */
  oscar: user('oscar', 'MFRGGZDFMZTWQ2LK'),
  /** Locked out by wrong codes, unlocked by an admin. */
  pat: user('pat', 'KRUGKIDROVUWG2ZA'),
  /** "MFA for the whole session" (the second app configuration). */
  rita: user('rita', 'ONSWG4TFORZWK3DF'),
} as const satisfies Record<string, E2eUser>;

const EXTRA = ['erin', 'frank', 'grace', 'heidi', 'ivan', 'dana', 'judy', 'kate', 'leo', 'mia', 'nora', 'oscar', 'pat', 'rita'] as const;

/** The default seed (with its Audit Logs actions) plus the e2e users (admins of Acme with one TOTP factor each). */
export function e2eSeed(base: Seed): Seed {
  const extra: SeedUser[] = EXTRA.map((name) => {
    const u = USERS[name];
    return {
      id: u.id,
      email: u.email,
      firstName: name[0]!.toUpperCase() + name.slice(1),
      lastName: 'Tester',
      password: u.password,
      memberships: [{ organizationId: 'org_acme', role: 'admin' }],
      totpFactors: [{ id: u.factorId!, secret: u.totpSecret! }],
    };
  });
  return { ...base, users: [...base.users, ...extra] };
}
