import { MfaConfigError } from '../core/errors';
import { isSafeId } from '../core/ledger-entry';
import type { SessionMfa } from '../session-mfa';
import { eventRecord } from '../audit/record';
import { withDeadline } from '../io/deadline';
import { jsonResponse } from '../next/responses';
import { webhookEventKey, webhookGrantKey, type WebhookDedupeStore } from './dedupe';
import {
  DEFAULT_ESTABLISHING_WINDOW,
  MAX_ESTABLISHING_WINDOW,
  notEstablishingReason,
  sessionIdTimeMs,
  type EstablishingWindow,
} from './establishing-mfa';
import { DEFAULT_WEBHOOK_MAX_BODY_BYTES, readCappedText } from './raw-body';
import { signatureTimestampMs } from './signature-time';
import type { WebhookWorkosClient, WorkosSessionSummary } from './workos-client';

/** Default clock tolerance of a signature, in milliseconds (3 minutes, the SDK's own default). */
export const DEFAULT_WEBHOOK_TOLERANCE_MS = 180_000;

/** How long an event id is remembered: WorkOS retries for up to 3 days; one more day of margin. */
export const DEFAULT_WEBHOOK_DEDUPE_TTL_SECONDS = 4 * 86_400;

const MAX_TOLERANCE_MS = 15 * 60_000;

/**
 * How an `authentication.mfa_succeeded` event's `session_id` is tied to its `user_id`, and where the session's
 * creation time (which the event's time must match, see {@link EstablishingWindow}) comes from:
 * - `'workos-api'` — list the user's sessions through the WorkOS API and require that the session is
 *   among them and active; its `createdAt` is the creation time;
 * - `'signature'` — trust the signed pair as WorkOS sent it (no API call; a revoked session can then be
 *   granted until its `session.revoked` event arrives); the creation time is the one WorkOS encodes in the
 *   session id (`session_<ULID>`). A session id that is not a ULID grants nothing.
 */
export type WebhookSessionCheck = 'workos-api' | 'signature';

/** Options of {@link createWorkosWebhookHandler}. */
export interface WorkosWebhookHandlerOptions {
  /** A `@workos-inc/node` client (authkit's `getWorkOS()`): verifies signatures and looks sessions up. */
  readonly workos: WebhookWorkosClient;
  /** The endpoint's signing secret from the WorkOS dashboard. */
  readonly secret: string;
  /** The engine whose ledger and audit trail the events update. */
  readonly sessionMfa: Pick<
    SessionMfa,
    'ledger' | 'now' | 'audit' | 'verificationOf' | 'recordVerification' | 'removeVerification'
  >;
  /** Remembers handled event ids (`upstashWebhookDedupe`, `redisWebhookDedupe`). */
  readonly dedupe: WebhookDedupeStore;
  /** Accepted signature age (and clock skew into the future), in milliseconds, at most 15 min. @default 180000 */
  readonly toleranceMs?: number;
  /** Largest accepted body in bytes; larger is 413. @default 65536 */
  readonly maxBodyBytes?: number;
  /** How long a handled event id is remembered, in seconds. @default 345600 (4 days) */
  readonly dedupeTtlSeconds?: number;
  /** Budget of one dedupe-store call in milliseconds. @default 1000 */
  readonly dedupeTimeoutMs?: number;
  /** RFC 8176 methods recorded for a webhook-proven MFA (AuthKit MFA is TOTP). @default ['otp'] */
  readonly methods?: readonly string[];
  /** @default 'workos-api' */
  readonly sessionCheck?: WebhookSessionCheck;
  /**
   * How closely the event's time must match the named session's creation, in milliseconds (`beforeMs` ≤ 10 min,
   * `afterMs` ≤ 1 min, `arrivalMs` ≤ 1 h). Widen it only with evidence of WorkOS's own timing: each added second
   * is a second in which another MFA of the same user could be taken for this session's.
   * @default {@link DEFAULT_ESTABLISHING_WINDOW} (30 s before, 2 s after, delivered within 5 min)
   */
  readonly establishingWindow?: Partial<EstablishingWindow>;
  /** Namespace of the dedupe keys (`<prefix>:v1:{<eventId>}:webhook`). @default 'authkit-mfa' */
  readonly keyPrefix?: string;
  /** Reports unexpected failures (never secrets). @default console.error with the message only */
  readonly onError?: (message: string, error?: unknown) => void;
}

