import { codedError, invalidField, notFound } from '../api-error';
import { jsonReply } from '../http';
import type { Route } from '../router';

function requireObject(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidField(field, `${field}_invalid`, `${field} must be an object.`);
  return value as Record<string, unknown>;
}

function requireText(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '') throw invalidField(field, `${field}_required`, `${field} is required.`);
  return value;
}

/** Checks the event shape `auditLogs.createEvent` sends; returns it unchanged. */
function validateEvent(value: unknown): Record<string, unknown> {
  const event = requireObject(value, 'event');
  requireText(event.action, 'event.action');
  const occurredAt = requireText(event.occurred_at, 'event.occurred_at');
  if (Number.isNaN(Date.parse(occurredAt))) throw invalidField('event.occurred_at', 'event.occurred_at_invalid', 'event.occurred_at must be an ISO-8601 date.');
  const actor = requireObject(event.actor, 'event.actor');
  requireText(actor.id, 'event.actor.id');
  requireText(actor.type, 'event.actor.type');
  if (!Array.isArray(event.targets)) throw invalidField('event.targets', 'event.targets_invalid', 'event.targets must be an array.');
  event.targets.forEach((target, i) => {
    const t = requireObject(target, `event.targets[${i}]`);
    requireText(t.id, `event.targets[${i}].id`);
    requireText(t.type, `event.targets[${i}].type`);
  });
  const context = requireObject(event.context, 'event.context');
  requireText(context.location, 'event.context.location');
  if (event.metadata !== undefined) requireObject(event.metadata, 'event.metadata');
  return event;
}

/** `POST /audit_logs/events`: stores events once per `Idempotency-Key`. */
export const auditLogRoutes: Route[] = [
  {
    method: 'POST',
    path: '/audit_logs/events',
    access: 'api',
    handle(req) {
      const { emu } = req;
      const body = req.json();
      const organizationId = body.organization_id;
      if (typeof organizationId !== 'string' || organizationId === '') throw invalidField('organization_id', 'organization_id_required', 'organization_id is required.');
      const event = validateEvent(body.event);
      if (!emu.store.organizations.has(organizationId)) throw notFound('Organization', organizationId);
      const header = req.headers['idempotency-key'];
      const idempotencyKey = typeof header === 'string' && header !== '' ? header : null;
      if (idempotencyKey !== null) {
        const earlier = emu.store.auditEvents.find((e) => e.idempotencyKey === idempotencyKey);
        if (earlier !== undefined) {
          // WorkOS answers a repeated key with the first result; a different payload is a client bug.
          if (JSON.stringify(earlier.event) !== JSON.stringify(event) || earlier.organizationId !== organizationId) {
            throw codedError(400, 'idempotency_key_reused', 'This Idempotency-Key was already used with a different request body.');
          }
          return jsonReply(201, {});
        }
      }
      emu.store.auditEvents.push({ organizationId, idempotencyKey, event, receivedAt: emu.clock.now() });
      return jsonReply(201, {});
    },
  },
];
