import 'server-only';
import { withDeadline } from '../io/deadline';
import type { AuditSink } from './record';
import {
  AUDIT_STREAM_FIELD,
  DEFAULT_AUDIT_STREAM_KEY,
  streamSinkOptions,
  type AuditStreamSinkOptions,
} from './stream-format';
import type { AuditStreamEntry, AuditStreamSource } from './stream-reader';

/** The slice of a node-redis v5 client (`createClient()` / `createCluster()`) the audit stream uses. */
export interface NodeRedisAuditClient {
  xAdd(
    key: string,
    id: string,
    message: Record<string, string>,
    options?: { TRIM?: { strategy?: 'MAXLEN'; strategyModifier?: '~' | '='; threshold: number } },
  ): Promise<unknown>;
  xRange(key: string, start: string, end: string, options?: { COUNT?: number }): Promise<unknown>;
  xRevRange(key: string, end: string, start: string, options?: { COUNT?: number }): Promise<unknown>;
}

/**
 * An {@link AuditSink} appending each record to a Redis Stream over node-redis:
 * `XADD <key> MAXLEN ~ <maxLen> * record <json>`. Node only; for the Edge runtime use `upstashAuditSink`.
 * The stream id is Redis's insertion time, which {@link readAuditRecords} maps back to record times.
 * @example
 * ```ts title="mfa.ts"
 * const redis = await createClient({ url: process.env.REDIS_URL }).on('error', console.error).connect();
 * createSessionMfa({ ledger, audit: [createJsonLinesSink(), redisAuditSink(redis)] });
 * ```
 */
export function redisAuditSink(client: NodeRedisAuditClient, options: AuditStreamSinkOptions = {}): AuditSink {
  const { key, maxLen, timeoutMs } = streamSinkOptions(options);
  return {
    name: 'redis-stream',
    async write(record) {
      // No retry: a lost reply may hide a stored entry; the reader de-duplicates by record id anyway.
      await withDeadline(
        () =>
          client.xAdd(
            key,
            '*',
            { [AUDIT_STREAM_FIELD]: JSON.stringify(record) },
            { TRIM: { strategy: 'MAXLEN', strategyModifier: '~', threshold: maxLen } },
          ),
        timeoutMs,
      );
    },
  };
}

function toEntries(reply: unknown): AuditStreamEntry[] {
  if (!Array.isArray(reply)) throw new Error('Unexpected XRANGE reply from Redis.');
  return reply.map((item: unknown) => {
    const { id, message } = (item ?? {}) as { id?: unknown; message?: Record<string, unknown> };
    if (typeof id !== 'string') throw new Error('Unexpected XRANGE entry from Redis.');
    return { id, record: message?.[AUDIT_STREAM_FIELD] ?? null };
  });
}

/** An {@link AuditStreamSource} over node-redis, for `readAuditRecords` (export script, admin pages). Node only. */
export function redisAuditSource(client: NodeRedisAuditClient, options: { key?: string } = {}): AuditStreamSource {
  const key = options.key ?? DEFAULT_AUDIT_STREAM_KEY;
  return {
    name: 'redis-stream',
    range: async (start, end, count) => toEntries(await client.xRange(key, start, end, { COUNT: count })),
    revRange: async (end, start, count) => toEntries(await client.xRevRange(key, end, start, { COUNT: count })),
  };
}