/** What the handler did with a delivery (the `status` of its JSON answer). */
export type WebhookOutcome = 'recorded' | 'removed' | 'uncorrelated' | 'rejected' | 'current' | 'duplicate' | 'ignored';

type Envelope = { id: string; event: string; createdAt: string | null; data: Record<string, unknown> };

const json = (status: number, body: Record<string, unknown>) => jsonResponse(body, status);
const done = (status: WebhookOutcome) => json(200, { received: true, status });
const retryLater = (error: string) => json(503, { error });

function checkOptions(options: WorkosWebhookHandlerOptions): void {
  const {
    secret,
    toleranceMs = DEFAULT_WEBHOOK_TOLERANCE_MS,
    maxBodyBytes = DEFAULT_WEBHOOK_MAX_BODY_BYTES,
    dedupeTtlSeconds = DEFAULT_WEBHOOK_DEDUPE_TTL_SECONDS,
  } = options;
  if (typeof secret !== 'string' || secret.length === 0)
    throw new MfaConfigError(
      'ERR_MFA_CONFIG_INVALID',
      'secret',
      'must be the webhook signing secret (e.g. WORKOS_WEBHOOK_SECRET).',
    );
  if (!(toleranceMs > 0 && toleranceMs <= MAX_TOLERANCE_MS))
    throw new MfaConfigError(
      'ERR_MFA_CONFIG_INVALID',
      'toleranceMs',
      `must be > 0 and ≤ ${MAX_TOLERANCE_MS} ms (t is in milliseconds), got ${String(toleranceMs)}.`,
    );
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes < 1)
    throw new MfaConfigError(
      'ERR_MFA_CONFIG_INVALID',
      'maxBodyBytes',
      `must be a whole number of bytes ≥ 1, got ${String(maxBodyBytes)}.`,
    );
  if (!Number.isSafeInteger(dedupeTtlSeconds) || dedupeTtlSeconds < 1)
    throw new MfaConfigError(
      'ERR_MFA_CONFIG_INVALID',
      'dedupeTtlSeconds',
      `must be a whole number of seconds ≥ 1, got ${String(dedupeTtlSeconds)}.`,
    );
  const bounds = { ...DEFAULT_ESTABLISHING_WINDOW, ...options.establishingWindow };
  for (const bound of ['beforeMs', 'afterMs', 'arrivalMs'] as const) {
    const value = bounds[bound];
    if (!Number.isSafeInteger(value) || value < 0 || value > MAX_ESTABLISHING_WINDOW[bound]) {
      throw new MfaConfigError(
        'ERR_MFA_CONFIG_INVALID',
        `establishingWindow.${bound}`,
        `must be a whole number of milliseconds from 0 to ${MAX_ESTABLISHING_WINDOW[bound]}, got ${String(value)}.`,
      );
    }
  }
  if (!options.sessionMfa.ledger)
    throw new MfaConfigError(
      'ERR_MFA_CONFIG_INVALID',
      'sessionMfa',
      'needs a ledger: webhooks write and remove ledger entries.',
    );
}

function envelopeOf(raw: string): Envelope | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const { id, event, created_at: createdAt, data } = parsed as Record<string, unknown>;
  if (
    typeof id !== 'string' ||
    typeof event !== 'string' ||
    typeof data !== 'object' ||
    data === null ||
    Array.isArray(data)
  )
    return null;
  return {
    id,
    event,
    createdAt: typeof createdAt === 'string' ? createdAt : null,
    data: data as Record<string, unknown>,
  };
}

