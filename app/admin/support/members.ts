import 'server-only';
import { getWorkOS } from '@workos-inc/authkit-nextjs';

/** A member of the admin's organization, as the support page lists them. */
export interface Member {
  readonly userId: string;
  readonly email: string;
  readonly role: string;
}

/** The organization's members (through WorkOS): the only users its admins may unlock. */
export async function organizationMembers(organizationId: string): Promise<Member[]> {
  const workos = getWorkOS();
  const memberships = (
    await (await workos.userManagement.listOrganizationMemberships({ organizationId })).autoPagination()
  ).filter((m) => m.status === 'active' && m.organizationId === organizationId);
  const members = await Promise.all(
    memberships.map(async (m) => ({
      userId: m.userId,
      email: (await workos.userManagement.getUser(m.userId)).email,
      role: m.role.slug,
    })),
  );
  return members.sort((a, b) => a.email.localeCompare(b.email));
}
