import type { DecisionOutcome, DecisionReason, MfaDecision } from '../core/decision';
import type { LedgerEntry } from '../core/ledger-entry';

/**
 * Every kind of audit record. `ledger.unconfirmed`: a ledger write or removal failed or timed out, so it may
 * or may not have taken effect. `enrollment.*`: a step of factor enrollment (`createFactorEnrollment`);
 * `step_up.unlocked`: support reset a user's step-up attempts.
 */
export const AUDIT_EVENT_TYPES = [
  'decision',
  'ledger.recorded',
  'ledger.removed',
  'ledger.unconfirmed',
  'step_up.failed',
  'webhook.uncorrelated',
  'webhook.rejected',
  'factor.deleted',
  'enrollment.email_sent',
  'enrollment.email_proved',
  'enrollment.started',
  'enrollment.confirmed',
  'enrollment.abandoned',
  'enrollment.refused',
  'step_up.unlocked',
] as const;

/** What an audit record is about. */
export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

/**
 * One structured audit record. Carries identifiers and facts only: never a token, cookie, code or secret.
 * Times are ISO 8601 (UTC) so exports read well; `verifiedAt` keeps the evidence's own time.
 */
export interface AuditRecord {
  /** Unique id of the record (for de-duplication in sinks). */
  readonly id: string;
  readonly type: AuditEventType;
  readonly time: string;
  /** For decisions: allow / step_up / deny. */
  readonly decision?: DecisionOutcome;
  readonly reason?: DecisionReason | string;
  readonly policy?: {
    readonly name: string;
    readonly maxAge: number | null;
    readonly methods: readonly string[];
    readonly requireAllFactors: boolean;
  };
  /** Route (`GET /api/admin/report`) or server action name the decision guarded. */
  readonly target?: string;
  readonly sessionId?: string;
  readonly userId?: string;
  readonly organizationId?: string;
  readonly evidence?: {
    readonly source: string;
    readonly verifiedAt: string | null;
    readonly methods: readonly string[];
  };
  readonly requestId?: string;
  /** Client IP address of the request, when the caller supplied it (WorkOS Audit Logs' `context.location`). */
  readonly ip?: string;
  /** Client user agent of the request, when the caller supplied it. */
  readonly userAgent?: string;
  /** Free-form, non-secret details (e.g. the ledger adapter, the webhook event id). */
  readonly detail?: Readonly<Record<string, AuditDetailValue>>;
}

/** A value allowed in {@link AuditRecord.detail}: flat, so every sink (CSV, WorkOS metadata) can carry it. */
export type AuditDetailValue = string | number | boolean | null;

/** Where audit records go. `write` may reject; the trail reports the failure and never changes a decision. */
export interface AuditSink {
  readonly name: string;
  write(record: AuditRecord): Promise<void>;
}

/** Context of the request a record belongs to. */
export interface AuditContext {
  readonly target: string;
  readonly requestId?: string;
  /** Client IP address, if known; copied into the record. */
  readonly ip?: string;
  /** Client user agent, if known; copied into the record. */
  readonly userAgent?: string;
  /** Extra non-secret facts copied into the record's `detail` (e.g. `{ eventId }`, `{ factorId }`). */
  readonly detail?: Readonly<Record<string, AuditDetailValue>>;
}

/** The optional request facts of a context, spread into a record (absent fields stay absent). */
function contextFields(context: AuditContext): Pick<AuditRecord, 'requestId' | 'ip' | 'userAgent' | 'detail'> {
  return {
    ...(context.requestId ? { requestId: context.requestId } : {}),
    ...(context.ip ? { ip: context.ip } : {}),
    ...(context.userAgent ? { userAgent: context.userAgent } : {}),
    ...(context.detail && Object.keys(context.detail).length > 0 ? { detail: { ...context.detail } } : {}),
  };
}

function iso(epochSeconds: number | null): string | null {
  return epochSeconds === null ? null : new Date(epochSeconds * 1000).toISOString();
}

function newId(): string {
  return crypto.randomUUID();
}

/** The audit record of one enforcement decision. */
export function decisionRecord(decision: MfaDecision, context: AuditContext): AuditRecord {
  const { policy, session, evidence } = decision;
  return {
    id: newId(),
    type: 'decision',
    time: new Date(decision.decidedAt * 1000).toISOString(),
    decision: decision.outcome,
    reason: decision.reason,
    ...(policy
      ? {
          policy: {
            name: policy.name,
            maxAge: policy.maxAge,
            methods: policy.methods,
            requireAllFactors: policy.requireAllFactors,
          },
        }
      : {}),
    target: context.target,
    ...(session
      ? {
          sessionId: session.sessionId,
          userId: session.userId,
          ...(session.organizationId ? { organizationId: session.organizationId } : {}),
        }
      : {}),
    ...(evidence
      ? { evidence: { source: evidence.source, verifiedAt: iso(evidence.verifiedAt), methods: evidence.methods } }
      : {}),
    ...contextFields(context),
  };
}

/** The audit record of a ledger write or removal. */
export function ledgerRecord(
  type: 'ledger.recorded' | 'ledger.removed' | 'ledger.unconfirmed',
  entry: Pick<LedgerEntry, 'sessionId' | 'userId'> & Partial<LedgerEntry>,
  context: AuditContext & { reason: string; now: number },
): AuditRecord {
  return {
    id: newId(),
    type,
    time: new Date(context.now * 1000).toISOString(),
    reason: context.reason,
    target: context.target,
    sessionId: entry.sessionId,
    userId: entry.userId,
    ...(entry.organizationId ? { organizationId: entry.organizationId } : {}),
    ...(entry.verifiedAt !== undefined && entry.source
      ? {
          evidence: {
            source: `ledger:${entry.source}`,
            verifiedAt: iso(entry.verifiedAt),
            methods: entry.methods ?? [],
          },
        }
      : {}),
    ...contextFields(context),
    ...(entry.factorId || entry.challengeId
      ? {
          detail: {
            ...context.detail,
            ...(entry.factorId ? { factorId: entry.factorId } : {}),
            ...(entry.challengeId ? { challengeId: entry.challengeId } : {}),
          },
        }
      : {}),
  };
}

/** Facts of an audit record that is neither a decision nor a ledger change (webhooks, failed step-ups). */
export interface AuditEventFields extends AuditContext {
  readonly type: Exclude<AuditEventType, 'decision' | 'ledger.recorded' | 'ledger.removed'>;
  /** A stable, machine-readable reason code, e.g. `no_session_id`. */
  readonly reason: string;
  /** Time of the event in epoch seconds. */
  readonly now: number;
  readonly sessionId?: string;
  readonly userId?: string;
  readonly organizationId?: string;
}

/**
 * The audit record of any other event: a webhook that could not be tied to a session
 * (`webhook.uncorrelated`), one that was refused (`webhook.rejected`), a failed step-up.
 * @example
 * ```ts
 * sessionMfa.audit(eventRecord({ type: 'webhook.uncorrelated', reason: 'no_session_id', target: 'webhook authentication.mfa_succeeded', userId, now }));
 * ```
 */
export function eventRecord(fields: AuditEventFields): AuditRecord {
  return {
    id: newId(),
    type: fields.type,
    time: new Date(fields.now * 1000).toISOString(),
    reason: fields.reason,
    target: fields.target,
    ...(fields.sessionId ? { sessionId: fields.sessionId } : {}),
    ...(fields.userId ? { userId: fields.userId } : {}),
    ...(fields.organizationId ? { organizationId: fields.organizationId } : {}),
    ...contextFields(fields),
  };
}
