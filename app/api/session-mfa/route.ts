import { withAuth } from '@workos-inc/authkit-nextjs';
import { unauthenticatedResponse } from 'authkit-session-mfa/server';
import { getSessionMfaStatus } from '@/mfa';
import { policies } from '@/mfa.config';

function iso(epochSeconds: number | null | undefined): string | null {
  return epochSeconds == null ? null : new Date(epochSeconds * 1000).toISOString();
}

/** This session's MFA status under each named policy, for API clients (and the demo's tests). */
export async function GET() {
  const { user, sessionId, organizationId } = await withAuth();
  if (!user) return unauthenticatedResponse();
  const status = await getSessionMfaStatus(policies);
  const body = {
    user: { id: user.id, email: user.email },
    sessionId,
    organizationId: organizationId ?? null,
    policies: Object.fromEntries(
      Object.entries(status).map(([name, d]) => [
        name,
        {
          policy: d.policy?.name ?? null,
          maxAge: d.policy?.maxAge ?? null,
          allowed: d.allowed,
          reason: d.reason,
          evidence: d.evidence
            ? {
                source: d.evidence.source,
                verifiedAt: iso(d.evidence.verifiedAt),
                methods: d.evidence.methods,
                ageSeconds: d.evidence.ageSeconds,
              }
            : null,
        },
      ]),
    ),
  };
  return Response.json(body, { headers: { 'cache-control': 'no-store' } });
}
