/**
 * The in-memory stand-in's streams against the real thing: (1) the same commands through the memory backend
 * and a real Redis give the same replies and errors; (2) the library's Upstash audit sink and reader work
 * through the real `@upstash/redis` client against the stand-in in memory mode (what `npm run demo` runs).
 */
import { Redis } from '@upstash/redis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { collectAuditRecords } from '../../lib/audit/stream-reader';
import { upstashAuditSink, upstashAuditSource } from '../../lib/audit/upstash-stream';
import { sampleRecord } from '../../test/helpers/audit-fixtures';
import type { StandInBackend } from './backend';
import { memoryBackend } from './memory-backend';
import { redisBackend } from './redis-backend';
import type { Reply } from './reply';
import { startUpstashStandIn, type UpstashStandIn } from './server';

function plain(reply: Reply): unknown {
  if (Buffer.isBuffer(reply)) return reply.toString('utf8');
  if (Array.isArray(reply)) return reply.map((item: Reply) => plain(item));
  return reply;
}

async function outcome(backend: StandInBackend, command: readonly string[]): Promise<unknown> {
  try {
    return { reply: plain(await backend.run(command)) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

// Explicit ids only (a `*` id is the server's clock) and exact trimming only (`~` is up to the server).
const SCRIPT: readonly (readonly string[])[] = [
  ['XADD', 'S', '0-*', 'f', 'v'],
  ['XADD', 'S', '1-1', 'record', '{"a":1}'],
  ['XADD', 'S', '1-1', 'f', 'v'],
  ['XADD', 'S', '1', 'f', 'v'],
  ['XADD', 'S', '1-*', 'f', 'v'],
  ['XADD', 'S', '5-*', 'f', 'v', 'g', 'w'],
  ['XADD', 'S', '0-0', 'f', 'v'],
  ['XADD', 'S', 'abc', 'f', 'v'],
  ['XADD', 'S', '18446744073709551616-0', 'f', 'v'],
  ['XADD', 'S', '9-0', 'f'],
  ['XADD', 'S', 'MAXLEN', '-1', '9-0', 'f', 'v'],
  ['XADD', 'S', 'MAXLEN', '2', 'LIMIT', '5', '9-0', 'f', 'v'],
  ['XADD', 'S', 'MAXLEN', '1', 'MINID', '2', '9-0', 'f', 'v'],
  ['XADD', 'S', 'MAXLEN', 'x', '9-0', 'f', 'v'],
  ['XLEN', 'S'],
  ['XRANGE', 'S', '-', '+'],
  ['XRANGE', 'S', '-', '+', 'COUNT', '2'],
  ['XRANGE', 'S', '-', '+', 'COUNT', '0'],
  ['XRANGE', 'S', '-', '+', 'COUNT', '-1'],
  ['XRANGE', 'S', '1', '1'],
  ['XRANGE', 'S', '(1-1', '+'],
  ['XRANGE', 'S', '(1', '(5-1'],
  ['XRANGE', 'S', '5', '1'],
  ['XRANGE', 'S', '(-', '+'],
  ['XRANGE', 'S', '-', '(+'],
  ['XRANGE', 'S', '(18446744073709551615-18446744073709551615', '+'],
  ['XRANGE', 'S', '-', '(0-0'],
  ['XRANGE', 'S', '-', '+', 'BLAH'],
  ['XRANGE', 'S', '-', '+', 'COUNT'],
  ['XREVRANGE', 'S', '+', '-'],
  ['XREVRANGE', 'S', '+', '-', 'COUNT', '1'],
  ['XREVRANGE', 'S', '(5-0', '-', 'COUNT', '2'],
  ['XREVRANGE', 'S', '5', '(1-0'],
  ['XADD', 'S', 'MINID', '=', '1-2', '6-0', 'f', 'v'],
  ['XRANGE', 'S', '-', '+'],
  ['XADD', 'S', 'MAXLEN', '=', '2', '7-0', 'f', 'v'],
  ['XRANGE', 'S', '-', '+'],
  ['XADD', 'S', 'MAXLEN', '0', '8-0', 'f', 'v'],
  ['XLEN', 'S'],
  ['EXISTS', 'S'],
  ['XADD', 'S', '7-5', 'f', 'v'],
  ['XADD', 'NEW', 'NOMKSTREAM', '1-0', 'f', 'v'],
  ['EXISTS', 'NEW'],
  ['XRANGE', 'NEW', '-', '+'],
  ['XRANGE', 'NEW', '-', '+', 'COUNT', '0'],
  ['XLEN', 'NEW'],
  ['SET', 'STR', 'v'],
  ['XADD', 'STR', '1-0', 'f', 'v'],
  ['XRANGE', 'STR', '-', '+'],
  ['XLEN', 'STR'],
  ['GET', 'S'],
  ['INCR', 'S'],
  ['MGET', 'S', 'STR'],
  ['SET', 'S', 'x', 'GET'],
  ['SET', 'S', 'x'],
  ['GET', 'S'],
  ['XADD', 'MAX', '18446744073709551615-18446744073709551615', 'f', 'v'],
  ['XADD', 'MAX', '*', 'f', 'v'],
];

describe('memory streams answer like Redis 7', () => {
  let memory: StandInBackend;
  let redis: StandInBackend;
  beforeAll(async () => {
    memory = memoryBackend();
    redis = await redisBackend(inject('redisUrl'));
  });
  afterAll(async () => {
    await memory?.close();
    await redis?.close();
  });

  it('gives the same reply or error to every command of the script', async () => {
    const prefix = `memory-streams-diff:${process.pid}:${Date.now()}:`;
    // Only the key names differ (the real Redis is shared); they are upper-case words in the script.
    const keyed = (command: readonly string[]) =>
      command.map((arg, i) => (i === 1 && /^[A-Z]+$/.test(arg) ? prefix + arg : arg));
    const differences: string[] = [];
    for (const command of SCRIPT) {
      const [mine, theirs] = [await outcome(memory, keyed(command)), await outcome(redis, keyed(command))];
      if (JSON.stringify(mine) !== JSON.stringify(theirs))
        differences.push(
          `${command.join(' ')}\n  memory: ${JSON.stringify(mine)}\n  redis:  ${JSON.stringify(theirs)}`,
        );
    }
    expect(differences.join('\n')).toBe('');
  });
});

describe('the audit stream through @upstash/redis against the in-memory stand-in', () => {
  let standIn: UpstashStandIn;
  beforeAll(async () => {
    standIn = await startUpstashStandIn({ token: 'memory-streams-token', memory: true });
  });
  afterAll(() => standIn?.close());

  it.each([
    { automaticDeserialization: false, responseEncoding: 'base64' },
    { automaticDeserialization: true, responseEncoding: 'base64' },
    { automaticDeserialization: false, responseEncoding: false },
  ] as const)('the sink writes (MAXLEN ~) and the reader pages through it both ways (%o)', async (options) => {
    const upstash = new Redis({
      url: standIn.url,
      token: standIn.token,
      retry: { retries: 0 },
      enableTelemetry: false,
      ...options,
    });
    const key = `authkit-mfa:v1:audit:${options.automaticDeserialization}:${options.responseEncoding}`;
    const sink = upstashAuditSink(upstash, { key, maxLen: 25 });
    const start = Date.now();
    const records = Array.from({ length: 40 }, (_, i) =>
      sampleRecord({
        time: new Date(start + i).toISOString(),
        target: `GET /admin/${i}`,
        userId: i % 2 ? 'user_alice' : 'user_bob',
        reason: 'quote " and , comma ✓',
      }),
    );
    for (const record of records) await sink.write(record);
    expect(await upstash.xlen(key)).toBe(25);

    const source = upstashAuditSource(upstash, { key });
    const range = { since: start - 1000, until: start + 1000 };
    const kept = records.slice(15);
    // Pages of 7 exercise the reader's exclusive `(id` continuation in both directions.
    expect(await collectAuditRecords(source, range, { pageSize: 7 })).toEqual(kept);
    expect(await collectAuditRecords(source, range, { pageSize: 7, newestFirst: true })).toEqual([...kept].reverse());
    expect(
      (
        await collectAuditRecords(
          source,
          { ...range, userId: 'user_alice', limit: 3 },
          { newestFirst: true, pageSize: 4 },
        )
      ).map((r) => r.target),
    ).toEqual(['GET /admin/39', 'GET /admin/37', 'GET /admin/35']);
    expect(
      await collectAuditRecords(source, { since: start - 7_200_000, until: start - 3_600_000 }, { slackMs: 0 }),
    ).toEqual([]);
  });
});
