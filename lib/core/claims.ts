import { isEpochSeconds } from './epoch';
import { isSafeId } from './ledger-entry';
import { categoriesOf, normalizeMethod } from './methods';

/** Names of the claims read from the access token; change them to read a custom claim. */
export interface ClaimNames {
  /** @default 'amr' */
  readonly amr: string;
  /** @default 'acr' */
  readonly acr: string;
  /** @default 'auth_time' */
  readonly authTime: string;
}

/** Options of {@link readMfaClaims}. */
export interface ClaimOptions {
  /** Claim names. @default { amr: 'amr', acr: 'acr', authTime: 'auth_time' } */
  readonly claimNames?: Partial<ClaimNames>;
  /**
   * Methods that by themselves mean MFA was completed, for issuers that list only the second factor
   * (e.g. `['otp', 'hwk']`). @default []
   */
  readonly mfaMethods?: readonly string[];
  /**
   * Organizations whose members sign in through their own identity provider (SSO). WorkOS performs no MFA for
   * SSO users, so MFA in these sessions' `amr`/`acr` is the IdP's assertion, passed on: it counts only under a
   * policy with `trustIdpMfa: true` (see `perOrganization`). A WorkOS access token does not say that a session
   * signed in through SSO; `org_id` is all there is, so list every SSO organization here. @default []
   */
  readonly idpOrganizations?: readonly string[];
}

/** What a verified token says about MFA. Malformed claims are reported, never thrown. */
export interface ClaimsEvidence {
  /** Normalised RFC 8176 methods (deduplicated). */
  readonly methods: readonly string[];
  /** The `amr` claim shows MFA: `mfa`, two distinct factor categories, or a configured MFA method. */
  readonly amrShowsMfa: boolean;
  /** Both factor categories were proven in the authentication `auth_time` refers to. */
  readonly allFactors: boolean;
  /** The `acr` claim, when it is a non-empty string. */
  readonly acr: string | null;
  /** When the authentication happened (epoch seconds), when usable. */
  readonly authTime: number | null;
  /** Claims that were present but unusable (wrong type, empty, absurd value). */
  readonly malformed: readonly string[];
  /** The session's organization is one of `idpOrganizations`: its MFA claims are its IdP's assertion. */
  readonly fromIdp: boolean;
}

/** The session a verified access token belongs to. */
export interface SessionIdentity {
  /** `sub` claim. */
  readonly userId: string;
  /** `sid` claim. */
  readonly sessionId: string;
  /** `org_id` claim, when present. */
  readonly organizationId?: string;
}

/** The claim names WorkOS (and RFC 8176 / OIDC) use; override any of them with `claimNames`. */
export const DEFAULT_CLAIM_NAMES: ClaimNames = Object.freeze({ amr: 'amr', acr: 'acr', authTime: 'auth_time' });

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A claim the payload itself carries: never one inherited from a prototype (`constructor`, `toString`…). */
function own(claims: Record<string, unknown>, name: string): unknown {
  return Object.hasOwn(claims, name) ? claims[name] : undefined;
}

/** Reads `amr` as plain strings (RFC 8176) or Supabase-style `{ method, timestamp }` objects. */
function readAmr(value: unknown): { methods: string[]; times: number[] } | null {
  if (!Array.isArray(value) || value.length === 0 || value.length > 32) return null;
  const methods: string[] = [];
  const times: number[] = [];
  for (const item of value) {
    const raw =
      typeof item === 'string' ? item : isRecord(item) && typeof item.method === 'string' ? item.method : null;
    if (raw === null) return null;
    if (isRecord(item) && item.timestamp !== undefined) {
      if (!isEpochSeconds(item.timestamp)) return null;
      times.push(item.timestamp);
    }
    const method = normalizeMethod(raw);
    if (method !== null && !methods.includes(method)) methods.push(method);
  }
  return { methods, times };
}

/**
 * Reads MFA evidence from a **verified** access-token payload. Never throws: wrong types, empty arrays and
 * absurd timestamps yield no evidence and are listed in `malformed`.
 */
export function readMfaClaims(payload: unknown, options: ClaimOptions = {}): ClaimsEvidence {
  const names = { ...DEFAULT_CLAIM_NAMES, ...options.claimNames };
  const claims = isRecord(payload) ? payload : {};
  const malformed: string[] = [];

  const rawAmr = own(claims, names.amr);
  const amr = readAmr(rawAmr);
  if (rawAmr !== undefined && amr === null) malformed.push(names.amr);
  const methods = amr?.methods ?? [];

  const rawAcr = own(claims, names.acr);
  const acr = typeof rawAcr === 'string' && rawAcr.trim() !== '' && rawAcr.length <= 256 ? rawAcr : null;
  if (rawAcr !== undefined && acr === null) malformed.push(names.acr);

  const rawAuthTime = own(claims, names.authTime);
  // Per-method timestamps (Supabase dialect) stand in for a missing auth_time: the latest one is when MFA ended.
  let authTime = isEpochSeconds(rawAuthTime) ? rawAuthTime : null;
  if (rawAuthTime !== undefined && authTime === null) malformed.push(names.authTime);
  if (rawAuthTime === undefined && amr && amr.times.length > 0) authTime = Math.max(...amr.times);

  const allFactors = methods.includes('mfa') || categoriesOf(methods).size >= 2;
  const mfaMethods = options.mfaMethods;
  const amrShowsMfa =
    allFactors || methods.some((m) => mfaMethods?.some((configured) => normalizeMethod(configured) === m));
  const org = own(claims, 'org_id');
  const fromIdp = typeof org === 'string' && options.idpOrganizations?.includes(org) === true;
  return { methods, amrShowsMfa, allFactors, acr, authTime, malformed, fromIdp };
}

/** The session identity of a verified payload, or `null` when `sub` or `sid` is missing or not an identifier. */
export function readSessionIdentity(payload: unknown): SessionIdentity | null {
  if (!isRecord(payload)) return null;
  const [sub, sid, org] = [own(payload, 'sub'), own(payload, 'sid'), own(payload, 'org_id')];
  if (!isSafeId(sub) || !isSafeId(sid)) return null;
  return { userId: sub, sessionId: sid, ...(isSafeId(org) ? { organizationId: org } : {}) };
}
