import { matchesAuditQuery, toMs, type AuditQuery } from './query';
import type { AuditRecord } from './record';
import { parseAuditRecord, streamIdFrom, streamIdUntil } from './stream-format';

/** One stream entry as read back: its id and the stored record (JSON text, or already parsed). */
export interface AuditStreamEntry {
  readonly id: string;
  readonly record: unknown;
}

/** What {@link readAuditRecords} needs from a Redis Stream: `XRANGE key start end COUNT n`. */
export interface AuditStreamSource {
  readonly name: string;
  /** Entries with ids in `[start, end]` (`(` prefix = exclusive), oldest first, at most `count`. */
  range(start: string, end: string, count: number): Promise<readonly AuditStreamEntry[]>;
  /** `XREVRANGE key end start COUNT n`: ids in `[start, end]` (`(` prefix = exclusive), newest first. */
  revRange(end: string, start: string, count: number): Promise<readonly AuditStreamEntry[]>;
}

/** Options of {@link readAuditRecords}. */
export interface ReadAuditOptions {
  /**
   * How far a stream id (the time Redis stored the entry) may lie from the record's own time, in
   * milliseconds: audit writes are deferred and retried, and Redis's clock is not the app's. The range read
   * is widened by this much and then filtered on the record time exactly.
   * @default 300000 (5 min)
   */
  readonly slackMs?: number;
  /** Entries per XRANGE call. @default 500 */
  readonly pageSize?: number;
  /** Clock for an open-ended `until`, in epoch milliseconds. @default Date.now */
  readonly now?: () => number;
  /** Newest first (XREVRANGE), e.g. for "the 100 most recent records". @default false (oldest first) */
  readonly newestFirst?: boolean;
}

/**
 * Reads the records of a time range from the audit stream (oldest first unless `newestFirst`), filtered by `query`. The stream
 * is scanned with XRANGE between the ids of `since - slack` and `until + slack`, page by page; records are
 * then matched on their own `time`. A record stored twice (a retried XADD) is returned once; unreadable
 * entries are skipped.
 * @example
 * ```ts title="scripts/audit-export.ts"
 * for await (const record of readAuditRecords(redisAuditSource(redis), { since: Date.parse('2026-11-01'), userId })) …
 * ```
 */
export async function* readAuditRecords(
  source: AuditStreamSource,
  query: AuditQuery,
  options: ReadAuditOptions = {},
): AsyncGenerator<AuditRecord> {
  const { slackMs = 300_000, pageSize = 500, now = Date.now, newestFirst = false } = options;
  const nowMs = now();
  const bounded = { ...query, until: query.until ?? nowMs };
  const seen = new Set<string>();
  let start = streamIdFrom(toMs(bounded.since) - slackMs);
  let end = streamIdUntil(toMs(bounded.until) + slackMs);
  let found = 0;
  for (;;) {
    const page = newestFirst ? await source.revRange(end, start, pageSize) : await source.range(start, end, pageSize);
    for (const entry of page) {
      const record = parseAuditRecord(entry.record);
      if (!record || seen.has(record.id) || !matchesAuditQuery(record, bounded, nowMs)) continue;
      seen.add(record.id);
      yield record;
      if (query.limit !== undefined && ++found >= query.limit) return;
    }
    const last = page.at(-1);
    if (!last || page.length < pageSize) return;
    if (newestFirst) end = `(${last.id}`;
    else start = `(${last.id}`;
  }
}

/** {@link readAuditRecords} collected into an array. */
export async function collectAuditRecords(
  source: AuditStreamSource,
  query: AuditQuery,
  options: ReadAuditOptions = {},
): Promise<AuditRecord[]> {
  const out: AuditRecord[] = [];
  for await (const record of readAuditRecords(source, query, options)) out.push(record);
  return out;
}
