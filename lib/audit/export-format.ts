import { CSV_EOL, csvRow } from './csv';
import type { AuditRecord } from './record';

/** Output formats of an audit export. */
export type AuditExportFormat = 'json' | 'csv';

/** Columns of the CSV export, in order; list values are space-separated, `detail` is JSON. */
export const AUDIT_CSV_COLUMNS = [
  'id',
  'time',
  'type',
  'decision',
  'reason',
  'policy',
  'policy_max_age',
  'policy_methods',
  'policy_require_all_factors',
  'target',
  'session_id',
  'user_id',
  'organization_id',
  'evidence_source',
  'evidence_verified_at',
  'evidence_methods',
  'request_id',
  'ip',
  'user_agent',
  'detail',
] as const;

/** The CSV cells of one record, in {@link AUDIT_CSV_COLUMNS} order. */
export function auditCsvCells(r: AuditRecord): Array<string | number | boolean | null | undefined> {
  return [
    r.id,
    r.time,
    r.type,
    r.decision,
    r.reason,
    r.policy?.name,
    r.policy?.maxAge,
    r.policy?.methods.join(' '),
    r.policy?.requireAllFactors,
    r.target,
    r.sessionId,
    r.userId,
    r.organizationId,
    r.evidence?.source,
    r.evidence?.verifiedAt,
    r.evidence?.methods.join(' '),
    r.requestId,
    r.ip,
    r.userAgent,
    r.detail ? JSON.stringify(r.detail) : undefined,
  ];
}

/**
 * Streams an export: CSV (RFC 4180, CRLF line ends, exactly one header row, also for an empty range) or a
 * JSON array with one record per line. Yields text chunks to write in order.
 * @example
 * ```ts
 * for await (const chunk of formatAuditExport(readAuditRecords(source, query), 'csv')) process.stdout.write(chunk);
 * ```
 */
export async function* formatAuditExport(
  records: AsyncIterable<AuditRecord> | Iterable<AuditRecord>,
  format: AuditExportFormat,
): AsyncGenerator<string> {
  if (format === 'csv') {
    yield csvRow(AUDIT_CSV_COLUMNS) + CSV_EOL;
    for await (const record of records) yield csvRow(auditCsvCells(record)) + CSV_EOL;
    return;
  }
  let first = true;
  yield '[';
  for await (const record of records) {
    yield `${first ? '\n' : ',\n'}${JSON.stringify(record)}`;
    first = false;
  }
  yield first ? ']\n' : '\n]\n';
}

/** {@link formatAuditExport} into one string (small exports, tests, pages). */
export async function auditExportText(
  records: AsyncIterable<AuditRecord> | Iterable<AuditRecord>,
  format: AuditExportFormat,
): Promise<string> {
  let out = '';
  for await (const chunk of formatAuditExport(records, format)) out += chunk;
  return out;
}
