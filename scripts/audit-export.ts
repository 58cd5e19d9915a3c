/**
 * `npm run audit:export -- --since … [--until …] [--user …] [--org …] --format json|csv`: prints the audit
 * records of a time range from the Redis Stream to stdout, for auditors. Run with `--help` for the options.
 */
import { Redis } from '@upstash/redis';
import { createClient } from 'redis';
import { formatAuditExport } from '../lib/audit/export-format';
import { redisAuditSource } from '../lib/audit/redis-stream-node';
import { readAuditRecords, type AuditStreamSource } from '../lib/audit/stream-reader';
import { upstashAuditSource } from '../lib/audit/upstash-stream';
import { AUDIT_EXPORT_USAGE, AuditExportUsageError, parseExportArgs } from './audit-export-args';

async function openSource(streamKey: string): Promise<{ source: AuditStreamSource; close(): Promise<void> }> {
  const { REDIS_URL, UPSTASH_REDIS_REST_URL, UPSTASH_REDIS_REST_TOKEN } = process.env;
  if (REDIS_URL) {
    // No reconnect loop: an export against a Redis that is down should fail at once, not hang.
    const client = createClient({ url: REDIS_URL, socket: { reconnectStrategy: false, connectTimeout: 5000 } });
    client.on('error', () => undefined);
    await client.connect();
    return { source: redisAuditSource(client, { key: streamKey }), close: async () => client.destroy() };
  }
  if (UPSTASH_REDIS_REST_URL && UPSTASH_REDIS_REST_TOKEN) {
    const client = new Redis({
      url: UPSTASH_REDIS_REST_URL,
      token: UPSTASH_REDIS_REST_TOKEN,
      automaticDeserialization: false,
      retry: { retries: 1 },
    });
    return { source: upstashAuditSource(client, { key: streamKey }), close: async () => undefined };
  }
  throw new AuditExportUsageError(
    'Set REDIS_URL, or UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN, to the Redis holding the audit stream.',
  );
}

async function write(chunk: string): Promise<void> {
  // Respect back-pressure so a large export piped into `head` or a file does not buffer in memory.
  if (!process.stdout.write(chunk)) await new Promise<void>((resolve) => process.stdout.once('drain', () => resolve()));
}

async function main(): Promise<number> {
  const request = parseExportArgs(process.argv.slice(2), process.env, Date.now());
  if (request === 'help') {
    console.log(AUDIT_EXPORT_USAGE);
    return 0;
  }
  const { source, close } = await openSource(request.streamKey);
  try {
    for await (const chunk of formatAuditExport(readAuditRecords(source, request.query), request.format))
      await write(chunk);
  } finally {
    await close();
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const usage = error instanceof AuditExportUsageError;
    console.error(
      `audit:export: ${error instanceof Error ? error.message : String(error)}${usage ? '\n\nRun with --help for the options.' : ''}`,
    );
    process.exitCode = usage ? 2 : 1;
  },
);
