/**
 * `authkit-session-mfa/audit` — audit sinks and export, Edge-safe: JSON lines on stdout, WorkOS Audit Logs,
 * reading a time range back from a Redis Stream, and CSV/JSON formatting for auditors. The stream sinks and
 * sources themselves come with their client: `authkit-session-mfa/upstash`, `authkit-session-mfa/redis`.
 * @packageDocumentation
 */
export type { AuditEventType, AuditRecord, AuditSink } from './audit/record';
export { createJsonLinesSink } from './audit/json-lines';
export { createWorkosAuditLogSink } from './audit/workos-audit-logs';
export { DEFAULT_AUDIT_STREAM_KEY } from './audit/stream-format';
export { collectAuditRecords, readAuditRecords } from './audit/stream-reader';
export type { AuditQuery } from './audit/query';
export { formatAuditExport } from './audit/export-format';