function isSignatureError(error: unknown): boolean {
  return error instanceof Error && error.name === 'SignatureVerificationException';
}

/**
 * A route handler for WorkOS webhooks (`POST`), Edge-safe:
 * 1. reads the raw body (capped), verifies `WorkOS-Signature` with `workos.webhooks.constructEvent` within
 *    `toleranceMs` — also refusing timestamps that far in the future — and answers 401 to unsigned, tampered
 *    or stale deliveries without changing anything;
 * 2. handles each event id once (`SET NX` with a TTL); a redelivery answers 200 `duplicate`;
 * 3. `authentication.mfa_succeeded` **with** `data.session_id` → a ledger entry (source `webhook`) for that
 *    session only when the event's MFA is the authentication that *established* it:
 *    - the session belongs to `data.user_id` and is active (see {@link WebhookSessionCheck});
 *    - the event's `created_at` lies within {@link EstablishingWindow} of the session's creation (from WorkOS;
 *      unknown → no grant), and the delivery arrives within `arrivalMs` of it;
 *    - no earlier event was granted for the session (one establishing MFA per session, remembered in the
 *      dedupe store).
 *    Otherwise — an MFA in another session of the same user, an older or newer session, a late or second
 *    event — an audit record `webhook.uncorrelated` (reason `session_start_unknown`, `mfa_before_session`,
 *    `mfa_after_session_start`, `delivered_late` or `session_already_granted`) and no grant. **Without**
 *    `session_id` → `webhook.uncorrelated` (`no_session_id`), never a grant;
 * 4. `session.revoked` → the session's ledger entry is deleted at once (audited);
 * 5. anything else → 200 `ignored`.
 * Failures that a retry can cure (ledger, dedupe store or WorkOS API down) answer 503 so WorkOS redelivers.
 *
 * @remarks `constructEvent` drops fields it does not know (today's SDK has no `session_id` on
 * authentication events), so the fields are read from the verified raw body — the bytes the signature covers.
 * @throws MfaConfigError for a missing secret, a tolerance over 15 minutes or an engine without a ledger.
 * @example
 * ```ts title="app/api/webhooks/workos/route.ts"
 * const handler = createWorkosWebhookHandler({ workos: getWorkOS(), secret: process.env.WORKOS_WEBHOOK_SECRET!, sessionMfa, dedupe: upstashWebhookDedupe(redis) });
 * export const POST = (request: Request) => handler(request);
 * ```
 */
