import type { AuditRecord, AuditSink } from './record';

/** Fans records out to several sinks. */
export interface AuditTrail {
  /** Writes to every sink; never rejects. Resolves once every sink has settled. */
  write(record: AuditRecord): Promise<void>;
}

/** Options of {@link createAuditTrail}. */
export interface AuditTrailOptions {
  /** Called when a sink fails (after its own retries). @default logs the sink name and error message to stderr */
  readonly onSinkError?: (sink: string, error: unknown, record: AuditRecord) => void;
}

function defaultOnSinkError(sink: string, error: unknown, record: AuditRecord): void {
  // Only the sink, record id and message: never the record's contents beyond identifiers.
  console.error(`[session-mfa] audit sink "${sink}" failed for record ${record.id}: ${error instanceof Error ? error.message : String(error)}`);
}

/**
 * An audit trail over several sinks. A failing sink is reported and never affects the others or the
 * decision being recorded.
 */
export function createAuditTrail(sinks: readonly AuditSink[], options: AuditTrailOptions = {}): AuditTrail {
  const onSinkError = options.onSinkError ?? defaultOnSinkError;
  return {
    async write(record) {
      await Promise.all(
        sinks.map(async (sink) => {
          try {
            await sink.write(record);
          } catch (error) {
            onSinkError(sink.name, error, record);
          }
        }),
      );
    },
  };
}
