/**
 * `authkit-session-mfa/redis` — everything over a node-redis (`redis` v5) client, for Node servers and
 * self-hosted Redis or Valkey: the ledger store, the audit stream and webhook de-duplication.
 * Node only: importing it from Edge code or a Client Component fails the build.
 * @packageDocumentation
 */
import 'server-only';

export { redisStore } from './ledger/redis-node';
export { redisAuditSink, redisAuditSource } from './audit/redis-stream-node';
export { redisWebhookDedupe } from './webhooks/dedupe-redis-node';
