import { withAuth } from '@workos-inc/authkit-nextjs';
import Link from 'next/link';
import { getSessionMfaStatus } from '@/mfa';
import { policies } from '@/mfa.config';
import { describePolicy } from './_lib/format';

export default async function Home() {
  const { user } = await withAuth();
  if (!user) {
    return (
      <main>
        <h1>Acme Console</h1>
        <p className="lead">
          A demo of session-level MFA on top of WorkOS AuthKit: the admin area asks for a second factor proven{' '}
          <em>in this session</em>, recently enough for what you are about to do.
        </p>
        <div className="card">
          <h2>You are signed out</h2>
          <p className="muted">Sign in to see your session’s MFA status and try the admin area.</p>
          <div className="actions">
            <a href="/login" className="button">
              Sign in
            </a>
          </div>
        </div>
      </main>
    );
  }

  const status = await getSessionMfaStatus(policies);
  return (
    <main>
      <h1>Welcome back{user.firstName ? `, ${user.firstName}` : ''}</h1>
      <p className="lead">
        Signed in as <strong>{user.email}</strong>.
      </p>
      <div className="grid">
        <section className="card">
          <h2>This session</h2>
          <p>
            {status.admin.allowed ? (
              <span className="badge ok">MFA verified</span>
            ) : (
              <span className="badge warn">MFA not verified</span>
            )}
          </p>
          <p className="muted small">The admin area needs {describePolicy(status.admin.policy)}.</p>
          <Link href="/account">Session details →</Link>
        </section>
        <section className="card">
          <h2>Admin</h2>
          <p className="muted">
            Members, reports and API keys. Asks for a step-up when this session has not proven MFA.
          </p>
          <div className="actions">
            <Link href="/admin" prefetch={false} className="button">
              Open admin
            </Link>
            <Link href="/admin/keys" prefetch={false} className="button secondary">
              API keys
            </Link>
          </div>
        </section>
        <section className="card">
          <h2>For API clients</h2>
          <ul className="small link-list">
            <li>
              <a href="/api/session-mfa">
                <code>GET /api/session-mfa</code>
              </a>
            </li>
            <li>
              <a href="/api/admin/report">
                <code>GET /api/admin/report</code>
              </a>
            </li>
            <li>
              <code>POST /api/admin/keys/rotate</code>
            </li>
          </ul>
        </section>
      </div>
    </main>
  );
}
