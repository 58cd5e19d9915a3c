/**
 * `authkit-session-mfa/upstash` — everything over an `@upstash/redis` client (HTTP, Edge-safe): the ledger
 * store, the audit stream, webhook de-duplication, step-up attempt limits and used-code markers.
 * Needs `@upstash/redis` (and `@upstash/ratelimit` for `upstashAttemptLimiter`).
 * @packageDocumentation
 */
export { upstashStore } from './ledger/upstash';
export { upstashAuditSink, upstashAuditSource } from './audit/upstash-stream';
export { upstashWebhookDedupe } from './webhooks/dedupe-upstash';
export { upstashAttemptLimiter } from './step-up/ratelimit-limiter';
export { counterAttemptLimiter } from './step-up/counter-limiter';
export { upstashUsedCodes } from './step-up/used-codes';
