import type { AuditRecord, AuditSink } from './record';
import { withRetry } from './retry';

/** The WorkOS Audit Logs event this sink sends (camelCase, as `auditLogs.createEvent` takes it). */
export interface WorkosAuditLogEvent {
  action: string;
  occurredAt: Date;
  actor: { id: string; type: string; name?: string };
  targets: Array<{ id: string; type: string; name?: string }>;
  context: { location: string; userAgent?: string };
  metadata?: Record<string, string | number | boolean>;
}

/** The slice of a `@workos-inc/node` `WorkOS` client the sink uses. */
export interface WorkosAuditLogsClient {
  readonly auditLogs: {
    createEvent(
      organizationId: string,
      event: WorkosAuditLogEvent,
      options?: { idempotencyKey?: string },
    ): Promise<void>;
  };
}

/** Why a record was not sent to WorkOS. */
export type WorkosAuditSkipReason = 'no_organization' | 'no_actor';

/** Counters of a {@link WorkosAuditLogSink}, for health checks and tests. */
export interface WorkosAuditLogStats {
  readonly sent: number;
  readonly failed: number;
  readonly skipped: Readonly<Record<WorkosAuditSkipReason, number>>;
}

/** An {@link AuditSink} that also reports what it sent and skipped. */
export interface WorkosAuditLogSink extends AuditSink {
  stats(): WorkosAuditLogStats;
}

/** Options of {@link createWorkosAuditLogSink}. */
export interface WorkosAuditLogSinkOptions {
  /** A `@workos-inc/node` client (e.g. authkit's `getWorkOS()`). */
  readonly workos: WorkosAuditLogsClient;
  /** Prefix of every action name; configure the actions under this prefix in the WorkOS dashboard. @default 'session_mfa' */
  readonly actionPrefix?: string;
  /** Attempts per record, the first included. @default 3 */
  readonly attempts?: number;
  /** Pauses between attempts in milliseconds. @default [100, 400] */
  readonly delaysMs?: readonly number[];
  /** `context.location` when a record carries no client IP (WorkOS requires one). @default 'unknown' */
  readonly defaultLocation?: string;
  /** Called for each record that cannot go to WorkOS, with the reason. @default nothing */
  readonly onSkip?: (reason: WorkosAuditSkipReason, record: AuditRecord) => void;
}

/**
 * The action of a record: `<prefix>.decision.allow|step_up|deny`, `<prefix>.ledger.recorded`,
 * `<prefix>.webhook.uncorrelated`, … — one WorkOS schema per action.
 */
export function workosAuditAction(record: AuditRecord, prefix = 'session_mfa'): string {
  return record.type === 'decision' && record.decision
    ? `${prefix}.decision.${record.decision}`
    : `${prefix}.${record.type}`;
}

/**
 * WorkOS's documented limits of a `metadata` object: at most 50 keys, key names of at most 40 characters
 * (letters, digits, `_`, `-`), values of at most 500 characters. An event beyond them is refused with a 400,
 * which no retry cures — so the sink keeps every event within them.
 */
export const WORKOS_METADATA_LIMITS = { maxKeys: 50, maxKeyLength: 40, maxValueLength: 500 } as const;

/**
 * The same 500-character cap for the event's other free text (route target id, `context.location` and
 * `userAgent`): WorkOS documents no limit there, and one overlong request must not cost its record.
 */
const MAX_TEXT_LENGTH = WORKOS_METADATA_LIMITS.maxValueLength;

/** Metadata key that lists what was shortened or left out to stay within the limits. */
const TRUNCATED_KEY = 'truncated';

/** `text` cut to `max` UTF-16 units, ending in `…` when cut; never splits a surrogate pair. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  if (/[\uD800-\uDBFF]/.test(text.charAt(end - 1))) end -= 1;
  return `${text.slice(0, end)}…`;
}

/** A metadata key WorkOS accepts: other characters become `_`, at most 40 characters. */
function metadataKey(key: string): string {
  return key.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, WORKOS_METADATA_LIMITS.maxKeyLength);
}

type Metadata = Record<string, string | number | boolean>;

/**
 * Flat metadata (WorkOS accepts strings, numbers and booleans only; absent and null values are left out),
 * within {@link WORKOS_METADATA_LIMITS}: long values are cut, keys renamed to the allowed characters and
 * length, and keys past the 49th left out (record fields first, then `detail_*`). When anything was changed,
 * a `truncated` key says so: `+N keys` for keys left out, then the names of the event fields cut outside
 * metadata (`target_id`, `context_location`, `context_user_agent`) and of the metadata keys shortened or renamed.
 */
