/**
 * `authkit-session-mfa/testing` — for your tests only: sign a user in with or without session MFA (MFA
 * verified when you say, e.g. 12 minutes ago) for Playwright, and run route handlers and server actions as a
 * session of your choosing in Vitest or Jest. Refuses to run with `NODE_ENV=production`, and cannot be imported
 * from app code at all: under Next's server, Edge and browser conditions the package does not export it, so
 * such an import fails the build.
 * @packageDocumentation
 */
import { assertNotProduction } from './testing/guard';

assertNotProduction('authkit-session-mfa/testing');

export { signInForTest, type TestSession } from './testing/sign-in';
export { withTestSession } from './testing/run-as';
