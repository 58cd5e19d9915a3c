import { codedError, invalidField, notFound, WorkosApiError } from '../api-error';
import { jsonReply } from '../http';
import type { Route } from '../router';

/** WorkOS's metadata limits (OpenAPI spec `AuditLogEvent*Dto.metadata`): ≤ 50 keys of `[a-zA-Z0-9_-]{0,40}`, values ≤ 500 characters. */
export const AUDIT_METADATA_LIMITS = { maxKeys: 50, keyPattern: /^[a-zA-Z0-9_-]{0,40}$/, maxValueLength: 500 } as const;

/** The 400 WorkOS's spec gives for an event that fails validation, naming where (JSON pointer into the event). */
function invalidEvent(instancePath: string, message = 'Invalid Audit Log event.'): WorkosApiError {
  return new WorkosApiError(400, { message, code: 'invalid_audit_log_event', errors: [{ instancePath }] });
}

function requireObject(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalidField(field, `${field}_invalid`, `${field} must be an object.`);
  return value as Record<string, unknown>;
}

function requireText(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '')
    throw invalidField(field, `${field}_required`, `${field} is required.`);
  return value;
}

/** Enforces the metadata limits on `metadata` at JSON pointer `path` (absent is fine). */
function checkMetadata(value: unknown, path: string): void {
  if (value === undefined) return;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidEvent(path);
  const entries = Object.entries(value);
  if (entries.length > AUDIT_METADATA_LIMITS.maxKeys)
    throw invalidEvent(path, `Invalid Audit Log event: metadata has more than ${AUDIT_METADATA_LIMITS.maxKeys} keys.`);
  for (const [key, entry] of entries) {
    if (!AUDIT_METADATA_LIMITS.keyPattern.test(key))
      throw invalidEvent(
        `${path}/${key}`,
        'Invalid Audit Log event: metadata keys are at most 40 letters, digits, "_" or "-".',
      );
    const ok =
      typeof entry === 'number' ||
      typeof entry === 'boolean' ||
      (typeof entry === 'string' && entry.length <= AUDIT_METADATA_LIMITS.maxValueLength);
    if (!ok)
      throw invalidEvent(
        `${path}/${key}`,
        'Invalid Audit Log event: metadata values are numbers, booleans or strings of at most 500 characters.',
      );
  }
}

/** Checks the event `auditLogs.createEvent` sends against the configured actions and WorkOS's limits; returns it unchanged. */
function validateEvent(value: unknown, actions: ReadonlySet<string>): Record<string, unknown> {
  const event = requireObject(value, 'event');
  const action = requireText(event.action, 'event.action');
  const occurredAt = requireText(event.occurred_at, 'event.occurred_at');
  if (Number.isNaN(Date.parse(occurredAt)))
    throw invalidField('event.occurred_at', 'event.occurred_at_invalid', 'event.occurred_at must be an ISO-8601 date.');
  const actor = requireObject(event.actor, 'event.actor');
  requireText(actor.id, 'event.actor.id');
  requireText(actor.type, 'event.actor.type');
  if (!Array.isArray(event.targets))
    throw invalidField('event.targets', 'event.targets_invalid', 'event.targets must be an array.');
  event.targets.forEach((target, i) => {
    const t = requireObject(target, `event.targets[${i}]`);
    requireText(t.id, `event.targets[${i}].id`);
    requireText(t.type, `event.targets[${i}].type`);
    checkMetadata(t.metadata, `/targets/${i}/metadata`);
  });
  const context = requireObject(event.context, 'event.context');
  requireText(context.location, 'event.context.location');
  checkMetadata(event.metadata, '/metadata');
  checkMetadata(actor.metadata, '/actor/metadata');
  // WorkOS validates each event against the schema configured for its action; an unknown action has none.
  if (!actions.has(action))
    throw invalidEvent('/action', `Invalid Audit Log event: no schema is configured for action "${action}".`);
  return event;
}

/** `POST /audit_logs/events`: stores events once per `Idempotency-Key`; answers 200 `{ success: true }` as WorkOS's spec does. */
export const auditLogRoutes: Route[] = [
  {
    method: 'POST',
    path: '/audit_logs/events',
    access: 'api',
    handle(req) {
      const { emu } = req;
      const body = req.json();
      const organizationId = body.organization_id;
      if (typeof organizationId !== 'string' || organizationId === '')
        throw invalidField('organization_id', 'organization_id_required', 'organization_id is required.');
      const event = validateEvent(body.event, emu.auditLogActions);
      if (!emu.store.organizations.has(organizationId)) throw notFound('Organization', organizationId);
      const header = req.headers['idempotency-key'];
      const idempotencyKey = typeof header === 'string' && header !== '' ? header : null;
      if (idempotencyKey !== null) {
        const earlier = emu.store.auditEvents.find((e) => e.idempotencyKey === idempotencyKey);
        if (earlier !== undefined) {
          // WorkOS answers a repeated key with the first result; a different payload is a client bug.
          if (JSON.stringify(earlier.event) !== JSON.stringify(event) || earlier.organizationId !== organizationId) {
            throw codedError(
              400,
              'idempotency_key_reused',
              'This Idempotency-Key was already used with a different request body.',
            );
          }
          return jsonReply(200, { success: true });
        }
      }
      emu.store.auditEvents.push({ organizationId, idempotencyKey, event, receivedAt: emu.clock.now() });
      return jsonReply(200, { success: true });
    },
  },
];
