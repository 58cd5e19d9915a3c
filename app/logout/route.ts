import { signOut, withAuth } from '@workos-inc/authkit-nextjs';
import { auditContextOf } from 'authkit-session-mfa/server';
import type { NextRequest } from 'next/server';
import { sessionMfa } from '@/mfa';

/**
 * Signs out: first removes this session's MFA evidence from the ledger (revocation takes effect at once),
 * then lets authkit end the WorkOS session and clear the cookie.
 */
export async function GET(request: NextRequest) {
  const { user, sessionId } = await withAuth();
  if (user && sessionId) {
    try {
      await sessionMfa.removeVerification(
        { sessionId, userId: user.id },
        { ...auditContextOf(request.headers, 'GET /logout'), reason: 'sign_out' },
      );
    } catch (error) {
      // The session ends anyway, so its sid can never be presented again; the entry expires with its TTL.
      console.error(
        `[logout] ledger entry of ${sessionId} not removed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  await signOut({ returnTo: new URL('/', request.nextUrl.origin).toString() });
}
