import { withAuth } from '@workos-inc/authkit-nextjs';
import { withSessionMfa } from '@/mfa';
import { policies } from '@/mfa.config';
import { apiKeyInfo } from '../../../_lib/api-keys';

/** A small usage report: 401 signed out, 403 (RFC 9470) without MFA within 12 hours, 200 otherwise. */
export const GET = withSessionMfa(async () => {
  const { user, organizationId } = await withAuth();
  const key = await apiKeyInfo(organizationId ?? user?.id ?? 'none');
  return Response.json(
    {
      organization: organizationId ?? null,
      generatedAt: new Date().toISOString(),
      apiKey: { last4: key.last4, rotations: key.rotations, lastRotatedAt: key.rotatedAt },
    },
    { headers: { 'cache-control': 'no-store' } },
  );
}, policies.admin);
