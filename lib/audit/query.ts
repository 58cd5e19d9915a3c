import type { DecisionOutcome } from '../core/decision';
import type { AuditEventType, AuditRecord } from './record';

/** Which records to read: a time range plus optional exact-match filters. */
export interface AuditQuery {
  /** Earliest record time, inclusive (Date or epoch milliseconds). */
  readonly since: Date | number;
  /** Latest record time, exclusive (Date or epoch milliseconds). @default now */
  readonly until?: Date | number;
  readonly userId?: string;
  readonly organizationId?: string;
  readonly sessionId?: string;
  readonly type?: AuditEventType;
  readonly decision?: DecisionOutcome;
  /** Stop after this many matching records. @default no limit */
  readonly limit?: number;
}

/** Epoch milliseconds of a query bound. */
export function toMs(value: Date | number): number {
  return value instanceof Date ? value.getTime() : value;
}

/** `true` when `record` falls in the query's time range and passes every given filter. */
export function matchesAuditQuery(record: AuditRecord, query: AuditQuery, nowMs: number = Date.now()): boolean {
  const t = Date.parse(record.time);
  if (!(t >= toMs(query.since)) || !(t < toMs(query.until ?? nowMs))) return false;
  if (query.userId !== undefined && record.userId !== query.userId) return false;
  if (query.organizationId !== undefined && record.organizationId !== query.organizationId) return false;
  if (query.sessionId !== undefined && record.sessionId !== query.sessionId) return false;
  if (query.type !== undefined && record.type !== query.type) return false;
  if (query.decision !== undefined && record.decision !== query.decision) return false;
  return true;
}
