/**
 * `authkit-session-mfa/middleware` — authkit's middleware plus session-MFA rules per route segment, for
 * `proxy.ts` (Node) or `middleware.ts` (Edge). Imports nothing Node-only.
 * @packageDocumentation
 */
export { createSessionMfaMiddleware } from './next/middleware';
