import { withDeadline } from '../io/deadline';
import type { AuditSink } from './record';
import {
  AUDIT_STREAM_FIELD,
  DEFAULT_AUDIT_STREAM_KEY,
  streamSinkOptions,
  type AuditStreamSinkOptions,
} from './stream-format';
import type { AuditStreamEntry, AuditStreamSource } from './stream-reader';

/** The slice of an `@upstash/redis` `Redis` client the audit stream uses (stated structurally). */
export interface UpstashAuditClient {
  xadd(
    key: string,
    id: string,
    entries: Record<string, unknown>,
    options?: { trim: { type: 'MAXLEN'; threshold: number; comparison: '~' } },
  ): Promise<unknown>;
  xrange(key: string, start: string, end: string, count?: number): Promise<unknown>;
  xrevrange(key: string, end: string, start: string, count?: number): Promise<unknown>;
}

/**
 * An {@link AuditSink} appending each record to a Redis Stream over `@upstash/redis` (HTTP): Edge-safe, so
 * the middleware can use it. Same layout as `redisAuditSink`: `XADD <key> MAXLEN ~ <maxLen> * record <json>`.
 * @example
 * ```ts title="mfa.config.ts"
 * createSessionMfa({ ledger, audit: [createJsonLinesSink(), upstashAuditSink(redis)] });
 * ```
 */
export function upstashAuditSink(client: UpstashAuditClient, options: AuditStreamSinkOptions = {}): AuditSink {
  const { key, maxLen, timeoutMs } = streamSinkOptions(options);
  return {
    name: 'upstash-stream',
    async write(record) {
      await withDeadline(
        () =>
          client.xadd(
            key,
            '*',
            { [AUDIT_STREAM_FIELD]: JSON.stringify(record) },
            { trim: { type: 'MAXLEN', threshold: maxLen, comparison: '~' } },
          ),
        timeoutMs,
      );
    },
  };
}

// With automaticDeserialization off the client returns Redis's raw reply, [[id, [field, value, …]], …];
// with it on, an object keyed by id whose field values are already JSON-parsed. Accept both.
function toEntries(reply: unknown): AuditStreamEntry[] {
  if (Array.isArray(reply)) {
    return reply.map((item: unknown) => {
      if (!Array.isArray(item) || typeof item[0] !== 'string' || !Array.isArray(item[1]))
        throw new Error('Unexpected XRANGE entry from Upstash.');
      const fields = item[1] as unknown[];
      const at = fields.indexOf(AUDIT_STREAM_FIELD);
      return { id: item[0], record: at >= 0 && at % 2 === 0 ? (fields[at + 1] ?? null) : null };
    });
  }
  if (typeof reply === 'object' && reply !== null) {
    return Object.entries(reply as Record<string, Record<string, unknown> | null>).map(([id, fields]) => ({
      id,
      record: fields?.[AUDIT_STREAM_FIELD] ?? null,
    }));
  }
  throw new Error('Unexpected XRANGE reply from Upstash.');
}

/** An {@link AuditStreamSource} over `@upstash/redis`, for `readAuditRecords`. Edge-safe. */
export function upstashAuditSource(client: UpstashAuditClient, options: { key?: string } = {}): AuditStreamSource {
  const key = options.key ?? DEFAULT_AUDIT_STREAM_KEY;
  return {
    name: 'upstash-stream',
    range: async (start, end, count) => toEntries(await client.xrange(key, start, end, count)),
    revRange: async (end, start, count) => toEntries(await client.xrevrange(key, end, start, count)),
  };
}
