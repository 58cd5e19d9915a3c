import type { ClaimsEvidence, SessionIdentity } from './claims';
import { categoriesOf } from './methods';
import type { DecisionReason, EvidenceSummary, MfaDecision, StepUpRequirement } from './decision';
import { DENIAL_PRECEDENCE } from './decision';
import { isLedgerEntry } from './ledger-entry';
import type { LedgerLookup } from './ledger-lookup';
import { isMfaPolicy, type MfaPolicy } from './policy';

/** Everything a decision may rest on. Only pass values derived from a verified access token. */
export interface EvidenceInput {
  /** The verified token's session, or `null` when there is none. */
  readonly session: SessionIdentity | null;
  /** What the verified token's claims say (see `readMfaClaims`), when read. */
  readonly claims?: ClaimsEvidence | null;
  /** The ledger lookup for `session.sessionId`, when the ledger was consulted. */
  readonly ledger?: LedgerLookup;
}

interface Candidate {
  readonly summary: EvidenceSummary;
  readonly allFactors: boolean;
}

type Check = { ok: true; candidate: Candidate } | { ok: false; reason: DecisionReason; candidate?: Candidate };

function summarize(
  source: EvidenceSummary['source'],
  verifiedAt: number | null,
  methods: readonly string[],
  now: number,
): EvidenceSummary {
  return { source, verifiedAt, methods, ageSeconds: verifiedAt === null ? null : Math.max(0, now - verifiedAt) };
}

/**
 * Tests one piece of evidence against the policy; the single place where freshness and methods are judged.
 * Every test is written as "passes only when": a value of a type nobody expected (`NaN`, a string) fails it.
 */
function judge(candidate: Candidate, policy: MfaPolicy, now: number): Check {
  const { verifiedAt, methods } = candidate.summary;
  if (verifiedAt !== null && !(Number.isInteger(verifiedAt) && verifiedAt > 0 && verifiedAt <= now + policy.clockSkew))
    return { ok: false, reason: 'malformed_evidence', candidate };
  if (!Array.isArray(methods)) return { ok: false, reason: 'malformed_evidence', candidate };
  if (policy.methods.length > 0 && !methods.some((m) => policy.methods.includes(m)))
    return { ok: false, reason: 'method_not_accepted', candidate };
  if (policy.requireAllFactors && candidate.allFactors !== true)
    return { ok: false, reason: 'factors_not_reproven', candidate };
  if (policy.maxAge !== null) {
    if (verifiedAt === null) return { ok: false, reason: 'missing_timestamp', candidate };
    // Exactly maxAge old still passes (the same boundary as authkit's checkRecentAuth).
    if (!(now - verifiedAt <= policy.maxAge)) return { ok: false, reason: 'stale', candidate };
  }
  return { ok: true, candidate };
}

function fromClaims(claims: ClaimsEvidence, policy: MfaPolicy, now: number): Check | null {
  // An organization's IdP speaks for its own users only where the policy says so (trustIdpMfa).
  if (claims.fromIdp !== false && !policy.trustIdpMfa) return null;
  // A token with any unusable MFA claim is not evidence at all: an absurd auth_time must not pass as "no time"
  // under a policy without maxAge, nor a broken acr ride along with a good-looking amr.
  if (!Array.isArray(claims.malformed) || claims.malformed.length > 0)
    return { ok: false, reason: 'malformed_evidence' };
  const acrAccepted = typeof claims.acr === 'string' && policy.acrValues.includes(claims.acr);
  if (claims.amrShowsMfa !== true && !acrAccepted) return null;
  return judge(
    {
      summary: summarize('claims', claims.authTime, claims.methods, now),
      allFactors: claims.allFactors === true || acrAccepted,
    },
    policy,
    now,
  );
}

function fromLedger(lookup: LedgerLookup, session: SessionIdentity, policy: MfaPolicy, now: number): Check | null {
  switch (lookup.status) {
    case 'missing':
      return null;
    case 'malformed':
      return { ok: false, reason: 'malformed_evidence' };
    case 'unavailable':
      return { ok: false, reason: 'ledger_unavailable' };
    case 'found': {
      const { entry } = lookup;
      if (!isLedgerEntry(entry)) return { ok: false, reason: 'malformed_evidence' };
      if (entry.userId !== session.userId) return { ok: false, reason: 'foreign_user' };
      if (entry.sessionId !== session.sessionId) return { ok: false, reason: 'foreign_session' };
      // A step-up proves the second factor only; only a re-authentication re-proves both.
      const allFactors =
        entry.source === 'reauthentication' && (entry.methods.includes('mfa') || categoriesOf(entry.methods).size >= 2);
      return judge({ summary: summarize('ledger', entry.verifiedAt, entry.methods, now), allFactors }, policy, now);
    }
    default:
      return { ok: false, reason: 'malformed_evidence' };
  }
}

