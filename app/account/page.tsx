import { getWorkOS, withAuth } from '@workos-inc/authkit-nextjs';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { getSessionMfaStatus, sessionMfa } from '@/mfa';
import { policies } from '@/mfa.config';
import { stepUp } from '@/mfa-step-up';
import { describePolicy, evidenceLabel, methodsInWords, shortId, timeAgo } from '../_lib/format';
import { FactorList } from './factor-list';
import { listFactors } from './factors';
import { ScrollRegion } from '../_lib/scroll-region';

export const metadata = { title: 'Account — Acme Console' };

async function organizationName(id: string | undefined): Promise<string | null> {
  if (!id) return null;
  try {
    return (await getWorkOS().organizations.getOrganization(id)).name;
  } catch {
    return null;
  }
}

export default async function AccountPage() {
  const { user, sessionId, organizationId, role } = await withAuth();
  // The middleware sends signed-out visitors to sign-in first; this is the fallback (no ensureSignedIn: authkit#482).
  if (!user) redirect('/login?return_to=%2Faccount');
  const [status, orgName, factors] = await Promise.all([
    getSessionMfaStatus(policies),
    organizationName(organizationId),
    listFactors(user.id),
  ]);
  const now = sessionMfa.now();
  const rows = Object.entries(status);
  const verified = rows.map(([, d]) => d).find((d) => d.evidence?.verifiedAt != null);

  return (
    <main>
      <h1>Account</h1>
      <p className="lead">Who you are, and what this session has proven.</p>
      <section className="card">
        <h2>Profile</h2>
        <dl className="facts">
          <dt>User</dt>
          <dd>
            {[user.firstName, user.lastName].filter(Boolean).join(' ') || '—'} ·{' '}
            <span data-testid="account-email">{user.email}</span>
          </dd>
          <dt>Organization</dt>
          <dd>
            {organizationId ? (
              <>
                {orgName ?? 'Unnamed'} <span className="muted mono">({organizationId})</span>
                {role ? ` · ${role}` : ''}
              </>
            ) : (
              'None'
            )}
          </dd>
          <dt>Session</dt>
          <dd className="mono" data-testid="session-id" title="Shortened on purpose">
            {shortId(sessionId)}
          </dd>
        </dl>
      </section>

      <section className="card" aria-labelledby="mfa-heading">
        <h2 id="mfa-heading">Multi-factor authentication for this session</h2>
        <p data-testid="mfa-summary">
          {verified?.evidence?.verifiedAt != null ? (
            <>
              <span className="badge ok">Verified</span>{' '}
              <span>
                {timeAgo(verified.evidence.verifiedAt, now)} via {methodsInWords(verified.evidence.methods)} · evidence:{' '}
                {evidenceLabel(verified)}
              </span>
            </>
          ) : (
            <span className="badge warn">Not verified in this session</span>
          )}
        </p>
        <ScrollRegion label="MFA status per policy">
          <table className="status">
            <thead>
              <tr>
                <th scope="col">Policy</th>
                <th scope="col">Requires</th>
                <th scope="col">Now</th>
                <th scope="col">Evidence</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(([name, decision]) => (
                <tr key={name} data-testid={`policy-${name}`}>
                  <td>
                    <strong>{decision.policy?.name ?? name}</strong>
                  </td>
                  <td>{describePolicy(decision.policy)}</td>
                  <td>
                    {decision.allowed ? (
                      <span className="badge ok">Satisfied</span>
                    ) : (
                      <span className="badge warn">Needs step-up</span>
                    )}
                    {!decision.allowed && decision.reason !== 'no_evidence' ? (
                      <div className="muted small">{decision.reason.replaceAll('_', ' ')}</div>
                    ) : null}
                  </td>
                  <td>
                    {decision.evidence ? (
                      <>
                        {evidenceLabel(decision)} ·{' '}
                        <span title={decision.evidence.methods.join(' ')}>
                          {methodsInWords(decision.evidence.methods)}
                        </span>
                        {decision.evidence.verifiedAt != null ? (
                          <div className="muted small">{timeAgo(decision.evidence.verifiedAt, now)}</div>
                        ) : null}
                      </>
                    ) : (
                      <span className="muted">none</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
        <div className="actions" style={{ marginTop: 16 }}>
          <Link href={stepUp.href('/account')} className="button secondary">
            Verify now
          </Link>
        </div>
      </section>

      <section className="card" aria-labelledby="factors-heading">
        <h2 id="factors-heading">Authenticators</h2>
        <p className="muted small">
          Removing one needs a verification from the last 10 minutes, and revokes the MFA evidence it provided.
        </p>
        {factors ? (
          <FactorList factors={factors} />
        ) : (
          <p className="alert error" role="alert">
            Your authenticators cannot be listed right now; try again shortly.
          </p>
        )}
        <div className="actions" style={{ marginTop: 16 }}>
          <Link href="/account/authenticator" className="button secondary" data-testid="set-up-authenticator">
            Set up an authenticator
          </Link>
        </div>
      </section>
    </main>
  );
}
