import { Redis } from '@upstash/redis';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startUpstashStandIn, type UpstashStandIn } from '../../emulators/upstash/server';
import { startRedis } from '../../test-support/redis-server';
import { sampleRecord } from '../helpers/audit-fixtures';
import { mfaPreset } from '../../lib/core/policy';
import { createSessionLedger } from '../../lib/ledger/ledger';
import { memoryStore } from '../../lib/ledger/memory';
import { createSessionMfa } from '../../lib/session-mfa';
import type { AuditRecord } from '../../lib/audit/record';
import { redisAuditSink, redisAuditSource } from '../../lib/audit/redis-stream-node';
import { collectAuditRecords } from '../../lib/audit/stream-reader';
import { createAuditTrail } from '../../lib/audit/trail';
import { upstashAuditSink, upstashAuditSource } from '../../lib/audit/upstash-stream';

let redis: ReturnType<typeof createClient>;
let standIn: UpstashStandIn;
let keyCount = 0;
const streamKey = () => `audit-int-${process.pid}:v1:{audit-${++keyCount}}`;
const T0 = Date.parse('2026-11-28T10:00:00Z');
const at = (offsetMs: number, extra: Partial<AuditRecord> = {}) =>
  sampleRecord({ time: new Date(T0 + offsetMs).toISOString(), ...extra });

beforeAll(async () => {
  redis = await createClient({ url: inject('redisUrl') })
    .on('error', () => undefined)
    .connect();
  standIn = await startUpstashStandIn({ token: 'audit-int-token', redisUrl: inject('redisUrl') });
});

afterAll(async () => {
  redis?.destroy();
  await standIn?.close();
});

describe('Redis Stream sink over node-redis', () => {
  it('appends one entry per record; a time range reads them back with filters', async () => {
    const key = streamKey();
    const sink = redisAuditSink(redis, { key });
    const records = [
      at(-60_000),
      at(0, { userId: 'user_bob' }),
      at(60_000, { organizationId: 'org_globex', decision: 'deny', reason: 'ledger_unavailable' }),
      at(3_600_000),
    ];
    for (const r of records) await sink.write(r);
    expect(await redis.xLen(key)).toBe(4);

    const source = redisAuditSource(redis, { key });
    const range = { since: T0, until: T0 + 3_600_000 };
    // Entries carry Redis's insertion time as their id; the reader maps record times onto ids with a slack.
    const now = () => T0 + 7_200_000;
    expect(
      (await collectAuditRecords(source, range, { slackMs: 10 * 365 * 86_400_000, now })).map((r) => r.id),
    ).toEqual([records[1]?.id, records[2]?.id]);
    expect(
      (
        await collectAuditRecords(source, { ...range, userId: 'user_bob' }, { slackMs: 10 * 365 * 86_400_000, now })
      ).map((r) => r.id),
    ).toEqual([records[1]?.id]);
    expect(
      await collectAuditRecords(
        source,
        { ...range, organizationId: 'org_globex' },
        { slackMs: 10 * 365 * 86_400_000, now },
      ),
    ).toEqual([records[2]]);
  });

  it('maps the time range onto stream ids, so XRANGE only scans around it', async () => {
    const key = streamKey();
    const sink = redisAuditSink(redis, { key });
    const now = Date.now();
    const records = [at(0, { time: new Date(now - 1000).toISOString() }), at(0, { time: new Date(now).toISOString() })];
    for (const r of records) await sink.write(r);
    const source = redisAuditSource(redis, { key });
    expect((await collectAuditRecords(source, { since: now - 5000, until: now + 5000 })).map((r) => r.id)).toEqual(
      records.map((r) => r.id),
    );
    // With no slack the ids (insertion times, ≥ record times) still fall inside a range that ends after them…
    expect(await collectAuditRecords(source, { since: now - 5000, until: now + 5000 }, { slackMs: 0 })).toHaveLength(2);
    // …and a range an hour earlier does not touch them at all.
    expect(
      await collectAuditRecords(source, { since: now - 7_200_000, until: now - 3_600_000 }, { slackMs: 0 }),
    ).toEqual([]);
  });

  it('trims the stream to about maxLen (MAXLEN ~), keeping the newest records', async () => {
    const key = streamKey();
    const sink = redisAuditSink(redis, { key, maxLen: 10 });
    const records = Array.from({ length: 300 }, (_, i) => at(i));
    for (const r of records) await sink.write(r);
    const length = await redis.xLen(key);
    // Approximate trimming drops whole radix-tree nodes (100 entries by default): far below 300, at least 10.
    expect(length).toBeLessThan(300);
    expect(length).toBeGreaterThanOrEqual(10);
    const kept = await collectAuditRecords(
      redisAuditSource(redis, { key }),
      { since: T0 - 1, until: T0 + 1000 },
      { slackMs: 10 * 365 * 86_400_000, now: () => T0 + 1000 },
    );
    expect(kept.at(-1)?.id).toBe(records.at(-1)?.id);
    expect(kept.map((r) => r.id)).not.toContain(records[0]?.id);
  });
});

