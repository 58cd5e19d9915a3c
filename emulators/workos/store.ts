import type { Seed } from './seed';

/** Default TOTP issuer shown in authenticator apps when none is given. */
export const DEFAULT_TOTP_ISSUER = 'WorkOS Emulator';

export interface OrganizationRecord {
  id: string;
  name: string;
  domains: string[];
  createdAt: number;
}

export interface MembershipRecord {
  organizationId: string;
  role: string;
  permissions: string[];
}

export interface UserRecord {
  id: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  password: string | null;
  sso: { connectionId: string; amr: string[] } | null;
  memberships: MembershipRecord[];
  createdAt: number;
  updatedAt: number;
  lastSignInAt: number | null;
}

export interface FactorRecord {
  id: string;
  /** Null for factors enrolled through the standalone MFA API (`/auth/factors/enroll`). */
  userId: string | null;
  type: 'totp';
  issuer: string;
  label: string;
  secret: string;
  /** Highest RFC 6238 time step accepted so far; a code at or below it is a replay. */
  lastUsedStep: number;
  createdAt: number;
  updatedAt: number;
}

export interface ChallengeRecord {
  id: string;
  factorId: string;
  status: 'pending' | 'verified';
  createdAt: number;
  updatedAt: number;
  expiresAt: number;
}

/** The primary factor as WorkOS names it in `authentication_method`. */
export type AuthenticationMethod = 'Password' | 'SSO' | 'MagicAuth';

export interface SessionRecord {
  id: string;
  userId: string;
  organizationId: string | null;
  authenticationMethod: AuthenticationMethod;
  /** Seconds since the epoch of the sign-in; never changes on refresh. */
  authTime: number;
  /** Whether its tokens carry `auth_time` (`tomorrow` mode, or `today` with `authTimeClaim`); fixed at sign-in. */
  authTimeClaim: boolean;
  /** RFC 8176 values fixed at sign-in; null when the session was created in `claimsMode: 'today'`. */
  amr: string[] | null;
  acr: string | null;
  ipAddress: string | null;
  userAgent: string | null;
  status: 'active' | 'revoked';
  createdAt: number;
  updatedAt: number;
  expiresAt: number;
  endedAt: number | null;
}

export interface RefreshTokenRecord {
  sessionId: string;
  used: boolean;
}

export interface AuthorizationCodeRecord {
  clientId: string;
  redirectUri: string;
  codeChallenge: string | null;
  sessionId: string;
  expiresAt: number;
  used: boolean;
}

/** Issued with a 403 `mfa_challenge` / `mfa_enrollment` from the password grant. */
export interface PendingAuthenticationRecord {
  userId: string;
  ipAddress: string | null;
  userAgent: string | null;
  expiresAt: number;
  used: boolean;
}

/** A hosted sign-in waiting at its second (TOTP) step. */
export interface PendingSignInRecord {
  userId: string;
  /** The validated authorize request, replayed when the sign-in completes. */
  authorize: URLSearchParams;
  /** Secret offered on the enrollment step; null when the user already has a factor. */
  enrollSecret: string | null;
  expiresAt: number;
  used: boolean;
}

/** A Magic Auth code (`POST /user_management/magic_auth`), "sent" to the user's email: tests read it through the control API. */
export interface MagicAuthRecord {
  id: string;
  userId: string;
  email: string;
  code: string;
  createdAt: number;
  updatedAt: number;
  expiresAt: number;
  used: boolean;
}

export interface AuditEventRecord {
  organizationId: string;
  idempotencyKey: string | null;
  event: Record<string, unknown>;
  receivedAt: number;
}

/** Everything the emulator remembers; rebuilt from the seed by {@link createStore}. */
export interface Store {
  organizations: Map<string, OrganizationRecord>;
  users: Map<string, UserRecord>;
  factors: Map<string, FactorRecord>;
  challenges: Map<string, ChallengeRecord>;
  sessions: Map<string, SessionRecord>;
  refreshTokens: Map<string, RefreshTokenRecord>;
  codes: Map<string, AuthorizationCodeRecord>;
  pendingAuthentications: Map<string, PendingAuthenticationRecord>;
  pendingSignIns: Map<string, PendingSignInRecord>;
  auditEvents: AuditEventRecord[];
  /** Magic Auth codes in the order they were sent (the emulator's outbox). */
  magicAuths: MagicAuthRecord[];
  /** Times (ms) of counted `authenticate` requests per `email:…` / `challenge:…` key (rate limiting). */
  authenticateRequests: Map<string, number[]>;
}

/** How long before the emulator started its seeded organizations, users and factors were created. */
export const SEED_AGE_MS = 30 * 86_400_000;

/** Builds a fresh store holding exactly the seed. */
export function createStore(seed: Seed, now: number): Store {
  // Seeded records existed before anyone signed in (a factor enrolled "just now" would not step a session up).
  const seededAt = now - SEED_AGE_MS;
  const store: Store = {
    organizations: new Map(),
    users: new Map(),
    factors: new Map(),
    challenges: new Map(),
    sessions: new Map(),
    refreshTokens: new Map(),
    codes: new Map(),
    pendingAuthentications: new Map(),
    pendingSignIns: new Map(),
    auditEvents: [],
    magicAuths: [],
    authenticateRequests: new Map(),
  };
  for (const org of seed.organizations) {
    store.organizations.set(org.id, {
      id: org.id,
      name: org.name,
      domains: [...(org.domains ?? [])],
      createdAt: seededAt,
    });
  }
  for (const user of seed.users) {
    store.users.set(user.id, {
      id: user.id,
      email: user.email,
      firstName: user.firstName ?? null,
      lastName: user.lastName ?? null,
      password: user.password ?? null,
      sso: user.sso
        ? { connectionId: user.sso.connectionId ?? `conn_${user.id}`, amr: [...(user.sso.amr ?? ['pwd'])] }
        : null,
      memberships: (user.memberships ?? []).map((m) => ({
        organizationId: m.organizationId,
        role: m.role,
        permissions: [...(m.permissions ?? [])],
      })),
      createdAt: seededAt,
      updatedAt: seededAt,
      lastSignInAt: null,
    });
    for (const factor of user.totpFactors ?? []) {
      store.factors.set(factor.id, {
        id: factor.id,
        userId: user.id,
        type: 'totp',
        issuer: factor.issuer ?? DEFAULT_TOTP_ISSUER,
        label: user.email,
        secret: factor.secret,
        lastUsedStep: -1,
        createdAt: seededAt,
        updatedAt: seededAt,
      });
    }
  }
  return store;
}

/** Finds a user by email, case-insensitively. */
export function findUserByEmail(store: Store, email: string): UserRecord | undefined {
  const wanted = email.trim().toLowerCase();
  for (const user of store.users.values()) if (user.email === wanted) return user;
  return undefined;
}

/** The user's TOTP factors, oldest first. */
export function userFactors(store: Store, userId: string): FactorRecord[] {
  return [...store.factors.values()].filter((f) => f.userId === userId);
}

/** The membership for `organizationId`, or undefined when the user is not a member. */
export function membershipOf(user: UserRecord, organizationId: string | null): MembershipRecord | undefined {
  return organizationId === null ? undefined : user.memberships.find((m) => m.organizationId === organizationId);
}