/** A session is a user id and a session id (the token's `sub` and `sid`); anything else is no session. */
function isIdentity(session: SessionIdentity | null): session is SessionIdentity {
  return (
    typeof session?.userId === 'string' &&
    session.userId !== '' &&
    typeof session.sessionId === 'string' &&
    session.sessionId !== ''
  );
}

/** When the evidence was verified; evidence without a time ranks below any with one. */
function freshness(check: Extract<Check, { ok: true }>): number {
  return check.candidate.summary.verifiedAt ?? -1;
}

function stepUpFor(policy: MfaPolicy): StepUpRequirement {
  return {
    policy: policy.name,
    maxAge: policy.maxAge,
    methods: policy.methods,
    acrValues: policy.acrValues,
    requireAllFactors: policy.requireAllFactors,
  };
}

/**
 * Decides whether a session has MFA evidence that satisfies `policy` at time `now` (epoch seconds).
 *
 * @remarks Pure and fail-closed: no I/O, no clock, no environment. Missing, malformed, foreign, expired or
 * unreadable evidence and ledger failures are denials with a reason, never a pass. Evidence is honoured only
 * when bound to the session's `sid` and `sub`. Whatever the caller passes is checked, not trusted: a session
 * that is not an identity is `not_signed_in`; a policy not shaped as `defineMfaPolicy` makes it (see
 * `isMfaPolicy`) or a clock that is not a number is `policy_error`; evidence of the wrong shape is
 * `malformed_evidence`. IdP-asserted claims count only under a policy with `trustIdpMfa`.
 */
export function evaluate(input: EvidenceInput, policy: MfaPolicy | null, now: number): MfaDecision {
  const base = { decidedAt: now, session: input.session, policy };
  if (!isIdentity(input.session))
    return { ...base, allowed: false, outcome: 'deny', reason: 'not_signed_in', evidence: null, stepUp: null };
  if (!isMfaPolicy(policy) || !Number.isFinite(now))
    return { ...base, allowed: false, outcome: 'deny', reason: 'policy_error', evidence: null, stepUp: null };

  const checks: Check[] = [];
  if (policy.sources.includes('claims') && input.claims)
    checks.push(fromClaims(input.claims, policy, now) ?? { ok: false, reason: 'no_evidence' });
  if (policy.sources.includes('ledger') && input.ledger)
    checks.push(fromLedger(input.ledger, input.session, policy, now) ?? { ok: false, reason: 'no_evidence' });

  const passed = checks.filter((c): c is Extract<Check, { ok: true }> => c.ok);
  if (passed.length > 0) {
    // Several sources may pass; report the freshest evidence.
    const best = passed.reduce((a, b) => (freshness(b) > freshness(a) ? b : a));
    return {
      ...base,
      allowed: true,
      outcome: 'allow',
      reason: 'verified',
      evidence: best.candidate.summary,
      stepUp: null,
    };
  }

  // The most alarming failure wins (DENIAL_PRECEDENCE order); on a tie, the first check's evidence. One pass,
  // no closures: a step-up is decided as fast as an allow (docs/benchmarks.md).
  let reason: DecisionReason = 'no_evidence';
  let evidence: EvidenceSummary | null = null;
  let rank = Infinity;
  for (const check of checks) {
    if (check.ok) continue;
    const at = DENIAL_PRECEDENCE.indexOf(check.reason as (typeof DENIAL_PRECEDENCE)[number]);
    if (at < rank) {
      rank = at;
      reason = check.reason;
      evidence = check.candidate?.summary ?? null;
    }
  }
  const curable = reason !== 'ledger_unavailable';
  return {
    ...base,
    allowed: false,
    outcome: curable ? 'step_up' : 'deny',
    reason,
    evidence,
    stepUp: curable ? stepUpFor(policy) : null,
  };
}
