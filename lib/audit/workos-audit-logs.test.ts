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
    const record = sampleRecord({
      decision: 'step_up',
      reason: 'stale',
      ip: '203.0.113.9',
      userAgent: 'Firefox',
      detail: { factorId: 'auth_factor_1', removed: true },
    });
    expect(toWorkosAuditLogEvent(record)).toEqual({
      action: 'session_mfa.decision.step_up',
      occurredAt: new Date('2026-11-28T10:00:00.000Z'),
      actor: { id: 'user_alice', type: 'user' },
      targets: [
        { id: 'session_alice_1', type: 'session' },
        { id: 'GET /admin', type: 'route' },
      ],
      context: { location: '203.0.113.9', userAgent: 'Firefox' },
      metadata: {
        record_id: record.id,
        decision: 'step_up',
        reason: 'stale',
        target: 'GET /admin',
        policy: 'admin-area',
        policy_max_age: 43_200,
        policy_methods: '',
        evidence_source: 'ledger',
        evidence_verified_at: '2026-11-28T09:58:00.000Z',
        evidence_methods: 'otp',
        request_id: 'req_1',
        detail_factorId: 'auth_factor_1',
        detail_removed: true,
      },
    });
    expect(toWorkosAuditLogEvent(sampleRecord({ type: 'ledger.removed', decision: undefined }))?.action).toBe(
      'session_mfa.ledger.removed',
    );
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
    await sink.write(sampleRecord({ organizationId: undefined }));
    await sink.write(sampleRecord({ type: 'webhook.uncorrelated', organizationId: undefined, sessionId: undefined }));
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

/** WorkOS's documented metadata limits, checked independently of the sink: ≤ 50 keys of [A-Za-z0-9_-]{0,40}, string values ≤ 500. */
function expectWithinWorkosLimits(event: WorkosAuditLogEvent): void {
  const metadata = event.metadata ?? {};
  expect(Object.keys(metadata).length).toBeLessThanOrEqual(50);
  for (const [key, value] of Object.entries(metadata)) {
    expect(key).toMatch(/^[A-Za-z0-9_-]{0,40}$/);
    expect(['string', 'number', 'boolean']).toContain(typeof value);
    if (typeof value === 'string') {
      expect(value.length, key).toBeLessThanOrEqual(500);
      expect(value, `${key} keeps surrogate pairs whole`).not.toMatch(
        /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/,
      );
    }
  }
  for (const target of event.targets) expect(target.id.length).toBeLessThanOrEqual(500);
  expect(event.context.location.length).toBeLessThanOrEqual(500);
  expect((event.context.userAgent ?? '').length).toBeLessThanOrEqual(500);
}

describe('WorkOS Audit Logs limits (issue 13, finding 4)', () => {
  const longPath = `GET /admin/${'a'.repeat(6000)}`;
  const longAgent = `Mozilla/5.0 ${'x'.repeat(5000)}`;

  it('a record within the limits is sent unchanged, with no truncated key', () => {
    const event = toWorkosAuditLogEvent(
      sampleRecord({ detail: Object.fromEntries(Array.from({ length: 39 }, (_, i) => [`k${i}`, 'v'.repeat(500)])) }),
    )!;
    expectWithinWorkosLimits(event);
    expect(Object.keys(event.metadata!)).toHaveLength(50); // 11 record fields + 39 detail keys: exactly the limit
    expect(event.metadata).not.toHaveProperty('truncated');
  });

  it('cuts a long target path in metadata and in the route target, and says so', () => {
    const event = toWorkosAuditLogEvent(sampleRecord({ target: longPath }))!;
    expectWithinWorkosLimits(event);
    expect(event.metadata!.target).toBe(`${longPath.slice(0, 499)}…`);
    expect(event.targets[1]).toEqual({ id: `${longPath.slice(0, 499)}…`, type: 'route' });
    expect(event.metadata!.truncated).toBe('target_id target');
  });

  it('cuts a long user agent and a long client location', () => {
    const event = toWorkosAuditLogEvent(sampleRecord({ userAgent: longAgent, ip: `203.0.113.7${'0'.repeat(600)}` }))!;
    expectWithinWorkosLimits(event);
    expect(event.context.userAgent).toBe(`${longAgent.slice(0, 499)}…`);
    expect(event.metadata!.truncated).toBe('context_location context_user_agent');
  });

  it('keeps at most 50 keys (49 and the marker), record fields first, and counts what it left out', () => {
    const detail = Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`key_${String(i).padStart(2, '0')}`, i]));
    const event = toWorkosAuditLogEvent(sampleRecord({ detail }))!;
    expectWithinWorkosLimits(event);
    const keys = Object.keys(event.metadata!);
    expect(keys).toHaveLength(50);
    expect(keys.slice(0, 12)).toEqual([
      'record_id',
      'decision',
      'reason',
      'target',
      'policy',
      'policy_max_age',
      'policy_methods',
      'evidence_source',
      'evidence_verified_at',
      'evidence_methods',
      'request_id',
      'detail_key_00',
    ]);
    expect(event.metadata!.truncated).toBe('+42 keys'); // 11 record fields + 80 detail keys = 91 keys; 49 kept
  });

  it('renames keys WorkOS would refuse (too long, other characters) and cuts long detail values', () => {
    const event = toWorkosAuditLogEvent(
      sampleRecord({
        detail: {
          'a key with spaces.and.dots': 'v',
          ['k'.repeat(60)]: 'w'.repeat(900),
          emoji: `${'e'.repeat(498)}😀😀`,
        },
      }),
    )!;
    expectWithinWorkosLimits(event);
    expect(event.metadata).toMatchObject({
      detail_a_key_with_spaces_and_dots: 'v',
      [`detail_${'k'.repeat(33)}`]: `${'w'.repeat(499)}…`,
      detail_emoji: `${'e'.repeat(498)}…`,
    });
    expect(event.metadata!.truncated).toBe(`detail_a_key_with_spaces_and_dots detail_${'k'.repeat(33)} detail_emoji`);
  });

  it('a detail key that renames onto another is left out, not overwritten', () => {
    const event = toWorkosAuditLogEvent(sampleRecord({ detail: { 'a.b': 1, a_b: 2 } }))!;
    expect(event.metadata).toMatchObject({ detail_a_b: 1, truncated: '+1 keys detail_a_b' });
  });

  it('everything at once stays within the limits, and the marker itself is at most 500 characters', () => {
    const detail = Object.fromEntries(
      Array.from({ length: 200 }, (_, i) => [`${i} ${'long key name '.repeat(4)}`, 'z'.repeat(700)]),
    );
    const event = toWorkosAuditLogEvent(
      sampleRecord({
        target: longPath,
        userAgent: longAgent,
        requestId: 'r'.repeat(900),
        reason: 'x'.repeat(501),
        detail,
      }),
    )!;
    expectWithinWorkosLimits(event);
    expect(event.metadata!.truncated).toMatch(
      /^\+162 keys target_id context_user_agent reason target request_id detail_0_long_key_name_long_key_name_lon detail_1_/,
    );
  });

  it('the sink sends the fitted event (the client sees no field beyond the limits)', async () => {
    const workos = fakeWorkos();
    await createWorkosAuditLogSink({ workos }).write(sampleRecord({ target: longPath, userAgent: longAgent }));
    expect(workos.calls).toHaveLength(1);
    expectWithinWorkosLimits(workos.calls[0]!.event);
  });
});
