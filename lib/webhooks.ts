/**
 * `authkit-session-mfa/webhooks` — immediate revocation and session-bound webhooks, Edge-safe: the WorkOS
 * webhook route handler and factor deletion that revokes the evidence it proved. De-duplication stores come
 * with their client: `authkit-session-mfa/upstash`, `authkit-session-mfa/redis`, `authkit-session-mfa/memory`.
 * @packageDocumentation
 */
export { createWorkosWebhookHandler } from './webhooks/handler';
export { deleteFactorAndRevoke } from './webhooks/factor-removal';
export type { WebhookDedupeStore } from './webhooks/dedupe';