export function createWorkosWebhookHandler(
  options: WorkosWebhookHandlerOptions,
): (request: Request) => Promise<Response> {
  checkOptions(options);
  const { workos, secret, sessionMfa, dedupe } = options;
  const toleranceMs = options.toleranceMs ?? DEFAULT_WEBHOOK_TOLERANCE_MS;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_WEBHOOK_MAX_BODY_BYTES;
  const dedupeTtl = options.dedupeTtlSeconds ?? DEFAULT_WEBHOOK_DEDUPE_TTL_SECONDS;
  const dedupeTimeoutMs = options.dedupeTimeoutMs ?? 1000;
  const methods = [...(options.methods ?? ['otp'])];
  const sessionCheck = options.sessionCheck ?? 'workos-api';
  const establishingWindow = { ...DEFAULT_ESTABLISHING_WINDOW, ...options.establishingWindow };
  const onError = options.onError ?? ((message: string) => console.error(`[session-mfa] webhook: ${message}`));

  const claim = (key: string) => withDeadline(() => dedupe.claim(key, dedupeTtl), dedupeTimeoutMs);
  const release = async (key: string) => {
    try {
      await withDeadline(() => dedupe.release(key), dedupeTimeoutMs);
    } catch (error) {
      // The redelivery will then be taken for a duplicate; say so loudly.
      onError(`could not release event key ${key} after a failure; its redelivery will be ignored`, error);
    }
  };

  function reject(
    envelope: Envelope,
    reason: string,
    fields: { userId?: string; sessionId?: string; organizationId?: string } = {},
  ): Response {
    sessionMfa.audit(
      eventRecord({
        type: 'webhook.rejected',
        reason,
        target: `webhook ${envelope.event}`,
        requestId: envelope.id,
        detail: { eventId: envelope.id },
        now: sessionMfa.now(),
        ...fields,
      }),
    );
    return done('rejected');
  }

  async function confirmSession(userId: string, sid: string): Promise<WorkosSessionSummary | 'not_found'> {
    const sessions = await (await workos.userManagement.listSessions(userId)).autoPagination();
    return sessions.find((s) => s.id === sid) ?? 'not_found';
  }

  async function mfaSucceeded(envelope: Envelope, key: string): Promise<Response> {
    const { data } = envelope;
    const userId = data.user_id;
    if (!isSafeId(userId)) return reject(envelope, 'malformed_user_id');
    const sid = data.session_id;
    const now = sessionMfa.now();
    const uncorrelated = (
      reason: string,
      fields: { sid?: string; detail?: Record<string, string | number | null> } = {},
    ) => {
      sessionMfa.audit(
        eventRecord({
          type: 'webhook.uncorrelated',
          reason,
          target: `webhook ${envelope.event}`,
          userId,
          ...(fields.sid ? { sessionId: fields.sid } : {}),
          requestId: envelope.id,
          detail: { eventId: envelope.id, ...fields.detail },
          now,
        }),
      );
      return done('uncorrelated');
    };
    if (sid === undefined || sid === null || sid === '') {
      // Today's WorkOS event: no session to bind to. Correlating by user, IP or time is guesswork: record it only.
      return uncorrelated('no_session_id');
    }
    if (!isSafeId(sid)) return reject(envelope, 'malformed_session_id', { userId });
    const eventMs = envelope.createdAt === null ? Number.NaN : Date.parse(envelope.createdAt);
    if (Number.isNaN(eventMs)) return reject(envelope, 'missing_timestamp', { userId, sessionId: sid });
    // Never date evidence into the future (clock skew): it would outlive its maxAge.
    const verifiedAt = Math.min(Math.floor(eventMs / 1000), now);

    let orgId =
      typeof data.organization_id === 'string' && isSafeId(data.organization_id) ? data.organization_id : undefined;
    let sessionCreatedMs: number | null = sessionIdTimeMs(sid);
    if (sessionCheck === 'workos-api') {
      let session: WorkosSessionSummary | 'not_found';
      try {
        session = await confirmSession(userId, sid);
      } catch (error) {
        onError(`listing the sessions of ${userId} failed: ${error instanceof Error ? error.message : String(error)}`);
        await release(key);
        return retryLater('workos_unavailable');
      }
      if (session === 'not_found') return reject(envelope, 'session_not_found_for_user', { userId, sessionId: sid });
      if (session.userId !== userId) return reject(envelope, 'session_user_mismatch', { userId, sessionId: sid });
      if (session.status !== 'active') return reject(envelope, 'session_not_active', { userId, sessionId: sid });
      orgId = session.organizationId && isSafeId(session.organizationId) ? session.organizationId : undefined;
      const created = typeof session.createdAt === 'string' ? Date.parse(session.createdAt) : Number.NaN;
      sessionCreatedMs = Number.isNaN(created) ? null : created;
    }

    // The event grants only if its MFA is the one that established this session (not another session's).
    const notEstablishing = notEstablishingReason({
      eventMs,
      sessionCreatedMs,
      receivedMs: now * 1000,
      window: establishingWindow,
    });
    const times = {
      eventAt: new Date(eventMs).toISOString(),
      sessionCreatedAt: sessionCreatedMs === null ? null : new Date(sessionCreatedMs).toISOString(),
    };
    if (notEstablishing) return uncorrelated(notEstablishing, { sid, detail: times });

    // One establishing MFA per session: a second event naming it (another event id) is a contradiction.
    const grantKey = webhookGrantKey(sid, options.keyPrefix);
    let firstGrant: boolean;
    try {
      firstGrant = await claim(grantKey);
    } catch (error) {
      onError(`dedupe store ${dedupe.name} failed: ${error instanceof Error ? error.message : String(error)}`);
      await release(key);
      return retryLater('dedupe_unavailable');
    }
    if (!firstGrant) return uncorrelated('session_already_granted', { sid, detail: times });

    // A step-up already recorded in this session is fresher evidence (and names its factor): keep it.
    const existing = await sessionMfa.verificationOf({ sessionId: sid, userId });
    if (existing.status === 'found' && existing.entry.verifiedAt >= verifiedAt) return done('current');

    try {
      await sessionMfa.recordVerification(
        { sessionId: sid, userId, ...(orgId ? { organizationId: orgId } : {}), verifiedAt, methods, source: 'webhook' },
        {
          target: `webhook ${envelope.event}`,
          reason: 'webhook_mfa_succeeded',
          requestId: envelope.id,
          detail: { eventId: envelope.id, ...times },
        },
      );
    } catch (error) {
      onError(`recording the ledger entry of ${sid} failed: ${error instanceof Error ? error.message : String(error)}`);
      await release(grantKey);
      await release(key);
      return retryLater('ledger_unavailable');
    }
    return done('recorded');
  }

  async function sessionRevoked(envelope: Envelope, key: string | null): Promise<Response> {
    const { id: sid, user_id: userId } = envelope.data;
    if (!isSafeId(sid) || !isSafeId(userId)) return reject(envelope, 'malformed_session');
    try {
      await sessionMfa.removeVerification(
        { sessionId: sid, userId },
        {
          target: `webhook ${envelope.event}`,
          reason: 'session_revoked',
          requestId: envelope.id,
          detail: { eventId: envelope.id },
        },
      );
    } catch (error) {
      onError(`removing the ledger entry of ${sid} failed: ${error instanceof Error ? error.message : String(error)}`);
      if (key) await release(key);
      return retryLater('ledger_unavailable');
    }
    return done('removed');
  }

  return async function handleWorkosWebhook(request: Request): Promise<Response> {
    if (request.method !== 'POST') return new Response(null, { status: 405, headers: { allow: 'POST' } });
    const sigHeader = request.headers.get('workos-signature');
    if (!sigHeader) return json(401, { error: 'missing_signature' });
    const payload = await readCappedText(request, maxBodyBytes);
    if (payload === null) return json(413, { error: 'body_too_large_or_not_utf8' });
    // The SDK refuses old timestamps only; a future one is just as suspect (a captured signature replayed later).
    const t = signatureTimestampMs(sigHeader);
    if (t === null || t > Date.now() + toleranceMs) return json(401, { error: 'invalid_signature' });
    try {
      await workos.webhooks.constructEvent({ payload, sigHeader, secret, tolerance: toleranceMs });
    } catch (error) {
      if (isSignatureError(error)) return json(401, { error: 'invalid_signature' });
      return json(400, { error: 'malformed_event' });
    }
    const envelope = envelopeOf(payload);
    const key = envelope ? webhookEventKey(envelope.id, options.keyPrefix) : null;
    if (!envelope || !key) return json(400, { error: 'malformed_event' });
    if (envelope.event !== 'authentication.mfa_succeeded' && envelope.event !== 'session.revoked')
      return done('ignored');

    let first: boolean | 'unavailable';
    try {
      first = await claim(key);
    } catch (error) {
      onError(`dedupe store ${dedupe.name} failed: ${error instanceof Error ? error.message : String(error)}`);
      first = 'unavailable';
    }
    if (first === false) return done('duplicate');
    if (envelope.event === 'session.revoked') {
      // Revocation is idempotent and must not wait for the dedupe store: remove even when it is down.
      return sessionRevoked(envelope, first === true ? key : null);
    }
    // A grant without de-duplication could be replayed: refuse until the store is back (WorkOS redelivers).
    if (first === 'unavailable') return retryLater('dedupe_unavailable');
    return mfaSucceeded(envelope, key);
  };
}