function metadataOf(record: AuditRecord, cutOutside: readonly string[]): Metadata {
  const entries: Array<[string, string | number | boolean]> = [['record_id', record.id]];
  const put = (key: string, value: string | number | boolean | null | undefined) => {
    if (value !== undefined && value !== null) entries.push([key, value]);
  };
  put('decision', record.decision);
  put('reason', record.reason);
  put('target', record.target);
  put('policy', record.policy?.name);
  put('policy_max_age', record.policy?.maxAge);
  put('policy_methods', record.policy?.methods.join(' '));
  put('evidence_source', record.evidence?.source);
  put('evidence_verified_at', record.evidence?.verifiedAt);
  put('evidence_methods', record.evidence?.methods.join(' '));
  put('request_id', record.requestId);
  for (const [key, value] of Object.entries(record.detail ?? {})) put(`detail_${key}`, value);

  const out: Metadata = {};
  const changed: string[] = [];
  let left = 0;
  for (const [given, value] of entries) {
    const key = metadataKey(given);
    if (key === TRUNCATED_KEY || Object.hasOwn(out, key)) {
      left += 1; // a detail key renamed onto one already taken
      continue;
    }
    const fitted = typeof value === 'string' ? cut(value, WORKOS_METADATA_LIMITS.maxValueLength) : value;
    out[key] = fitted;
    if (key !== given || fitted !== value) changed.push(key);
  }
  const keys = Object.keys(out);
  if (keys.length <= WORKOS_METADATA_LIMITS.maxKeys && changed.length === 0 && left === 0 && cutOutside.length === 0)
    return out;
  // One key is kept for the marker itself.
  for (const key of keys.slice(WORKOS_METADATA_LIMITS.maxKeys - 1)) {
    delete out[key];
    left += 1;
  }
  // The count first: it must survive when the list itself is cut.
  const named = [
    ...(left > 0 ? [`+${left} keys`] : []),
    ...cutOutside,
    ...changed.filter((key) => Object.hasOwn(out, key)),
  ];
  out[TRUNCATED_KEY] = cut(named.join(' '), WORKOS_METADATA_LIMITS.maxValueLength);
  return out;
}

/**
 * Maps a record onto a WorkOS Audit Logs event: actor = the user, targets = the session (and the route or
 * action), `occurredAt` = the record time. `null` when the record has no actor or organization. The event
 * stays within WorkOS's documented metadata limits ({@link WORKOS_METADATA_LIMITS}); whatever had to be cut is
 * named in the `truncated` metadata key.
 */
export function toWorkosAuditLogEvent(
  record: AuditRecord,
  options: { actionPrefix?: string; defaultLocation?: string } = {},
): WorkosAuditLogEvent | null {
  if (!record.organizationId || !record.userId) return null;
  const cutOutside: string[] = [];
  const fit = (name: string, text: string) => {
    const fitted = cut(text, MAX_TEXT_LENGTH);
    if (fitted !== text) cutOutside.push(name);
    return fitted;
  };
  const route = record.target ? fit('target_id', record.target) : undefined;
  const location = fit('context_location', record.ip ?? options.defaultLocation ?? 'unknown');
  const userAgent = record.userAgent ? fit('context_user_agent', record.userAgent) : undefined;
  return {
    action: workosAuditAction(record, options.actionPrefix),
    occurredAt: new Date(record.time),
    actor: { id: record.userId, type: 'user' },
    targets: [
      ...(record.sessionId ? [{ id: record.sessionId, type: 'session' }] : []),
      ...(route ? [{ id: route, type: 'route' }] : []),
    ],
    context: { location, ...(userAgent ? { userAgent } : {}) },
    metadata: metadataOf(record, cutOutside),
  };
}

/** 4xx answers other than 408/429 will not change on a retry; network failures and 5xx may. */
function isRetryable(error: unknown): boolean {
  const status = typeof error === 'object' && error !== null ? (error as { status?: unknown }).status : undefined;
  if (typeof status !== 'number') return true;
  return status === 408 || status === 429 || status >= 500;
}

/**
 * A sink writing each record to WorkOS Audit Logs (`auditLogs.createEvent`) with the record id as the
 * `Idempotency-Key`, so a retried record is stored once. Edge-safe (the client does the I/O).
 *
 * @remarks
 * - WorkOS Audit Logs are per organization: a record without `organizationId` (a user signed in outside any
 *   organization, an uncorrelated webhook) or without a user is **skipped** and counted in
 *   `stats().skipped` — keep another sink (the Redis Stream) for the full trail.
 * - Retries: up to `attempts` with short pauses, only for network errors, 408, 429 and 5xx. The SDK's own
 *   retries (0.5–8 s backoff) are switched off per request (`maxRetries: 0`) so the bound holds.
 * - Each action needs a schema in the WorkOS dashboard (Audit Logs → Configuration).
 * @example
 * ```ts title="mfa.ts"
 * const workosSink = createWorkosAuditLogSink({ workos: getWorkOS() });
 * ```
 */
export function createWorkosAuditLogSink(options: WorkosAuditLogSinkOptions): WorkosAuditLogSink {
  const { workos, attempts = 3, delaysMs = [100, 400], onSkip } = options;
  const counters = { sent: 0, failed: 0, skipped: { no_organization: 0, no_actor: 0 } };
  return {
    name: 'workos-audit-logs',
    stats: () => ({ sent: counters.sent, failed: counters.failed, skipped: { ...counters.skipped } }),
    async write(record) {
      const event = toWorkosAuditLogEvent(record, options);
      if (!event) {
        const reason: WorkosAuditSkipReason = record.organizationId ? 'no_actor' : 'no_organization';
        counters.skipped[reason] += 1;
        onSkip?.(reason, record);
        return;
      }
      // `maxRetries` is read by @workos-inc/node's request layer although createEvent's type omits it.
      const requestOptions = { idempotencyKey: record.id, maxRetries: 0 };
      try {
        await withRetry(() => workos.auditLogs.createEvent(record.organizationId as string, event, requestOptions), {
          attempts,
          delaysMs,
          isRetryable,
        });
      } catch (error) {
        counters.failed += 1;
        throw error;
      }
      counters.sent += 1;
    },
  };
}
