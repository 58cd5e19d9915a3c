import { parseArgs } from 'node:util';
import { parseDuration, type Duration } from '../lib/core/duration';
import type { AuditQuery } from '../lib/audit/query';
import type { AuditExportFormat } from '../lib/audit/export-format';
import { DEFAULT_AUDIT_STREAM_KEY } from '../lib/audit/stream-format';
import { AUDIT_EVENT_TYPES } from '../lib/audit/record';

/** Usage text of `npm run audit:export`. */
export const AUDIT_EXPORT_USAGE = `Export session-MFA audit records from the Redis Stream.

  npm run audit:export -- --since <time> [--until <time>] [--user <id>] [--org <id>] [--format json|csv]

Times: ISO 8601 (2026-11-28, 2026-11-28T10:00:00Z), "now", or a span back from now (30m, 12h, 7d).
The range is [since, until). Reads REDIS_URL, or UPSTASH_REDIS_REST_URL + UPSTASH_REDIS_REST_TOKEN.

Options:
  --since <time>      start of the range, inclusive (required)
  --until <time>      end of the range, exclusive (default: now)
  --user <id>         only records of this WorkOS user id
  --org <id>          only records of this organization id
  --sid <id>          only records of this session id
  --type <type>       only records of this type (decision, ledger.recorded, ledger.removed, webhook.uncorrelated, …)
  --decision <d>      only decisions with this outcome (allow, step_up, deny)
  --format <f>        json (an array, one record per line) or csv (RFC 4180, one header row); default json
  --stream <key>      stream key (default ${DEFAULT_AUDIT_STREAM_KEY}, or $MFA_AUDIT_STREAM_KEY)
  --help`;

/** What the export was asked for. */
export interface AuditExportRequest {
  readonly query: AuditQuery & { readonly until: number };
  readonly format: AuditExportFormat;
  readonly streamKey: string;
}

/** A bad command line; the message says what to fix. */
export class AuditExportUsageError extends Error {
  override name = 'AuditExportUsageError';
}

/** Parses a time argument to epoch milliseconds: ISO 8601, `now`, or a span back from `nowMs`. */
export function parseExportTime(value: string, option: string, nowMs: number): number {
  if (value === 'now') return nowMs;
  if (/^\d{1,9}[smhd]$/.test(value)) return nowMs - parseDuration(value as Duration, option) * 1000;
  // Only ISO-looking input: Date.parse accepts many locale formats an auditor would not mean.
  const ms = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms))
    throw new AuditExportUsageError(
      `--${option} "${value}" is not a time: use ISO 8601 (2026-11-28T10:00:00Z), "now" or a span such as 12h.`,
    );
  return ms;
}

const DECISIONS = ['allow', 'step_up', 'deny'] as const;

function oneOf<T extends string>(value: string | undefined, option: string, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T))
    throw new AuditExportUsageError(`--${option} must be one of ${allowed.join(', ')}, got "${value}".`);
  return value as T;
}

/**
 * Parses `argv` (without `node script`) into an export request; `'help'` for `--help`.
 * @throws AuditExportUsageError for a missing `--since`, a bad time, an empty range or an unknown option.
 */
export function parseExportArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  nowMs: number,
): AuditExportRequest | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      options: {
        since: { type: 'string' },
        until: { type: 'string' },
        user: { type: 'string' },
        org: { type: 'string' },
        sid: { type: 'string' },
        type: { type: 'string' },
        decision: { type: 'string' },
        format: { type: 'string', default: 'json' },
        stream: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    throw new AuditExportUsageError((error as Error).message);
  }
  if (values.help) return 'help';
  if (!values.since) throw new AuditExportUsageError('--since is required (e.g. --since 24h or --since 2026-11-01).');
  const since = parseExportTime(values.since, 'since', nowMs);
  const until = values.until === undefined ? nowMs : parseExportTime(values.until, 'until', nowMs);
  if (!(since < until)) throw new AuditExportUsageError('--since must be before --until.');
  const format = oneOf(values.format, 'format', ['json', 'csv'] as const) ?? 'json';
  const type = oneOf(values.type, 'type', AUDIT_EVENT_TYPES);
  const decision = oneOf(values.decision, 'decision', DECISIONS);
  return {
    query: {
      since,
      until,
      ...(values.user ? { userId: values.user } : {}),
      ...(values.org ? { organizationId: values.org } : {}),
      ...(values.sid ? { sessionId: values.sid } : {}),
      ...(type ? { type } : {}),
      ...(decision ? { decision } : {}),
    },
    format,
    streamKey: values.stream ?? env.MFA_AUDIT_STREAM_KEY ?? DEFAULT_AUDIT_STREAM_KEY,
  };
}
