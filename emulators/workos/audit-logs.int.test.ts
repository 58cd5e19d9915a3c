import { NotFoundException, UnprocessableEntityException, type WorkOS } from '@workos-inc/node';
import type { CreateAuditLogEventOptions } from '@workos-inc/node';
import { describe, expect, it } from 'vitest';
import { controlRequest, rejectionOf, useEmulator } from './conformance-helpers';
import { type WorkosEmulator } from './server';

let emulator: WorkosEmulator;
let workos: WorkOS;

useEmulator((started) => ({ emulator, workos } = started));

const event: CreateAuditLogEventOptions = {
  action: 'session.mfa_step_up',
  occurredAt: new Date('2026-11-28T10:00:00.000Z'),
  actor: { id: 'user_alice', type: 'user', name: 'Alice' },
  targets: [{ id: 'session_1', type: 'session' }],
  context: { location: '203.0.113.9', userAgent: 'test' },
  metadata: { reason: 'stale' },
};

describe('auditLogs.createEvent', () => {
  it('stores an event once per idempotency key', async () => {
    await workos.auditLogs.createEvent('org_acme', event, { idempotencyKey: 'key-1' });
    await workos.auditLogs.createEvent('org_acme', event, { idempotencyKey: 'key-1' });
    expect(emulator.control.auditEvents()).toHaveLength(1);
    await workos.auditLogs.createEvent('org_acme', event, { idempotencyKey: 'key-2' });

    const { json } = await controlRequest(emulator, 'GET', 'audit-events');
    expect(json.data).toEqual([
      expect.objectContaining({ organization_id: 'org_acme', idempotency_key: 'key-1', event: expect.objectContaining({ action: 'session.mfa_step_up', occurred_at: '2026-11-28T10:00:00.000Z', actor: event.actor, targets: event.targets, context: { location: '203.0.113.9', user_agent: 'test' }, metadata: { reason: 'stale' } }) }),
      expect.objectContaining({ idempotency_key: 'key-2' }),
    ]);
  });

  it('stores each call without an explicit key (the SDK generates one per call)', async () => {
    await workos.auditLogs.createEvent('org_acme', event);
    await workos.auditLogs.createEvent('org_acme', event);
    expect(emulator.control.auditEvents()).toHaveLength(2);
  });

  it('rejects an unknown organization (404) and an invalid event (422) without storing', async () => {
    expect(await rejectionOf(workos.auditLogs.createEvent('org_nope', event))).toBeInstanceOf(NotFoundException);
    const invalid = await rejectionOf(workos.auditLogs.createEvent('org_acme', { ...event, actor: { id: '', type: 'user' } }));
    expect(invalid).toBeInstanceOf(UnprocessableEntityException);
    expect(emulator.control.auditEvents()).toHaveLength(0);
  });
});
