import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sdkFor } from '../../emulators/workos/conformance-helpers';
import { startWorkosEmulator, type WorkosEmulator } from '../../emulators/workos/server';
import { sampleRecord } from '../helpers/audit-fixtures';
import { mfaPreset } from '../../lib/core/policy';
import { createSessionLedger } from '../../lib/ledger/ledger';
import { memoryStore } from '../../lib/ledger/memory';
import { createSessionMfa } from '../../lib/session-mfa';
import { createAuditTrail } from '../../lib/audit/trail';
import { createWorkosAuditLogSink } from '../../lib/audit/workos-audit-logs';

let emulator: WorkosEmulator;

beforeAll(async () => {
  emulator = await startWorkosEmulator({ port: 0 });
});
afterAll(async () => {
  await emulator?.close();
});
beforeEach(() => emulator.control.reset());

describe('WorkOS Audit Logs sink against the emulator (real @workos-inc/node)', () => {
  it('stores a record as an event of its organization, keyed by the record id', async () => {
    const sink = createWorkosAuditLogSink({ workos: sdkFor(emulator) });
    const record = sampleRecord({ decision: 'step_up', reason: 'stale' });
    await sink.write(record);
    expect(emulator.control.auditEvents()).toMatchObject([
      {
        organization_id: 'org_acme',
        idempotency_key: record.id,
        event: {
          action: 'session_mfa.decision.step_up',
          occurred_at: record.time,
          actor: { id: 'user_alice', type: 'user' },
          targets: [
            { id: 'session_alice_1', type: 'session' },
            { id: 'GET /admin', type: 'route' },
          ],
          context: { location: 'unknown' },
          metadata: { record_id: record.id, reason: 'stale', policy: 'admin-area' },
        },
      },
    ]);
  });

  it('a retried record is stored once (same Idempotency-Key)', async () => {
    const sink = createWorkosAuditLogSink({ workos: sdkFor(emulator) });
    const record = sampleRecord();
    await sink.write(record);
    await sink.write(record);
    await sink.write(sampleRecord());
    expect(emulator.control.auditEvents().map((e) => e.idempotency_key)).toHaveLength(2);
    expect(emulator.control.auditEvents().filter((e) => e.idempotency_key === record.id)).toHaveLength(1);
    expect(sink.stats()).toMatchObject({ sent: 3, failed: 0 });
  });

  it('skips records without an organization, counting them', async () => {
    const sink = createWorkosAuditLogSink({ workos: sdkFor(emulator) });
    await sink.write(sampleRecord({ type: 'webhook.uncorrelated', organizationId: undefined, decision: undefined }));
    expect(emulator.control.auditEvents()).toEqual([]);
    expect(sink.stats().skipped.no_organization).toBe(1);
  });

  it('a record with a 6,000-character path, a 5,000-character agent and 80 detail keys is stored, fitted to the limits', async () => {
    const sink = createWorkosAuditLogSink({ workos: sdkFor(emulator) });
    const target = `GET /admin/${'a'.repeat(6000)}`;
    const record = sampleRecord({
      target,
      userAgent: `Mozilla/5.0 ${'x'.repeat(5000)}`,
      detail: Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`note ${i}`, 'n'.repeat(800)])),
    });
    await sink.write(record);
    expect(sink.stats()).toMatchObject({ sent: 1, failed: 0 });
    const [stored] = emulator.control.auditEvents();
    const metadata = (stored?.event as { metadata: Record<string, unknown> }).metadata;
    expect(Object.keys(metadata)).toHaveLength(50);
    for (const [key, value] of Object.entries(metadata)) {
      expect(key).toMatch(/^[A-Za-z0-9_-]{1,40}$/);
      if (typeof value === 'string') expect(value.length).toBeLessThanOrEqual(500);
    }
    expect(metadata).toMatchObject({
      record_id: record.id,
      target: `${target.slice(0, 499)}…`,
      detail_note_0: `${'n'.repeat(499)}…`,
    });
    expect(String(metadata.truncated)).toMatch(
      /^\+42 keys target_id context_user_agent target detail_note_0 detail_note_1 /,
    );
  });

  it('WorkOS down: the record is retried a bounded number of times, reported, and the decision is unchanged', async () => {
    const down = await startWorkosEmulator({ port: 0 });
    const workos = sdkFor(down);
    await down.close();
    const sink = createWorkosAuditLogSink({ workos, attempts: 3, delaysMs: [20] });
    const errors: string[] = [];
    const tasks: Promise<void>[] = [];
    const engine = createSessionMfa({
      ledger: createSessionLedger({ store: memoryStore() }),
      audit: createAuditTrail([sink], { onSinkError: (name) => errors.push(name) }),
      defer: (t) => void tasks.push(t),
    });

    const started = Date.now();
    const decision = await engine.decide(
      { sub: 'user_alice', sid: 'session_x', org_id: 'org_acme' },
      mfaPreset('strict'),
      { target: 'GET /admin' },
    );
    expect(decision).toMatchObject({ allowed: false, outcome: 'step_up', reason: 'no_evidence' });
    await Promise.all(tasks);
    expect(errors).toEqual(['workos-audit-logs']);
    expect(sink.stats()).toMatchObject({ sent: 0, failed: 1 });
    // The SDK's own 0.5–8 s retries are off; only the sink's three short attempts ran.
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
