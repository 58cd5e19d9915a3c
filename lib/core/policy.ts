import { MAX_DURATION_SECONDS, parseDuration, type Duration } from './duration';
import { MfaConfigError } from './errors';
import { normalizeMethod } from './methods';

/** Where a decision may find MFA evidence. */
export type EvidenceSource = 'claims' | 'ledger';

/** Options accepted by {@link defineMfaPolicy}; every field is validated when the policy is defined. */
export interface MfaPolicyOptions {
  /** Name shown in decisions, audit records and errors. @default the preset's name, else `"custom"` */
  name?: string;
  /** MFA must have happened within this span; `null` accepts any MFA completed in this session. @default null */
  maxAge?: Duration | null;
  /**
   * RFC 8176 methods of which the evidence must include at least one (e.g. `['hwk']` for phishing-resistant
   * hardware keys). Empty accepts any MFA. @default []
   */
  methods?: readonly string[];
  /** `acr` values that prove MFA when present in a verified token (e.g. `"phr"`). @default [] */
  acrValues?: readonly string[];
  /**
   * Both factors must have been re-proven together within `maxAge` (a full re-authentication with MFA, as
   * NIST AAL3 asks). A second-factor step-up alone does not satisfy it. @default false
   */
  requireAllFactors?: boolean;
  /** Evidence sources this policy trusts. @default ['claims', 'ledger'] */
  sources?: readonly EvidenceSource[];
  /**
   * Accept MFA that an organization's own identity provider asserted in the token (`amr`/`acr` of a session of
   * one of the engine's `claims.idpOrganizations`). Off by default: the app, not each customer's IdP
   * configuration, decides what counts as MFA. Turn it on per organization with {@link perOrganization}, for
   * IdPs whose MFA you have checked. WorkOS-performed MFA claims and the ledger are not affected. @default false
   */
  trustIdpMfa?: boolean;
  /** How far in the future a timestamp may lie before it counts as malformed. @default 60 */
  clockSkew?: Duration;
}

/** A validated, immutable policy. Create it with {@link defineMfaPolicy} or {@link mfaPreset}. */
export interface MfaPolicy {
  readonly name: string;
  /** Seconds, or `null` for "any MFA in this session". */
  readonly maxAge: number | null;
  readonly methods: readonly string[];
  readonly acrValues: readonly string[];
  readonly requireAllFactors: boolean;
  readonly sources: readonly EvidenceSource[];
  /** Seconds. */
  readonly clockSkew: number;
  /** MFA asserted by an organization's IdP counts (see {@link MfaPolicyOptions.trustIdpMfa}). */
  readonly trustIdpMfa: boolean;
}

/** Who the policy is being resolved for; lets a policy depend on the organization. */
export interface PolicyContext {
  readonly userId: string;
  readonly organizationId?: string;
}

/**
 * A policy, or a function choosing one per session (e.g. an SSO organization that trusts its IdP's `amr`).
 * A resolver that throws or returns something else denies the request (`policy_error`).
 */
export type PolicySpec = MfaPolicy | ((context: PolicyContext) => MfaPolicy);

/** Names of the built-in presets. */
export type MfaPresetName = 'strict' | 'moderate' | 'lax' | 'aal2' | 'aal3';

/** Built-in presets: Clerk's names and windows, plus NIST SP 800-63B AAL2 / AAL3 reauthentication limits. */
export const MFA_PRESETS: Readonly<Record<MfaPresetName, Readonly<MfaPolicyOptions>>> = {
  /** Destructive actions: MFA within 10 minutes. */
  strict: { maxAge: '10m' },
  /** Sensitive settings: MFA within 1 hour. */
  moderate: { maxAge: '1h' },
  /** Ordinary privileged areas: MFA within 24 hours. */
  lax: { maxAge: '24h' },
  /** NIST AAL2: MFA within 12 hours. */
  aal2: { maxAge: '12h' },
  /** NIST AAL3: both factors re-proven together within 12 hours. */
  aal3: { maxAge: '12h', requireAllFactors: true },
};

const SOURCES: readonly EvidenceSource[] = ['claims', 'ledger'];
const NAME_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;
/** The IANA "Authentication Method Reference Values" registry (RFC 8176): what a policy may demand. */
const REGISTERED_METHODS: ReadonlySet<string> = new Set([
  'face',
  'fpt',
  'geo',
  'hwk',
  'iris',
  'kba',
  'mca',
  'mfa',
  'otp',
  'pin',
  'pop',
  'pwd',
  'rba',
  'retina',
  'sc',
  'sms',
  'swk',
  'tel',
  'user',
  'vbm',
  'wia',
]);

function invalid(field: string, message: string): never {
  throw new MfaConfigError('ERR_MFA_POLICY_INVALID', field, message);
}

function stringList(value: unknown, field: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) invalid(field, 'must be an array of strings.');
  return value.map((item, i) => {
    if (typeof item !== 'string' || item.trim() === '') invalid(`${field}[${i}]`, 'must be a non-empty string.');
    return item.trim();
  });
}

/**
 * Validates options and returns an immutable policy.
 * @throws MfaConfigError `ERR_MFA_POLICY_INVALID` / `ERR_MFA_DURATION_INVALID`, naming the bad field.
 * @example
 * ```ts title="mfa.config.ts"
 * export const rotateKeys = defineMfaPolicy({ name: 'rotate-keys', maxAge: '10m' });
 * export const hardwareOnly = defineMfaPolicy({ name: 'billing', maxAge: '1h', methods: ['hwk'] });
 * ```
 */
