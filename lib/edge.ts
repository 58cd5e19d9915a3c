/**
 * `authkit-session-mfa/edge` — everything that runs on the Edge runtime (and on Node): the engine, the
 * middleware, token verification, the ledger over any Edge-safe store, and audit plumbing.
 * Imports nothing Node-only; a Node-only module reaching this file fails lint and the Edge build.
 * @packageDocumentation
 */
export { createSessionMfa, type SessionMfa, type SessionMfaOptions } from './session-mfa';
export { createSessionMfaMiddleware, type MfaRouteRule, type SessionMfaMiddlewareOptions } from './next/middleware';
export { requestKind, returnPathOf, type RequestKind } from './next/request-kind';
export { insufficientAuthenticationResponse, unauthenticatedResponse } from './next/responses';
export { createAccessTokenVerifier, workosJwksUrl, type AccessTokenVerifier, type AccessTokenVerifierOptions, type WorkosApiLocation } from './token/verify';
export { createSessionLedger, DEFAULT_LEDGER_TIMEOUT_MS, DEFAULT_LEDGER_TTL_SECONDS, type RecordOptions, type SessionLedger, type SessionLedgerOptions } from './ledger/ledger';
export type { LedgerStore } from './ledger/types';
export { decisionRecord, ledgerRecord, type AuditContext, type AuditEventType, type AuditRecord, type AuditSink } from './audit/record';
export { createAuditTrail, type AuditTrail, type AuditTrailOptions } from './audit/trail';
export * from './core/index';
