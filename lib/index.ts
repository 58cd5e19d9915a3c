/**
 * `authkit-session-mfa` — policies, the enforcement engine and its decisions. No Next.js, no Node built-ins:
 * import it from `proxy.ts` (Node), `middleware.ts` (Edge), server code and shared configuration alike.
 * Enforcement points live in `authkit-session-mfa/middleware` and `authkit-session-mfa/server`.
 * @packageDocumentation
 */
export { defineMfaPolicy, mfaPreset, perOrganization, type MfaPolicy, type PolicySpec } from './core/policy';
export type { Duration } from './core/duration';
export type { DecisionReason, MfaDecision } from './core/decision';
export type { LedgerEntry } from './core/ledger-entry';
export { isStepUpRequired, type StepUpRequiredResult } from './core/step-up-response';
export { safeReturnTo } from './core/return-to';
export { isMfaError, MfaError, type MfaErrorCode } from './core/errors';
export { createSessionMfa, type SessionMfa } from './session-mfa';
export { createSessionLedger } from './ledger/ledger';
export type { LedgerStore } from './ledger/types';
export { createAccessTokenVerifier, workosJwksUrl } from './token/verify';
