import type { EvidenceSource, MfaPolicy } from './policy';
import type { SessionIdentity } from './claims';

/**
 * Why a decision came out as it did. Stable: safe to branch on, log and show in audit exports.
 * - `verified` — allowed: evidence bound to this session satisfies the policy.
 * - `not_signed_in` — no verified session (401, not a step-up).
 * - `no_evidence` — this session never completed MFA.
 * - `stale` — MFA happened, but longer ago than the policy's `maxAge`.
 * - `missing_timestamp` — MFA evidence has no usable time, so `maxAge` cannot be checked.
 * - `method_not_accepted` — MFA used none of the methods the policy demands (e.g. `hwk`).
 * - `factors_not_reproven` — the policy demands both factors re-proven together; only one was.
 * - `foreign_session` — a ledger entry is bound to another session id.
 * - `foreign_user` — a ledger entry is bound to another user.
 * - `malformed_evidence` — evidence is present but unusable (corrupt entry, bad claim, future timestamp).
 * - `ledger_unavailable` — the ledger failed or timed out; never a pass.
 * - `policy_error` — the policy resolver failed; never a pass.
 */
export type DecisionReason =
  | 'verified'
  | 'not_signed_in'
  | 'no_evidence'
  | 'stale'
  | 'missing_timestamp'
  | 'method_not_accepted'
  | 'factors_not_reproven'
  | 'foreign_session'
  | 'foreign_user'
  | 'malformed_evidence'
  | 'ledger_unavailable'
  | 'policy_error';

/** Every reason code, in the order denials are reported when several apply (most alarming first). */
export const DENIAL_PRECEDENCE: readonly Exclude<DecisionReason, 'verified'>[] = [
  'not_signed_in',
  'policy_error',
  'foreign_user',
  'foreign_session',
  'ledger_unavailable',
  'malformed_evidence',
  'method_not_accepted',
  'factors_not_reproven',
  'missing_timestamp',
  'stale',
  'no_evidence',
];

/** `allow` passes; `step_up` can be cured by proving MFA now; `deny` cannot (sign in, or retry later). */
export type DecisionOutcome = 'allow' | 'step_up' | 'deny';

/** The evidence a decision rests on (the one that passed, or the best one that failed). */
export interface EvidenceSummary {
  readonly source: EvidenceSource;
  /** Epoch seconds, or `null` when the evidence carries no usable time. */
  readonly verifiedAt: number | null;
  readonly methods: readonly string[];
  /** `now - verifiedAt`, floored at 0; `null` without `verifiedAt`. */
  readonly ageSeconds: number | null;
}

/** What a step-up must prove to satisfy the policy (mirrors RFC 9470's `max_age` / `acr_values`). */
export interface StepUpRequirement {
  readonly policy: string;
  readonly maxAge: number | null;
  readonly methods: readonly string[];
  readonly acrValues: readonly string[];
  readonly requireAllFactors: boolean;
}

/** The result of {@link evaluate}: a plain, serializable value. */
export interface MfaDecision {
  readonly allowed: boolean;
  readonly outcome: DecisionOutcome;
  readonly reason: DecisionReason;
  /** The policy applied (`null` when it could not be resolved). */
  readonly policy: MfaPolicy | null;
  readonly evidence: EvidenceSummary | null;
  readonly session: SessionIdentity | null;
  /** Present when `outcome` is `step_up`. */
  readonly stepUp: StepUpRequirement | null;
  /** The `now` the decision was taken at (epoch seconds). */
  readonly decidedAt: number;
}

/** Human-readable explanation of a reason, safe to show users and to put in `error_description`. */
export const REASON_DESCRIPTIONS: Readonly<Record<DecisionReason, string>> = {
  verified: 'Multi-factor authentication was completed for this session recently enough.',
  not_signed_in: 'You are not signed in.',
  no_evidence: 'This session has not completed multi-factor authentication.',
  stale: 'Multi-factor authentication for this session is too old for this action.',
  missing_timestamp: 'The multi-factor authentication evidence has no usable time.',
  method_not_accepted: 'This action needs a different authentication method.',
  factors_not_reproven: 'This action needs a full sign-in with both factors.',
  foreign_session: 'The multi-factor authentication evidence belongs to another session.',
  foreign_user: 'The multi-factor authentication evidence belongs to another user.',
  malformed_evidence: 'The multi-factor authentication evidence is unreadable.',
  ledger_unavailable: 'Multi-factor authentication status cannot be checked right now; try again shortly.',
  policy_error: 'The multi-factor authentication policy could not be applied.',
};