export function defineMfaPolicy(options: MfaPolicyOptions = {}): MfaPolicy {
  if (typeof options !== 'object' || options === null) invalid('policy', 'must be an options object.');
  const name = options.name ?? 'custom';
  if (typeof name !== 'string' || !NAME_PATTERN.test(name))
    invalid('name', 'must be 1–64 characters of letters, digits, "_", ".", ":" or "-".');
  const maxAge = options.maxAge == null ? null : parseDuration(options.maxAge, 'maxAge');
  const methods = stringList(options.methods, 'methods').map((m, i) => {
    const method = normalizeMethod(m);
    return method !== null && REGISTERED_METHODS.has(method)
      ? method
      : invalid(`methods[${i}]`, `"${m}" is not an accepted RFC 8176 method.`);
  });
  const acrValues = stringList(options.acrValues, 'acrValues');
  if (options.requireAllFactors !== undefined && typeof options.requireAllFactors !== 'boolean')
    invalid('requireAllFactors', 'must be a boolean.');
  const requireAllFactors = options.requireAllFactors ?? false;
  if (requireAllFactors && maxAge === null)
    invalid('requireAllFactors', 'needs a maxAge: re-proving factors only means something within a window.');
  const sources = options.sources === undefined ? SOURCES : stringList(options.sources, 'sources');
  if (sources.length === 0) invalid('sources', 'must name at least one evidence source, or nothing could ever pass.');
  for (const [i, s] of sources.entries())
    if (!SOURCES.includes(s as EvidenceSource)) invalid(`sources[${i}]`, `"${s}" is not one of ${SOURCES.join(', ')}.`);
  const clockSkew = options.clockSkew === undefined ? 60 : parseDuration(options.clockSkew, 'clockSkew');
  if (options.trustIdpMfa !== undefined && typeof options.trustIdpMfa !== 'boolean')
    invalid('trustIdpMfa', 'must be a boolean.');
  return Object.freeze({
    name,
    maxAge,
    methods: Object.freeze([...new Set(methods)]),
    acrValues: Object.freeze([...new Set(acrValues)]),
    requireAllFactors,
    sources: Object.freeze([...new Set(sources)] as EvidenceSource[]),
    clockSkew,
    trustIdpMfa: options.trustIdpMfa ?? false,
  });
}

/**
 * A built-in preset, optionally adjusted. The policy is named after the preset unless `overrides.name` is set.
 * @example mfaPreset('strict') // MFA within 10 minutes
 */
export function mfaPreset(preset: MfaPresetName, overrides: MfaPolicyOptions = {}): MfaPolicy {
  const base = Object.hasOwn(MFA_PRESETS, preset) ? MFA_PRESETS[preset] : undefined;
  if (!base) invalid('preset', `"${String(preset)}" is not one of ${Object.keys(MFA_PRESETS).join(', ')}.`);
  return defineMfaPolicy({ name: preset, ...base, ...overrides });
}

const CHECKED_POLICIES = new WeakSet<object>();

function isSeconds(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= MAX_DURATION_SECONDS;
}

function isStringList(value: unknown): value is readonly string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/**
 * `true` when `value` has the shape {@link defineMfaPolicy} gives a policy: frozen, every field of its type and
 * range. `evaluate` and `resolvePolicy` deny with `policy_error` on anything else, e.g.
 * `{ ...mfaPreset('strict'), maxAge: '10m' }` from a hand-written resolver, where a comparison with `NaN`
 * would otherwise pass any evidence.
 */
export function isMfaPolicy(value: unknown): value is MfaPolicy {
  if (typeof value !== 'object' || value === null || !Object.isFrozen(value)) return false;
  // A frozen object checked once stays what it was: evaluate() meets the same few policies on every request.
  if (CHECKED_POLICIES.has(value)) return true;
  const p = value as { readonly [K in keyof MfaPolicy]: unknown };
  const ok =
    typeof p.name === 'string' &&
    (p.maxAge === null || isSeconds(p.maxAge)) &&
    isSeconds(p.clockSkew) &&
    typeof p.requireAllFactors === 'boolean' &&
    !(p.requireAllFactors && p.maxAge === null) &&
    typeof p.trustIdpMfa === 'boolean' &&
    isStringList(p.methods) &&
    isStringList(p.acrValues) &&
    isStringList(p.sources) &&
    p.sources.length > 0 &&
    p.sources.every((source) => SOURCES.includes(source as EvidenceSource));
  if (ok) CHECKED_POLICIES.add(value);
  return ok;
}

/** Resolves a {@link PolicySpec} for one session; `null` when a resolver failed (the caller must deny). */
export function resolvePolicy(spec: PolicySpec, context: PolicyContext): MfaPolicy | null {
  try {
    const policy = typeof spec === 'function' ? spec(context) : spec;
    return isMfaPolicy(policy) ? policy : null;
  } catch {
    return null;
  }
}

/**
 * A policy that differs per organization: `byOrganization[orgId]` when the session has that organization,
 * `fallback` otherwise.
 * @example
 * ```ts
 * // Globex signs in through its own IdP (listed in the engine's `claims.idpOrganizations`), whose MFA we have
 * // checked: its amr counts for Globex sessions. Every other organization's IdP assertions do not.
 * perOrganization(mfaPreset('aal2'), { org_globex: mfaPreset('aal2', { name: 'globex-sso', trustIdpMfa: true }) })
 * ```
 */
export function perOrganization(fallback: MfaPolicy, byOrganization: Readonly<Record<string, MfaPolicy>>): PolicySpec {
  for (const [org, policy] of Object.entries(byOrganization))
    if (!isMfaPolicy(policy))
      invalid(`byOrganization.${org}`, 'must be a policy from defineMfaPolicy() or mfaPreset().');
  return ({ organizationId }) =>
    organizationId !== undefined && Object.hasOwn(byOrganization, organizationId)
      ? byOrganization[organizationId]!
      : fallback;
}
