/**
 * `authkit-session-mfa/audit` — audit sinks and export, Edge-safe: JSON lines on stdout, WorkOS Audit Logs,
 * reading a time range back from the Redis Stream, and CSV/JSON formatting for auditors.
 * The stream sinks live in `authkit-session-mfa/audit/upstash` (Edge) and `authkit-session-mfa/audit/redis` (Node).
 * @packageDocumentation
 */
export { AUDIT_EVENT_TYPES, eventRecord, decisionRecord, ledgerRecord, type AuditContext, type AuditDetailValue, type AuditEventFields, type AuditEventType, type AuditRecord, type AuditSink } from './record';
export { createAuditTrail, DEFAULT_AUDIT_SINK_TIMEOUT_MS, type AuditTrail, type AuditTrailOptions } from './trail';
export { createJsonLinesSink, toJsonLine, type JsonLinesSinkOptions } from './json-lines';
export {
  createWorkosAuditLogSink,
  toWorkosAuditLogEvent,
  workosAuditAction,
  type WorkosAuditLogEvent,
  type WorkosAuditLogSink,
  type WorkosAuditLogSinkOptions,
  type WorkosAuditLogStats,
  type WorkosAuditLogsClient,
  type WorkosAuditSkipReason,
} from './workos-audit-logs';
export { withRetry, type RetryOptions } from './retry';
export { AUDIT_STREAM_FIELD, DEFAULT_AUDIT_STREAM_KEY, DEFAULT_AUDIT_STREAM_MAX_LEN, parseAuditRecord, streamIdFrom, streamIdUntil, type AuditStreamSinkOptions } from './stream-format';
export { collectAuditRecords, readAuditRecords, type AuditStreamEntry, type AuditStreamSource, type ReadAuditOptions } from './stream-reader';
export { matchesAuditQuery, type AuditQuery } from './query';
export { AUDIT_CSV_COLUMNS, auditCsvCells, auditExportText, formatAuditExport, type AuditExportFormat } from './export-format';
export { csvField, csvRow, CSV_EOL } from './csv';
