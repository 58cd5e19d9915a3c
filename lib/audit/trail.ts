import { withDeadline } from '../ledger/deadline';
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
  /** Called when a sink fails (after its own retries) or exceeds `timeoutMs`. @default logs the sink name and error message to stderr */
  readonly onSinkError?: (sink: string, error: unknown, record: AuditRecord) => void;
  /**
   * Budget of one sink write in milliseconds; a slower sink is reported as failed so a hung connection
   * cannot hold a request's deferred work open forever. (The write itself may still land later.)
   * @default 10000
   */
  readonly timeoutMs?: number;
}

function defaultOnSinkError(sink: string, error: unknown, record: AuditRecord): void {
  // Only the sink, record id and message: never the record's contents beyond identifiers.
  console.error(`[session-mfa] audit sink "${sink}" failed for record ${record.id}: ${error instanceof Error ? error.message : String(error)}`);
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
  const onSinkError = options.onSinkError ?? defaultOnSinkError;
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
