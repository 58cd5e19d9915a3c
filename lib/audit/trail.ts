import { withDeadline } from '../io/deadline';
import type { AuditRecord, AuditSink } from './record';

/** Fans records out to several sinks. */
export interface AuditTrail {
  /** Writes to every sink; never rejects. Resolves once every sink has settled (or timed out). */
  write(record: AuditRecord): Promise<void>;
}

/** Default budget of one sink write, retries included, in milliseconds. */
export const DEFAULT_AUDIT_SINK_TIMEOUT_MS = 10_000;

/** Options of {@link createAuditTrail}. */
export interface AuditTrailOptions {
  /**
   * Called when a sink fails (after its own retries) or exceeds `timeoutMs`.
   * @default a stderr line with the sink name, record id and error message — at most one per sink and minute
   */
  readonly onSinkError?: (sink: string, error: unknown, record: AuditRecord) => void;
  /**
   * Budget of one sink write in milliseconds; a slower sink is reported as failed so a hung connection
   * cannot hold a request's deferred work open forever. (The write itself may still land later.)
   * @default 10000
   */
  readonly timeoutMs?: number;
}

/** Least time between two default error lines for one sink, in milliseconds. */
const REPORT_INTERVAL_MS = 60_000;

/**
 * The default reporter: one stderr line per sink and minute at most, counting the failures in between, so an
 * outage is visible without flooding the log with a line per request.
 */
function throttledReporter(now: () => number = Date.now): (sink: string, error: unknown, record: AuditRecord) => void {
  const state = new Map<string, { last: number; suppressed: number }>();
  return (sink, error, record) => {
    const entry = state.get(sink);
    if (entry && now() - entry.last < REPORT_INTERVAL_MS) {
      entry.suppressed += 1;
      return;
    }
    const more = entry && entry.suppressed > 0 ? ` (${entry.suppressed} more failures since the last report)` : '';
    state.set(sink, { last: now(), suppressed: 0 });
    // Only the sink, record id and message: never the record's contents beyond identifiers.
    console.error(
      `[session-mfa] audit sink "${sink}" failed for record ${record.id}: ${error instanceof Error ? error.message : String(error)}${more}`,
    );
  };
}

/**
 * An audit trail over several sinks. A failing sink is reported and never affects the others or the
 * decision being recorded.
 * @example
 * ```ts title="mfa.config.ts"
 * const trail = createAuditTrail([createJsonLinesSink(), upstashAuditSink(redis)], { onSinkError: report });
 * ```
 */
export function createAuditTrail(sinks: readonly AuditSink[], options: AuditTrailOptions = {}): AuditTrail {
  const onSinkError = options.onSinkError ?? throttledReporter();
  const timeoutMs = options.timeoutMs ?? DEFAULT_AUDIT_SINK_TIMEOUT_MS;
  return {
    async write(record) {
      await Promise.all(
        sinks.map(async (sink) => {
          try {
            await withDeadline(() => sink.write(record), timeoutMs);
          } catch (error) {
            try {
              onSinkError(sink.name, error, record);
            } catch {
              // A throwing reporter must not turn into an unhandled rejection of deferred work.
            }
          }
        }),
      );
    },
  };
}
