import { readMfaClaims, readSessionIdentity, type ClaimOptions } from './core/claims';
import type { MfaDecision } from './core/decision';
import { evaluate, type EvidenceInput } from './core/evaluate';
import type { LedgerEntry } from './core/ledger-entry';
import type { LedgerLookup } from './core/ledger-lookup';
import { MfaConfigError } from './core/errors';
import { resolvePolicy, type PolicySpec } from './core/policy';
import { DEFAULT_STEP_UP_PATH } from './core/return-to';
import { decisionRecord, ledgerRecord, type AuditContext, type AuditRecord, type AuditSink } from './audit/record';
import { createAuditTrail, type AuditTrail } from './audit/trail';
import type { SessionLedger } from './ledger/ledger';

/** Options of {@link createSessionMfa}. */
export interface SessionMfaOptions {
  /** Ledger of step-up verifications; `null` trusts token claims only. @default null */
  readonly ledger?: SessionLedger | null;
  /** How MFA claims are read from the access token. */
  readonly claims?: ClaimOptions;
  /** Path of the step-up page. @default '/step-up' */
  readonly stepUpPath?: string;
  /** Audit sinks (or a ready trail) receiving one record per decision and ledger change. @default [] */
  readonly audit?: AuditTrail | readonly AuditSink[];
  /**
   * Runs audit writes off the request's critical path, e.g. Next's `after`. @default fire-and-forget
   * @remarks Audit writes never delay or change a decision; failures go to the trail's `onSinkError`.
   */
  readonly defer?: (task: Promise<void>) => void;
  /** Clock in epoch seconds; injectable for tests and simulations. @default Date.now() / 1000 */
  readonly now?: () => number;
}

/** The configured enforcement engine shared by middleware, route handlers, server actions and pages. */
export interface SessionMfa {
  readonly stepUpPath: string;
  readonly ledger: SessionLedger | null;
  /** Current time in epoch seconds, from the configured clock. */
  now(): number;
  /**
   * Decides whether the session of a **verified** access-token payload satisfies `policy`, and audits the
   * decision. The ledger is read only when the token's claims do not already satisfy the policy.
   */
  decide(payload: unknown, policy: PolicySpec, context: AuditContext): Promise<MfaDecision>;
  /** Decisions under several named policies from one ledger read, without audit (for status displays). */
  status<K extends string>(
    payload: unknown,
    policies: Readonly<Record<K, PolicySpec>>,
  ): Promise<Record<K, MfaDecision>>;
  /**
   * Records that the session completed MFA, and audits it.
   * @throws LedgerUnavailableError when the write fails: the step-up has then failed and must say so.
   */
  recordVerification(entry: LedgerEntry, context: AuditContext & { reason: string }): Promise<void>;
  /**
   * The ledger entry of a session, `found` only when it is bound to both that session and that user — the
   * one place that rule is applied outside a decision. No ledger: `missing`.
   */
  verificationOf(session: { sessionId: string; userId: string }): Promise<LedgerLookup>;
  /** Removes a session's ledger entry (sign-out, revocation, factor removal), and audits it. */
  removeVerification(
    session: { sessionId: string; userId: string },
    context: AuditContext & { reason: string },
  ): Promise<boolean>;
  /** Writes an audit record through the configured sinks (deferred like decisions). */
  audit(record: AuditRecord): void;
}

/** The trail of the configured sinks; `null` when there are none, so no record is ever built for nothing. */
function toTrail(audit: SessionMfaOptions['audit']): AuditTrail | null {
  if (!audit) return null;
  if (Array.isArray(audit)) return audit.length > 0 ? createAuditTrail(audit as readonly AuditSink[]) : null;
  return audit as AuditTrail;
}

/**
 * Creates the engine. Edge-safe when its ledger is (Upstash or memory).
 * @example
 * ```ts title="mfa.config.ts"
 * export const sessionMfa = createSessionMfa({ ledger: createSessionLedger({ store: upstashStore(redis) }) });
 * ```
 */
