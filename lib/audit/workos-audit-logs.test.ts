import { describe, expect, it } from 'vitest';
import { sampleRecord } from '../../test/helpers/audit-fixtures';
import { createWorkosAuditLogSink, toWorkosAuditLogEvent, type WorkosAuditLogEvent } from './workos-audit-logs';

type Call = { org: string; event: WorkosAuditLogEvent; options: Record<string, unknown> | undefined };

function fakeWorkos(failures: unknown[] = []) {
  const calls: Call[] = [];
  return {
    calls,
    auditLogs: {
      async createEvent(org: string, event: WorkosAuditLogEvent, options?: { idempotencyKey?: string }) {
        calls.push({ org, event, options: options as Record<string, unknown> | undefined });
        const failure = failures.shift();
        if (failure) throw failure;
      },
    },
  };
}

const httpError = (status: number) => Object.assign(new Error(`HTTP ${status}`), { status });

describe('WorkOS Audit Logs sink', () => {
  it('maps a decision onto an event: user actor, session and route targets, flat metadata, record time', () => {
    const record = sampleRecord({ decision: 'step_up', reason: 'stale', ip: '203.0.113.9', userAgent: 'Firefox', detail: { factorId: 'auth_factor_1', removed: true } });
    expect(toWorkosAuditLogEvent(record)).toEqual({
      action: 'session_mfa.decision.step_up',
      occurredAt: new Date('2026-11-28T10:00:00.000Z'),
      actor: { id: 'user_alice', type: 'user' },
      targets: [{ id: 'session_alice_1', type: 'session' }, { id: 'GET /admin', type: 'route' }],
      context: { location: '203.0.113.9', userAgent: 'Firefox' },
      metadata: {
        record_id: record.id, decision: 'step_up', reason: 'stale', target: 'GET /admin', policy: 'admin-area', policy_max_age: 43_200, policy_methods: '',
        evidence_source: 'ledger', evidence_verified_at: '2026-11-28T09:58:00.000Z', evidence_methods: 'otp', request_id: 'req_1', detail_factorId: 'auth_factor_1', detail_removed: true,
      },
    });
    expect(toWorkosAuditLogEvent(sampleRecord({ type: 'ledger.removed', decision: undefined }))?.action).toBe('session_mfa.ledger.removed');
  });

  it('sends with the record id as Idempotency-Key and the SDK retries off', async () => {
    const workos = fakeWorkos();
    const sink = createWorkosAuditLogSink({ workos });
    const record = sampleRecord();
    await sink.write(record);
    expect(workos.calls).toHaveLength(1);
    expect(workos.calls[0]).toMatchObject({ org: 'org_acme', options: { idempotencyKey: record.id, maxRetries: 0 } });
    expect(sink.stats()).toEqual({ sent: 1, failed: 0, skipped: { no_organization: 0, no_actor: 0 } });
  });

  it('skips and counts records without an organization or a user', async () => {
    const workos = fakeWorkos();
    const skipped: string[] = [];
    const sink = createWorkosAuditLogSink({ workos, onSkip: (reason) => skipped.push(reason) });
    await sink.write(sampleRecord({ orgId: undefined }));
    await sink.write(sampleRecord({ type: 'webhook.uncorrelated', orgId: undefined, sid: undefined }));
    await sink.write(sampleRecord({ userId: undefined }));
    expect(workos.calls).toHaveLength(0);
    expect(skipped).toEqual(['no_organization', 'no_organization', 'no_actor']);
    expect(sink.stats().skipped).toEqual({ no_organization: 2, no_actor: 1 });
  });

  it('retries network errors and 5xx up to `attempts`, with the same idempotency key', async () => {
    const workos = fakeWorkos([new TypeError('fetch failed'), httpError(503)]);
    const sink = createWorkosAuditLogSink({ workos, delaysMs: [1] });
    const record = sampleRecord();
    await sink.write(record);
    expect(workos.calls.map((c) => c.options?.idempotencyKey)).toEqual([record.id, record.id, record.id]);
    expect(sink.stats().sent).toBe(1);
  });

  it('gives up after `attempts` and rejects, so the trail reports it', async () => {
    const workos = fakeWorkos([httpError(500), httpError(500), httpError(500), httpError(500)]);
    const sink = createWorkosAuditLogSink({ workos, attempts: 3, delaysMs: [1] });
    await expect(sink.write(sampleRecord())).rejects.toThrow('HTTP 500');
    expect(workos.calls).toHaveLength(3);
    expect(sink.stats()).toMatchObject({ sent: 0, failed: 1 });
  });

  it('does not retry a permanent 4xx', async () => {
    const workos = fakeWorkos([httpError(422)]);
    const sink = createWorkosAuditLogSink({ workos, delaysMs: [1] });
    await expect(sink.write(sampleRecord())).rejects.toThrow('HTTP 422');
    expect(workos.calls).toHaveLength(1);
  });
});
