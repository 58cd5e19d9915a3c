/**
 * `authkit-session-mfa/server` — server-only helpers for route handlers, server actions and server
 * components. Importing this from a Client Component or the Edge middleware fails the build.
 * @packageDocumentation
 */
import 'server-only';

export { createServerSessionMfa } from './next/with-session-mfa';
export { unauthenticatedResponse } from './next/responses';
export { auditContextOf } from './next/request-context';
