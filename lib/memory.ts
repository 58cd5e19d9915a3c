/**
 * `authkit-session-mfa/memory` — in-process stores for unit tests and single-process demos. Not shared
 * between processes or Edge isolates: never enforce MFA in production with them.
 * @packageDocumentation
 */
export { memoryStore } from './ledger/memory';
export { memoryWebhookDedupe } from './webhooks/dedupe';
