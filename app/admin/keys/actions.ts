'use server';
import { withAuth } from '@workos-inc/authkit-nextjs';
import { withSessionMfa } from '@/mfa';
import { policies } from '@/mfa.config';
import { rotateApiKey as rotate, type RotatedKey } from '../../_lib/api-keys';

/**
 * Rotates the organization's API key, with the reason typed in the form. Destructive, so it needs MFA within
 * `policies.rotateKeys` (10 minutes); without it the wrapper returns a step-up result instead of running, and
 * `useStepUp` takes over.
 */
export const rotateApiKey = withSessionMfa(
  async function rotateApiKey(form: FormData): Promise<RotatedKey> {
    const { user, organizationId } = await withAuth();
    if (!user) throw new Error('Not signed in.');
    const reason = form instanceof FormData ? form.get('reason') : null;
    return rotate(organizationId ?? user.id, user.email, typeof reason === 'string' ? reason : null);
  },
  policies.rotateKeys,
  { name: 'rotateApiKey' },
);
