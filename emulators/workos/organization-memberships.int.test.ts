import { GenericServerException, type WorkOS } from '@workos-inc/node';
import { describe, expect, it } from 'vitest';
import { ALICE, BOB, CAROL, rejectionOf, useEmulator } from './conformance-helpers';

let workos: WorkOS;

useEmulator((started) => ({ workos } = started));

describe('organization memberships (listOrganizationMemberships)', () => {
  it("lists an organization's members with their role and user, and a user's memberships", async () => {
    const acme = await (
      await workos.userManagement.listOrganizationMemberships({ organizationId: 'org_acme' })
    ).autoPagination();
    expect(acme.map((m) => [m.userId, m.role.slug, m.status, m.organizationName]).sort()).toEqual([
      [ALICE.id, 'admin', 'active', 'Acme'],
      [BOB.id, 'member', 'active', 'Acme'],
    ]);
    const carol = await workos.userManagement.listOrganizationMemberships({ userId: CAROL.id });
    expect(carol.data.map((m) => m.organizationId)).toEqual(['org_globex']);
    expect(
      await workos.userManagement.listOrganizationMemberships({ userId: BOB.id, organizationId: 'org_globex' }),
    ).toMatchObject({ data: [] });
  });

  it('needs a user or an organization', async () => {
    const error = await rejectionOf(workos.userManagement.listOrganizationMemberships({} as never));
    expect(error).toBeInstanceOf(GenericServerException);
    expect(error).toMatchObject({ status: 400, code: 'missing_user_id_or_organization_id' });
  });
});
