import type { AuditRecord, AuditSink } from './record';

/** Options of {@link createJsonLinesSink}. */
export interface JsonLinesSinkOptions {
  /**
   * Writes one line (without the trailing newline).
   * @default console.log — stdout on Node; the platform log on the Edge runtime
   */
  readonly write?: (line: string) => void;
  /** Sink name in error reports. @default 'stdout' */
  readonly name?: string;
}

/**
 * One record as a single JSON line with a stable field order (`id`, `type`, `time` first), so log shippers
 * and `grep` read it alike. A record never holds a token, cookie, code or secret (see {@link AuditRecord}).
 */
export function toJsonLine(record: AuditRecord): string {
  const { id, type, time, ...rest } = record;
  // JSON.stringify escapes U+2028/2029 and control characters, so a value can never break the line.
  return JSON.stringify({ audit: 'session-mfa', id, type, time, ...rest });
}

/**
 * A sink printing one JSON line per record (to stdout by default). Edge-safe.
 * @example
 * ```ts title="mfa.config.ts"
 * createSessionMfa({ ledger, audit: [createJsonLinesSink()] });
 * // {"audit":"session-mfa","id":"…","type":"decision","time":"…","decision":"step_up",…}
 * ```
 */
export function createJsonLinesSink(options: JsonLinesSinkOptions = {}): AuditSink {
  const write = options.write ?? ((line: string) => console.log(line));
  return {
    name: options.name ?? 'stdout',
    async write(record) {
      write(toJsonLine(record));
    },
  };
}
