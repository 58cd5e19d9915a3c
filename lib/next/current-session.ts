import 'server-only';
import { withAuth } from '@workos-inc/authkit-nextjs';
import { testSessionScope } from './test-session';
import { verifiedPayload } from './token-payload';

/** This request's signed-in session: the claims of the token authkit verified, and its user. */
export interface VerifiedSession {
  readonly payload: Readonly<Record<string, unknown>>;
  readonly user: { readonly id: string; readonly email: string; readonly firstName: string | null };
}

/**
 * The one place the library's server helpers read who is signed in: authkit's `withAuth()` (the token its
 * middleware verified in this request), or — in tests, never in production — the session `withTestSession` runs
 * as. `null` when signed out.
 */
export async function currentVerifiedSession(): Promise<VerifiedSession | null> {
  const scope = testSessionScope();
  if (scope) return scope.user.id ? scope : null;
  const auth = await withAuth();
  if (!auth.user) return null;
  const payload = verifiedPayload(auth.accessToken);
  if (!payload) return null;
  return { payload, user: { id: auth.user.id, email: auth.user.email, firstName: auth.user.firstName } };
}
