import { describe, expect, it } from 'vitest';
import { sampleRecord } from '../../test/helpers/audit-fixtures';
import type { AuditRecord } from './record';
import { collectAuditRecords, type AuditStreamEntry, type AuditStreamSource } from './stream-reader';

/** A stream in memory with XRANGE semantics (inclusive bounds, `(` exclusive, ms-only ids), counting calls. */
function memorySource(entries: Array<{ id: string; record: unknown }>): AuditStreamSource & { calls: number } {
  const key = (id: string) => id.split('-').map(BigInt) as [bigint, bigint];
  const cmp = (a: string, b: string) => {
    const [am, as] = key(a);
    const [bm, bs] = key(b);
    return am === bm ? (as < bs ? -1 : as > bs ? 1 : 0) : am < bm ? -1 : 1;
  };
  const within = (id: string, start: string, end: string) => {
    const lo = start.startsWith('(') ? cmp(id, start.slice(1)) > 0 : cmp(id, start) >= 0;
    const hi = end.startsWith('(') ? cmp(id, end.slice(1)) < 0 : cmp(id, end) <= 0;
    return lo && hi;
  };
  const source = {
    name: 'memory',
    calls: 0,
    async range(start: string, end: string, count: number): Promise<AuditStreamEntry[]> {
      source.calls++;
      return entries.filter((e) => within(e.id, start, end)).slice(0, count);
    },
    async revRange(end: string, start: string, count: number): Promise<AuditStreamEntry[]> {
      source.calls++;
      return entries
        .filter((e) => within(e.id, start, end))
        .reverse()
        .slice(0, count);
    },
  };
  return source;
}

const at = (iso: string, extra: Partial<AuditRecord> = {}) => sampleRecord({ time: iso, ...extra });
const entry = (record: AuditRecord, lagMs = 3): { id: string; record: unknown } => ({
  id: `${Date.parse(record.time) + lagMs}-0`,
  record: JSON.stringify(record),
});

describe('readAuditRecords', () => {
  const r1 = at('2026-11-28T09:59:59.000Z');
  const r2 = at('2026-11-28T10:00:00.000Z', { userId: 'user_bob', organizationId: 'org_acme' });
  const r3 = at('2026-11-28T10:30:00.000Z', { organizationId: 'org_globex', decision: 'deny' });
  const r4 = at('2026-11-28T11:00:00.000Z');
  const stream = [
    entry(r1),
    entry(r2),
    entry(r2, 9) /* a retried XADD */,
    { id: `${Date.parse(r3.time)}-0`, record: 'not json' },
    entry(r3, 5),
    entry(r4),
  ];
  const query = { since: Date.parse('2026-11-28T10:00:00Z'), until: Date.parse('2026-11-28T11:00:00Z') };

  it('returns the records whose own time is in [since, until), once each, oldest first', async () => {
    expect((await collectAuditRecords(memorySource(stream), query)).map((r) => r.id)).toEqual([r2.id, r3.id]);
  });

  it('filters by user, organization, decision', async () => {
    const src = memorySource(stream);
    expect((await collectAuditRecords(src, { ...query, userId: 'user_bob' })).map((r) => r.id)).toEqual([r2.id]);
    expect((await collectAuditRecords(src, { ...query, organizationId: 'org_globex' })).map((r) => r.id)).toEqual([
      r3.id,
    ]);
    expect((await collectAuditRecords(src, { ...query, decision: 'deny' })).map((r) => r.id)).toEqual([r3.id]);
  });

  it('pages through XRANGE and honours newestFirst and limit', async () => {
    const many = Array.from({ length: 25 }, (_, i) =>
      at(new Date(Date.parse('2026-11-28T10:00:00Z') + i * 1000).toISOString()),
    );
    const src = memorySource(many.map((r) => entry(r)));
    const all = await collectAuditRecords(src, query, { pageSize: 4 });
    expect(all.map((r) => r.id)).toEqual(many.map((r) => r.id));
    expect(src.calls).toBe(7);
    const newest = await collectAuditRecords(src, { ...query, limit: 3 }, { newestFirst: true, pageSize: 2 });
    expect(newest.map((r) => r.id)).toEqual(
      many
        .slice(-3)
        .reverse()
        .map((r) => r.id),
    );
  });

  it('finds a record whose stream id lags its time by less than the slack, and not beyond it', async () => {
    const late = at('2026-11-28T10:59:59.000Z');
    const src = memorySource([entry(late, 60_000)]);
    expect(await collectAuditRecords(src, query)).toHaveLength(1);
    expect(await collectAuditRecords(src, query, { slackMs: 1000 })).toHaveLength(0);
  });
});
