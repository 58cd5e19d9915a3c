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
  return {
    id: `user_${name}`,
    email: `${name}@acme.test`,
    password: `${name}-password-1`,
    totpSecret: secret,
    factorId: secret ? `auth_factor_${name}_totp` : null,
  };
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
  /** The step-up dialog when the middleware refuses the action. */
  nina: user('nina', 'WLEZPAY4Y56UHMIW'),
  /** The step-up page without JavaScript. */
  olga: user('olga', 'KWO7SYPDNGVOTETH'),
  /** Keyboard-only step-up. */
  paul: user('paul', 'XEAWF6QPVTIPZGJ6'),
  /** Accessibility scans of every step-up state. */
  quinn: user('quinn', 'SQGKWEY6C3XQAQBM'),
  /** Re-authentication from the dialog (the full-page round trip of useStepUp). */
  rita: user('rita', '7GUXK2TDGJLIOCTD'),
  /** Locked out by wrong codes, unlocked by an admin. */
  pat: user('pat', 'KRUGKIDROVUWG2ZA'),
  /** "MFA for the whole session" (the second app configuration). */
  sara: user('sara', 'ONSWG4TFORZWK3DF'),
} as const satisfies Record<string, E2eUser>;

/** quinn's second authenticator (the step-up form's factor choice). */
export const QUINN_BACKUP: E2eUser = {
  ...USERS.quinn,
  totpSecret: 'MZXW6YTBOI4TKNRW',
  factorId: 'auth_factor_quinn_backup',
};

const EXTRA = [
  'erin',
  'frank',
  'grace',
  'heidi',
  'ivan',
  'dana',
  'judy',
  'kate',
  'leo',
  'mia',
  'nora',
  'oscar',
  'nina',
  'olga',
  'paul',
  'quinn',
  'rita',
  'pat',
  'sara',
] as const;

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
      totpFactors: [
        { id: u.factorId!, secret: u.totpSecret! },
        ...(name === 'quinn' ? [{ id: QUINN_BACKUP.factorId!, secret: QUINN_BACKUP.totpSecret! }] : []),
      ],
    };
  });
  return { ...base, users: [...base.users, ...extra] };
}
