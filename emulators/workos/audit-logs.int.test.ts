import { BadRequestException, NotFoundException, UnprocessableEntityException, type WorkOS } from '@workos-inc/node';
import type { CreateAuditLogEventOptions } from '@workos-inc/node';
import { describe, expect, it } from 'vitest';
import { controlRequest, rejectionOf, specOracle, useEmulator, type EmulatorUnderTest } from './conformance-helpers';

let emulator: EmulatorUnderTest;
let workos: WorkOS;

useEmulator((started) => ({ emulator, workos } = started));

const event: CreateAuditLogEventOptions = {
  action: 'session_mfa.decision.step_up',
  occurredAt: new Date('2026-11-28T10:00:00.000Z'),
  actor: { id: 'user_alice', type: 'user', name: 'Alice' },
  targets: [{ id: 'session_1', type: 'session' }],
  context: { location: '203.0.113.9', userAgent: 'test' },
  metadata: { reason: 'stale' },
};

/** The event as the SDK puts it on the wire (for the spec's request schema). */
const wire = (e: CreateAuditLogEventOptions) => ({
  action: e.action,
  occurred_at: e.occurredAt.toISOString(),
  actor: e.actor,
  targets: e.targets,
  context: { location: e.context.location, user_agent: e.context.userAgent },
  ...(e.metadata === undefined ? {} : { metadata: e.metadata }),
});

describe('auditLogs.createEvent', () => {
  it('stores an event once per idempotency key', async () => {
    await workos.auditLogs.createEvent('org_acme', event, { idempotencyKey: 'key-1' });
    await workos.auditLogs.createEvent('org_acme', event, { idempotencyKey: 'key-1' });
    expect(await emulator.control.auditEvents()).toHaveLength(1);
    await workos.auditLogs.createEvent('org_acme', event, { idempotencyKey: 'key-2' });

    const { json } = await controlRequest(emulator, 'GET', 'audit-events');
    expect(json.data).toEqual([
      expect.objectContaining({
        organization_id: 'org_acme',
        idempotency_key: 'key-1',
        event: expect.objectContaining({
          action: 'session_mfa.decision.step_up',
          occurred_at: '2026-11-28T10:00:00.000Z',
          actor: event.actor,
          targets: event.targets,
          context: { location: '203.0.113.9', user_agent: 'test' },
          metadata: { reason: 'stale' },
        }),
      }),
      expect.objectContaining({ idempotency_key: 'key-2' }),
    ]);
  });

  it('answers 200 { success: true }, as WorkOS’s spec documents', async () => {
    const response = await fetch(`${emulator.url}/audit_logs/events`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${emulator.apiKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ organization_id: 'org_acme', event: wire(event) }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ success: true });
  });

  it('stores each call without an explicit key (the SDK generates one per call)', async () => {
    await workos.auditLogs.createEvent('org_acme', event);
    await workos.auditLogs.createEvent('org_acme', event);
    expect(await emulator.control.auditEvents()).toHaveLength(2);
  });

  it('rejects an unknown organization (404) and an invalid event (422) without storing', async () => {
    expect(await rejectionOf(workos.auditLogs.createEvent('org_nope', event))).toBeInstanceOf(NotFoundException);
    const invalid = await rejectionOf(
      workos.auditLogs.createEvent('org_acme', { ...event, actor: { id: '', type: 'user' } }),
    );
    expect(invalid).toBeInstanceOf(UnprocessableEntityException);
    expect(await emulator.control.auditEvents()).toHaveLength(0);
  });

  it('refuses an action without a configured schema, as production does (400 invalid_audit_log_event)', async () => {
    const error = await rejectionOf(
      workos.auditLogs.createEvent('org_acme', { ...event, action: 'session_mfa.decision.unheard_of' }),
    );
    expect(error).toBeInstanceOf(BadRequestException);
    expect(error).toMatchObject({
      status: 400,
      code: 'invalid_audit_log_event',
      errors: [{ instancePath: '/action' }],
    });
    expect(await emulator.control.auditEvents()).toHaveLength(0);
  });
});

describe('metadata limits (≤ 50 keys, key names ≤ 40 characters, values ≤ 500 characters)', () => {
  const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i]));
  const atLimits: Array<[string, Record<string, string | number | boolean>]> = [
    ['50 keys', fifty],
    ['a 40-character key', { ['k'.repeat(40)]: true }],
    ['a 500-character value', { note: 'v'.repeat(500) }],
  ];
  const overLimits: Array<[string, Record<string, string | number | boolean>, string]> = [
    ['51 keys', { ...fifty, k50: 50 }, '/metadata'],
    ['a 41-character key', { ['k'.repeat(41)]: true }, `/metadata/${'k'.repeat(41)}`],
    ['a 501-character value', { note: 'v'.repeat(501) }, '/metadata/note'],
    ['a key with a dot', { 'a.b': 1 }, '/metadata/a.b'],
  ];

  it.each(atLimits)('accepts %s (and so does WorkOS’s spec)', async (_name, metadata) => {
    expect(specOracle().checkAuditLogEvent(wire({ ...event, metadata }))).toEqual([]);
    await workos.auditLogs.createEvent('org_acme', { ...event, metadata });
    expect(await emulator.control.auditEvents()).toHaveLength(1);
  });

  it.each(overLimits)(
    'refuses %s with 400, storing nothing (and so does WorkOS’s spec)',
    async (_name, metadata, instancePath) => {
      expect(specOracle().checkAuditLogEvent(wire({ ...event, metadata }))).not.toEqual([]);
      const error = await rejectionOf(workos.auditLogs.createEvent('org_acme', { ...event, metadata }));
      expect(error).toMatchObject({ status: 400, code: 'invalid_audit_log_event', errors: [{ instancePath }] });
      expect(await emulator.control.auditEvents()).toHaveLength(0);
    },
  );

  it('applies the same limits to actor and target metadata', async () => {
    const long = { note: 'v'.repeat(501) };
    expect(
      await rejectionOf(
        workos.auditLogs.createEvent('org_acme', { ...event, actor: { ...event.actor, metadata: long } }),
      ),
    ).toMatchObject({ status: 400, errors: [{ instancePath: '/actor/metadata/note' }] });
    expect(
      await rejectionOf(
        workos.auditLogs.createEvent('org_acme', { ...event, targets: [{ id: 's', type: 'session', metadata: long }] }),
      ),
    ).toMatchObject({ status: 400, errors: [{ instancePath: '/targets/0/metadata/note' }] });
    expect(await emulator.control.auditEvents()).toHaveLength(0);
  });
});
