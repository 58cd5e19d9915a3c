'use server';
import { withAuth } from '@workos-inc/authkit-nextjs';
import { withSessionMfa } from '@/mfa';
import { policies } from '@/mfa.config';
import { rotateApiKey as rotate, type RotatedKey } from '../../_lib/api-keys';

/**
 * Rotates the organization's API key. Destructive, so it needs MFA within `policies.rotateKeys` (10 minutes);
 * without it the wrapper returns a step-up result instead of running, and `useStepUp` takes over.
 */
export const rotateApiKey = withSessionMfa(
  async function rotateApiKey(): Promise<RotatedKey> {
    const { user, organizationId } = await withAuth();
    if (!user) throw new Error('Not signed in.');
    return rotate(organizationId ?? user.id, user.email);
  },
  policies.rotateKeys,
  { name: 'rotateApiKey' },
);
