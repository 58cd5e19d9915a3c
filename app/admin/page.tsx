import { withAuth } from '@workos-inc/authkit-nextjs';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { getSessionMfaStatus, sessionMfa } from '@/mfa';
import { policies } from '@/mfa.config';
import { timeAgo } from '../_lib/format';

export const metadata = { title: 'Admin — Acme Console' };

/** Reached only through the middleware's `/admin/:path*` rule (MFA within 12 hours). */
export default async function AdminPage() {
  const { user } = await withAuth();
  if (!user) redirect('/login?return_to=%2Fadmin');
  const { admin } = await getSessionMfaStatus(policies);
  const at = admin.evidence?.verifiedAt;
  return (
    <main>
      <h1>Admin</h1>
      <p className="lead">
        <span className="badge ok">MFA verified</span> {at != null ? `${timeAgo(at, sessionMfa.now())}, ` : ''}good for
        the admin area for 12 hours.
      </p>
      <div className="grid">
        <section className="card">
          <h2>API keys</h2>
          <p className="muted">Rotate the organization’s production key. Asks for a fresh verification.</p>
          <Link href="/admin/keys" prefetch={false} className="button">
            Manage keys
          </Link>
        </section>
        <section className="card">
          <h2>Usage report</h2>
          <p className="muted">JSON for scripts and dashboards, behind the same 12-hour rule.</p>
          <a href="/api/admin/report" className="button secondary">
            Open report
          </a>
        </section>
      </div>
    </main>
  );
}
