import { getWorkOS, withAuth } from '@workos-inc/authkit-nextjs';
import { mfaPreset } from 'authkit-session-mfa';
import { auditContextOf } from 'authkit-session-mfa/server';
import { deleteFactorAndRevoke } from 'authkit-session-mfa/webhooks';
import { sessionMfa, withSessionMfa } from '@/mfa';

/** Removing an MFA factor changes how the account is protected: MFA within the last 10 minutes (OWASP ASVS V7.5.1). */
const removeFactorPolicy = mfaPreset('strict', { name: 'remove-factor' });

/**
 * `DELETE /api/mfa/factors/:factorId` — deletes one of the signed-in user's factors through WorkOS, then the
 * ledger entries that factor proved (this session's and the user's other sessions'), each audited.
 * 204 when deleted; 404 when it is not one of the user's factors; 409 when evidence could not be revoked
 * (the factor is gone, but sign out to be safe); 401/403 (step-up) from `withSessionMfa`.
 */
export const DELETE = withSessionMfa(
  async (request: Request, { params }: { params: Promise<{ factorId: string }> }) => {
    const { factorId } = await params;
    const { user, sessionId } = await withAuth();
    if (!user || !sessionId) return Response.json({ error: 'not_signed_in' }, { status: 401 });
    const context = auditContextOf(request.headers, 'DELETE /api/mfa/factors');
    const result = await deleteFactorAndRevoke({
      workos: getWorkOS(),
      sessionMfa,
      userId: user.id,
      sessionId,
      factorId,
      context,
    });
    if (result.status === 'not_found') return Response.json({ error: 'factor_not_found' }, { status: 404 });
    if (result.failed.length > 0)
      return Response.json(
        { error: 'evidence_not_revoked', revoked: result.revoked.length, failed: result.failed.length },
        { status: 409 },
      );
    return new Response(null, { status: 204 });
  },
  removeFactorPolicy,
  { name: 'DELETE /api/mfa/factors' },
);
