import { TOTP } from 'otpauth';
import { iso } from './clock';
import { qrCodeDataUrl } from './qr-code';
import type {
  ChallengeRecord,
  FactorRecord,
  MagicAuthRecord,
  MembershipRecord,
  OrganizationRecord,
  SessionRecord,
  UserRecord,
} from './store';

// Serializers from store records to WorkOS's snake_case wire objects.

/** WorkOS `User`. */
export function wireUser(user: UserRecord): Record<string, unknown> {
  return {
    object: 'user',
    id: user.id,
    email: user.email,
    email_verified: true,
    first_name: user.firstName,
    last_name: user.lastName,
    name: [user.firstName, user.lastName].filter(Boolean).join(' ') || null,
    profile_picture_url: null,
    last_sign_in_at: user.lastSignInAt === null ? null : iso(user.lastSignInAt),
    locale: null,
    external_id: null,
    metadata: {},
    created_at: iso(user.createdAt),
    updated_at: iso(user.updatedAt),
  };
}

/** The `otpauth://` URI an authenticator app enrolls from. */
export function totpUri(factor: Pick<FactorRecord, 'issuer' | 'label' | 'secret'>): string {
  return new TOTP({
    issuer: factor.issuer,
    label: factor.label,
    secret: factor.secret,
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
  }).toString();
}

/** WorkOS `AuthenticationFactor` without secrets (list / get). */
export function wireFactor(factor: FactorRecord): Record<string, unknown> {
  return {
    object: 'authentication_factor',
    id: factor.id,
    type: factor.type,
    ...(factor.userId === null ? {} : { user_id: factor.userId }),
    totp: { issuer: factor.issuer, user: factor.label },
    created_at: iso(factor.createdAt),
    updated_at: iso(factor.updatedAt),
  };
}

/** WorkOS `AuthenticationFactor` with `totp.secret`, `qr_code` (a QR code of `uri`) and `uri` (enroll responses only). */
export async function wireFactorWithSecrets(factor: FactorRecord): Promise<Record<string, unknown>> {
  const uri = totpUri(factor);
  return {
    ...wireFactor(factor),
    totp: { issuer: factor.issuer, user: factor.label, secret: factor.secret, qr_code: await qrCodeDataUrl(uri), uri },
  };
}

/** WorkOS `AuthenticationChallenge`. */
export function wireChallenge(challenge: ChallengeRecord): Record<string, unknown> {
  return {
    object: 'authentication_challenge',
    id: challenge.id,
    authentication_factor_id: challenge.factorId,
    expires_at: iso(challenge.expiresAt),
    created_at: iso(challenge.createdAt),
    updated_at: iso(challenge.updatedAt),
  };
}

/** WorkOS `Session` (list sessions, `session.*` events). */
export function wireSession(session: SessionRecord): Record<string, unknown> {
  return {
    object: 'session',
    id: session.id,
    user_id: session.userId,
    ...(session.organizationId === null ? {} : { organization_id: session.organizationId }),
    ip_address: session.ipAddress,
    user_agent: session.userAgent,
    auth_method:
      session.authenticationMethod === 'SSO'
        ? 'sso'
        : session.authenticationMethod === 'MagicAuth'
          ? 'magic_code'
          : 'password',
    status: session.status,
    expires_at: iso(session.expiresAt),
    ended_at: session.endedAt === null ? null : iso(session.endedAt),
    created_at: iso(session.createdAt),
    updated_at: iso(session.updatedAt),
  };
}

/** WorkOS `Organization`; `domains` must be an array (authkit's Impersonation component maps over it). */
export function wireOrganization(org: OrganizationRecord): Record<string, unknown> {
  return {
    object: 'organization',
    id: org.id,
    name: org.name,
    allow_profiles_outside_organization: false,
    domains: org.domains.map((domain) => ({
      object: 'organization_domain',
      id: `org_domain_${org.id}_${domain}`,
      organization_id: org.id,
      domain,
      state: 'verified',
      verification_strategy: 'manual',
      created_at: iso(org.createdAt),
      updated_at: iso(org.createdAt),
    })),
    external_id: null,
    metadata: {},
    created_at: iso(org.createdAt),
    updated_at: iso(org.createdAt),
  };
}

/** WorkOS `MagicAuth`; the `code` only in API replies, never in the `magic_auth.created` event. */
export function wireMagicAuth(record: MagicAuthRecord, withCode: boolean): Record<string, unknown> {
  return {
    object: 'magic_auth',
    id: record.id,
    user_id: record.userId,
    email: record.email,
    expires_at: iso(record.expiresAt),
    created_at: iso(record.createdAt),
    updated_at: iso(record.updatedAt),
    ...(withCode ? { code: record.code } : {}),
  };
}

/** WorkOS `OrganizationMembership` (list memberships): always `active`, never directory-managed, with its user. */
export function wireMembership(
  id: string,
  user: UserRecord,
  membership: MembershipRecord,
  organizationName: string | undefined,
): Record<string, unknown> {
  return {
    object: 'organization_membership',
    id,
    user_id: user.id,
    organization_id: membership.organizationId,
    ...(organizationName === undefined ? {} : { organization_name: organizationName }),
    status: 'active',
    directory_managed: false,
    role: { slug: membership.role },
    user: wireUser(user),
    created_at: iso(user.createdAt),
    updated_at: iso(user.updatedAt),
  };
}
