import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { redisAuditSink } from '../lib/audit/redis-stream-node';
import type { AuditRecord } from '../lib/audit/record';
import { AUDIT_CSV_COLUMNS } from '../lib/audit/export-format';
import { parseRfc4180 } from '../test/helpers/rfc4180';
import { sampleRecord } from '../test/helpers/audit-fixtures';

const root = resolve(__dirname, '..');
const run = promisify(execFile);
const KEY = `export-int-${process.pid}:v1:audit`;
const now = Date.now();
const iso = (offsetMs: number) => new Date(now + offsetMs).toISOString();

let redis: ReturnType<typeof createClient>;
const records: AuditRecord[] = [
  sampleRecord({
    time: iso(-50_000),
    target: 'POST /api/transfer, "urgent"\nsecond line',
    decision: 'step_up',
    reason: 'stale',
  }),
  sampleRecord({
    time: iso(-40_000),
    userId: 'user_bob',
    organizationId: 'org_acme',
    decision: 'deny',
    reason: 'no_evidence',
  }),
  sampleRecord({ time: iso(-30_000), userId: 'user_carol', organizationId: 'org_globex' }),
  sampleRecord({
    time: iso(-20_000),
    type: 'webhook.uncorrelated',
    decision: undefined,
    organizationId: undefined,
    policy: undefined,
    evidence: undefined,
    detail: { eventId: 'event_1' },
  }),
];

/** Runs `npm run audit:export -- …` exactly as an auditor would (same tsx command line as the npm script). */
async function exportAudit(args: string[]): Promise<string> {
  const { stdout } = await run(
    join(root, 'node_modules', '.bin', 'tsx'),
    ['--conditions=react-server', 'scripts/audit-export.ts', ...args, '--stream', KEY],
    {
      cwd: root,
      env: { ...process.env, REDIS_URL: inject('redisUrl'), UPSTASH_REDIS_REST_URL: '' },
      timeout: 60_000,
    },
  );
  return stdout;
}

beforeAll(async () => {
  redis = await createClient({ url: inject('redisUrl') })
    .on('error', () => undefined)
    .connect();
  const sink = redisAuditSink(redis, { key: KEY });
  for (const r of records) await sink.write(r);
}, 60_000);

afterAll(() => redis?.destroy());

describe('npm run audit:export', () => {
  it('CSV: one header row, RFC 4180 quoting, one row per record in the range', async () => {
    const csv = await exportAudit(['--since', iso(-60_000), '--until', iso(0), '--format', 'csv']);
    const rows = parseRfc4180(csv);
    expect(rows[0]).toEqual([...AUDIT_CSV_COLUMNS]);
    expect(rows.filter((r) => r[0] === 'id')).toHaveLength(1);
    expect(rows.slice(1).map((r) => r[0])).toEqual(records.map((r) => r.id));
    const target = AUDIT_CSV_COLUMNS.indexOf('target');
    expect(rows[1]?.[target]).toBe('POST /api/transfer, "urgent"\nsecond line');
    expect(csv).toContain('"POST /api/transfer, ""urgent""\nsecond line"');
  }, 60_000);

  it('filters by time, user and organization', async () => {
    const ids = async (args: string[]) =>
      (JSON.parse(await exportAudit([...args, '--format', 'json'])) as AuditRecord[]).map((r) => r.id);
    expect(await ids(['--since', iso(-45_000), '--until', iso(-25_000)])).toEqual([records[1]?.id, records[2]?.id]);
    expect(await ids(['--since', iso(-60_000), '--user', 'user_bob'])).toEqual([records[1]?.id]);
    expect(await ids(['--since', iso(-60_000), '--org', 'org_globex'])).toEqual([records[2]?.id]);
    expect(await ids(['--since', iso(-60_000), '--type', 'webhook.uncorrelated'])).toEqual([records[3]?.id]);
  }, 60_000);

  it('JSON: the records themselves; an empty range is an empty array', async () => {
    expect(JSON.parse(await exportAudit(['--since', iso(-60_000), '--format', 'json']))).toEqual(records);
    expect(JSON.parse(await exportAudit(['--since', iso(-3_600_000), '--until', iso(-3_000_000)]))).toEqual([]);
  }, 60_000);

  it('exits 2 with a message on a bad command line', async () => {
    const failure = await exportAudit(['--since', 'yesterday']).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stderr).toMatch(/--since "yesterday" is not a time/);
  }, 60_000);
});
