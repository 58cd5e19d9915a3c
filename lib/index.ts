/**
 * `authkit-session-mfa` — the pure decision core: policies, claims, `evaluate()`, reason codes, errors.
 * Runs anywhere (Edge, Node, browser). Enforcement lives in `authkit-session-mfa/edge` (middleware, engine)
 * and `authkit-session-mfa/server` (route handlers, server actions, pages).
 * @packageDocumentation
 */
export * from './core/index';
