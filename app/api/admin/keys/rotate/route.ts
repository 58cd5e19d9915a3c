import { withAuth } from '@workos-inc/authkit-nextjs';
import { withSessionMfa } from '@/mfa';
import { policies } from '@/mfa.config';
import { rotateApiKey } from '../../../../_lib/api-keys';

/** Rotates the API key for API clients: needs MFA within `policies.rotateKeys` (10 minutes). */
export const POST = withSessionMfa(async () => {
  const { user, organizationId } = await withAuth();
  if (!user) return Response.json({ error: 'unauthenticated' }, { status: 401 });
  const rotated = await rotateApiKey(organizationId ?? user.id, user.email);
  return Response.json(rotated, { headers: { 'cache-control': 'no-store' } });
}, policies.rotateKeys);
