import { withAuth } from '@workos-inc/authkit-nextjs';
import { redirect } from 'next/navigation';
import { organizationMembers, type Member } from './members';
import { UnlockButton } from './unlock-button';
import { ScrollRegion } from '../../_lib/scroll-region';

export const metadata = { title: 'Support — Acme Console' };

/**
 * Support tools for organization admins (behind the admin area's 12-hour MFA rule): unlock a member whom failed
 * step-up attempts have paused.
 */
export default async function SupportPage() {
  const { user, role, organizationId } = await withAuth();
  if (!user) redirect('/login?return_to=%2Fadmin%2Fsupport');
  if (role !== 'admin' || !organizationId) {
    return (
      <main>
        <h1>Support</h1>
        <div className="alert error" role="alert" data-testid="support-forbidden">
          403 — Forbidden. Only organization admins can use the support tools.
        </div>
      </main>
    );
  }
  let members: Member[] | null;
  try {
    members = await organizationMembers(organizationId);
  } catch {
    members = null;
  }
  return (
    <main>
      <h1>Support</h1>
      <p className="lead">
        After 5 wrong codes within 15 minutes a user’s verification is paused, in every session. If they are who they
        say (check another way first), unlock them here: their failed attempts are forgotten at once. Each unlock is in
        the audit trail with your name.
      </p>
      <section className="card" aria-labelledby="members-heading">
        <h2 id="members-heading">Members of your organization</h2>
        {members === null ? (
          <p className="alert error" role="alert">
            The members cannot be listed right now; try again shortly.
          </p>
        ) : (
          <ScrollRegion label="Members">
            <table className="status">
              <thead>
                <tr>
                  <th scope="col">User</th>
                  <th scope="col">Role</th>
                  <th scope="col">Step-up attempts</th>
                </tr>
              </thead>
              <tbody>
                {members.map((m) => (
                  <tr key={m.userId} data-testid="member" data-user-id={m.userId}>
                    <td>
                      {m.email} <span className="muted mono small">{m.userId}</span>
                    </td>
                    <td>{m.role}</td>
                    <td>
                      <UnlockButton userId={m.userId} email={m.email} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        )}
      </section>
    </main>
  );
}
