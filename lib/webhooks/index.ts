/**
 * `authkit-session-mfa/webhooks` — immediate revocation and session-bound webhooks, Edge-safe: the WorkOS
 * webhook route handler, factor deletion that revokes the evidence it proved, and event de-duplication
 * stores (Upstash, memory). The node-redis store lives in `authkit-session-mfa/webhooks/redis`.
 * @packageDocumentation
 */
export {
  createWorkosWebhookHandler,
  DEFAULT_WEBHOOK_DEDUPE_TTL_SECONDS,
  DEFAULT_WEBHOOK_TOLERANCE_MS,
  type WebhookOutcome,
  type WebhookSessionCheck,
  type WorkosWebhookHandlerOptions,
} from './handler';
export { deleteFactorAndRevoke, type DeleteFactorInput, type DeleteFactorResult } from './factor-removal';
export { memoryWebhookDedupe, webhookEventKey, type WebhookDedupeStore } from './dedupe';
export { upstashWebhookDedupe, type UpstashDedupeClient } from './dedupe-upstash';
export { DEFAULT_WEBHOOK_MAX_BODY_BYTES, readCappedText } from './raw-body';
export { signatureTimestampMs } from './signature-time';
export type { FactorWorkosClient, WebhookWorkosClient, WorkosSessionSummary } from './workos-client';
