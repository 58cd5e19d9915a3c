'use server';
import { getWorkOS, withAuth } from '@workos-inc/authkit-nextjs';
import { auditContextOf } from 'authkit-session-mfa/server';
import { headers } from 'next/headers';
import { withSessionMfa } from '@/mfa';
import { policies } from '@/mfa.config';
import { totpStepUp } from '@/mfa-step-up';
import { organizationMembers } from './members';

/** What an unlock came to. */
export type UnlockOutcome =
  | { readonly status: 'unlocked'; readonly email: string; readonly sessions: number }
  | { readonly status: 'refused'; readonly message: string };

/**
 * Support's unlock: forgets a member's failed step-up attempts (the user and each of their active sessions), so a
 * locked-out user can verify again at once. Organization admins only, for members of their own organization, with
 * the admin area's MFA; audited as `step_up.unlocked` naming the admin.
 */
export const unlockMember = withSessionMfa(
  async function unlockMember(userId: string): Promise<UnlockOutcome> {
    const { user, role, organizationId } = await withAuth();
    if (!user || role !== 'admin' || !organizationId)
      return { status: 'refused', message: 'Only organization admins can unlock users.' };
    const member = (await organizationMembers(organizationId)).find((m) => m.userId === String(userId));
    if (!member) return { status: 'refused', message: 'That user is not a member of your organization.' };
    const sessions = (await (await getWorkOS().userManagement.listSessions(member.userId)).autoPagination())
      .filter((s) => s.status === 'active' && s.userId === member.userId)
      .map((s) => s.id);
    await totpStepUp.unlock({
      userId: member.userId,
      sessionIds: sessions,
      by: user.id,
      organizationId,
      context: auditContextOf(await headers(), 'action unlockMember'),
    });
    return { status: 'unlocked', email: member.email, sessions: sessions.length };
  },
  policies.admin,
  { name: 'unlockMember' },
);