describe('Redis Stream sink over Upstash REST (the Edge path)', () => {
  it.each([false, true])(
    'writes and reads back the same layout (automaticDeserialization %s); node-redis reads it too',
    async (automaticDeserialization) => {
      const key = streamKey();
      const upstash = new Redis({
        url: standIn.url,
        token: standIn.token,
        automaticDeserialization,
        retry: { retries: 0 },
      });
      const sink = upstashAuditSink(upstash, { key, maxLen: 50 });
      const now = Date.now();
      const records = [
        at(0, { time: new Date(now).toISOString(), target: 'POST /api/x, "quoted"' }),
        at(0, { time: new Date(now).toISOString(), type: 'webhook.uncorrelated', organizationId: undefined }),
      ];
      for (const r of records) await sink.write(r);
      const range = { since: now - 1000, until: now + 1000 };
      expect(await collectAuditRecords(upstashAuditSource(upstash, { key }), range)).toEqual(records);
      expect(
        await collectAuditRecords(upstashAuditSource(upstash, { key }), { ...range, limit: 1 }, { newestFirst: true }),
      ).toEqual([records[1]]);
      expect(await collectAuditRecords(redisAuditSource(redis, { key }), range)).toEqual(records);
    },
  );
});

describe('a Redis sink that is down', () => {
  it('is reported by the trail and changes no decision', async () => {
    const down = await startRedis();
    const client = await createClient({ url: down.url, socket: { reconnectStrategy: () => 50 } })
      .on('error', () => undefined)
      .connect();
    await down.stop();
    try {
      const errors: string[] = [];
      const trail = createAuditTrail([redisAuditSink(client, { timeoutMs: 300 })], {
        onSinkError: (sink, e) => errors.push(`${sink}: ${(e as Error).message}`),
      });
      const ledger = createSessionLedger({ store: memoryStore() });
      const tasks: Promise<void>[] = [];
      const withBrokenSink = createSessionMfa({ ledger, audit: trail, defer: (t) => void tasks.push(t) });
      const withoutSinks = createSessionMfa({ ledger });
      const payload = { sub: 'user_alice', sid: 'session_down_1', org_id: 'org_acme' };

      const denied = await withBrokenSink.decide(payload, mfaPreset('strict'), { target: 'GET /admin' });
      expect(denied).toEqual({
        ...(await withoutSinks.decide(payload, mfaPreset('strict'), { target: 'GET /admin' })),
        decidedAt: denied.decidedAt,
      });
      expect(denied).toMatchObject({ allowed: false, outcome: 'step_up', reason: 'no_evidence' });

      await ledger.record({
        sessionId: 'session_down_1',
        userId: 'user_alice',
        verifiedAt: Math.floor(Date.now() / 1000),
        methods: ['otp'],
        source: 'step_up',
      });
      expect(await withBrokenSink.decide(payload, mfaPreset('strict'), { target: 'GET /admin' })).toMatchObject({
        allowed: true,
        reason: 'verified',
      });

      await Promise.all(tasks);
      expect(errors).toHaveLength(2);
      expect(errors[0]).toMatch(/^redis-stream: /);
    } finally {
      client.destroy();
    }
  });
});
