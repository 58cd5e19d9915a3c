import { DEFAULT_KEY_PREFIX, keyNamespace } from '../core/keys';
import type { AuditRecord } from './record';

/** Default Redis Stream key of the audit trail (namespaced and versioned like every key of this library). */
export const DEFAULT_AUDIT_STREAM_KEY = `${keyNamespace(DEFAULT_KEY_PREFIX)}:audit`;

/** Default approximate length cap of the stream (`XADD … MAXLEN ~ N`). */
export const DEFAULT_AUDIT_STREAM_MAX_LEN = 100_000;

/** Name of the stream entry field holding the record's JSON. */
export const AUDIT_STREAM_FIELD = 'record';

/** Options shared by the Redis Stream sinks. */
export interface AuditStreamSinkOptions {
  /** Stream key. @default DEFAULT_AUDIT_STREAM_KEY ('authkit-mfa:v1:audit') */
  readonly key?: string;
  /**
   * Approximate cap on entries kept (`MAXLEN ~`): Redis trims whole nodes, so the stream may hold a little
   * more. Size it to cover your audit window (records per day × days), or export regularly.
   * @default 100000
   */
  readonly maxLen?: number;
  /** Budget of one XADD in milliseconds; slower counts as a failure (reported by the trail). @default 2000 */
  readonly timeoutMs?: number;
}

/** The checked options of a stream sink. */
export function streamSinkOptions(options: AuditStreamSinkOptions): Required<AuditStreamSinkOptions> {
  const { key = DEFAULT_AUDIT_STREAM_KEY, maxLen = DEFAULT_AUDIT_STREAM_MAX_LEN, timeoutMs = 2000 } = options;
  if (typeof key !== 'string' || key === '') throw new TypeError('key must be a non-empty stream key.');
  if (!Number.isSafeInteger(maxLen) || maxLen < 1)
    throw new TypeError(`maxLen must be a whole number ≥ 1, got ${String(maxLen)}.`);
  if (!(timeoutMs > 0)) throw new TypeError(`timeoutMs must be > 0, got ${String(timeoutMs)}.`);
  return { key, maxLen, timeoutMs };
}

/** Parses a stored record; `null` for anything that is not a record (never throws). */
export function parseAuditRecord(value: unknown): AuditRecord | null {
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      return null;
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  const r = parsed as Record<string, unknown>;
  if (
    typeof r.id !== 'string' ||
    typeof r.type !== 'string' ||
    typeof r.time !== 'string' ||
    Number.isNaN(Date.parse(r.time))
  )
    return null;
  return parsed as AuditRecord;
}

/** Lowest stream id at or after `ms` (stream ids are `<ms>-<seq>`). */
export function streamIdFrom(ms: number): string {
  return `${Math.max(0, Math.floor(ms))}-0`;
}

/** Highest stream id at or before `ms`. */
export function streamIdUntil(ms: number): string {
  return `${Math.max(0, Math.floor(ms))}-18446744073709551615`;
}