export function createSessionMfa(options: SessionMfaOptions = {}): SessionMfa {
  const ledger = options.ledger ?? null;
  const trail = toTrail(options.audit);
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  const defer = options.defer ?? ((task: Promise<void>) => void task);
  // Records are built only when a sink will receive them: on the per-request path, an id, a timestamp and
  // copies of the evidence cost more than the decision itself (measured in docs/benchmarks.md).
  const auditLazily = (build: () => AuditRecord) => void (trail && defer(trail.write(build())));
  const audit = (record: AuditRecord) => auditLazily(() => record);

  /** The token's own evidence. Synchronous: the claims path must not pay for promises it does not need. */
  function fromToken(payload: unknown): EvidenceInput {
    const session = readSessionIdentity(payload);
    return session ? { session, claims: readMfaClaims(payload, options.claims) } : { session: null };
  }

  /** `evidence` plus the ledger's entry for its session (one store read), when there is a ledger. */
  async function withLedger(evidence: EvidenceInput): Promise<EvidenceInput> {
    if (!evidence.session || !ledger) return evidence;
    return { ...evidence, ledger: await ledger.lookup(evidence.session.sessionId) };
  }

  return {
    stepUpPath: options.stepUpPath ?? DEFAULT_STEP_UP_PATH,
    ledger,
    now,
    async decide(payload, spec, context) {
      const at = now();
      const claimsOnly = fromToken(payload);
      // A signed-out decision still names a static policy in its audit record; a resolver needs a session.
      const policy = claimsOnly.session
        ? resolvePolicy(spec, claimsOnly.session)
        : typeof spec === 'function'
          ? null
          : spec;
      let decision = evaluate(claimsOnly, policy, at);
      // Zero round trips when the token already proves MFA; one ledger read otherwise.
      if (!decision.allowed && decision.reason !== 'not_signed_in' && policy?.sources.includes('ledger') && ledger) {
        decision = evaluate(await withLedger(claimsOnly), policy, at);
      }
      auditLazily(() => decisionRecord(decision, context));
      return decision;
    },
    async status(payload, policies) {
      const at = now();
      const evidence = await withLedger(fromToken(payload));
      const out = {} as Record<keyof typeof policies, MfaDecision>;
      for (const name of Object.keys(policies) as (keyof typeof policies)[]) {
        out[name] = evaluate(evidence, evidence.session ? resolvePolicy(policies[name], evidence.session) : null, at);
      }
      return out;
    },
    async recordVerification(entry, context) {
      if (!ledger)
        throw new MfaConfigError(
          'ERR_MFA_CONFIG_INVALID',
          'ledger',
          'recordVerification needs a ledger: pass `ledger` to createSessionMfa().',
        );
      try {
        await ledger.record(entry);
      } catch (error) {
        // A timed-out write may still land later: the trail must show the attempt either way.
        auditLazily(() =>
          ledgerRecord('ledger.unconfirmed', entry, {
            ...context,
            reason: `record_failed:${context.reason}`,
            now: now(),
          }),
        );
        throw error;
      }
      auditLazily(() => ledgerRecord('ledger.recorded', entry, { ...context, now: now() }));
    },
    async verificationOf(session) {
      if (!ledger) return { status: 'missing' };
      const found = await ledger.lookup(session.sessionId);
      if (found.status !== 'found') return found;
      return found.entry.sessionId === session.sessionId && found.entry.userId === session.userId
        ? found
        : { status: 'missing' };
    },
    async removeVerification(session, context) {
      if (!ledger) return false;
      let removed: boolean;
      try {
        removed = await ledger.remove(session.sessionId);
      } catch (error) {
        auditLazily(() =>
          ledgerRecord('ledger.unconfirmed', session, {
            ...context,
            reason: `remove_failed:${context.reason}`,
            now: now(),
          }),
        );
        throw error;
      }
      auditLazily(() =>
        ledgerRecord('ledger.removed', session, { ...context, detail: { ...context.detail, removed }, now: now() }),
      );
      return removed;
    },
    audit,
  };
}
