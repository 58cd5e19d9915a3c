import { withAuth } from '@workos-inc/authkit-nextjs';
import { redirect } from 'next/navigation';
import { collectAuditRecords, type AuditRecord } from 'authkit-session-mfa/audit';
import { upstashAuditSource } from 'authkit-session-mfa/upstash';
import { requireSessionMfa } from '@/mfa';
import { auditConfig, policies, upstash } from '@/mfa.config';
import { stepUp } from '@/mfa-step-up';
import { AUDIT_PAGE_LIMIT, parseAuditFilters } from './audit-filters';
import { ScrollRegion } from '../_lib/scroll-region';

export const metadata = { title: 'Audit trail — Acme Console' };

const BADGE: Record<string, string> = { allow: 'badge ok', step_up: 'badge warn', deny: 'badge warn' };

function Row({ record }: { record: AuditRecord }) {
  return (
    <tr data-testid="audit-row">
      <td className="mono small">{record.time.replace('T', ' ').replace(/\.\d{3}Z$/, 'Z')}</td>
      <td>
        {record.decision ? (
          <span className={BADGE[record.decision] ?? 'badge neutral'}>{record.decision}</span>
        ) : (
          <span className="badge neutral">{record.type}</span>
        )}
      </td>
      <td className="small">{record.reason ?? '—'}</td>
      <td className="small">{record.policy?.name ?? '—'}</td>
      <td className="mono small">{record.target ?? '—'}</td>
      <td className="mono small">{record.userId ?? '—'}</td>
      <td className="mono small" title={record.sessionId}>
        {record.sessionId ? `${record.sessionId.slice(0, 14)}…` : '—'}
      </td>
      <td className="small">
        {record.evidence
          ? `${record.evidence.source} · ${record.evidence.methods.join(', ') || '—'}${record.evidence.verifiedAt ? ` · ${record.evidence.verifiedAt.slice(11, 19)}Z` : ''}`
          : '—'}
      </td>
    </tr>
  );
}

/**
 * The audit trail of the admin's organization, newest first, from the Redis Stream — for admins only
 * (organization role `admin`), who must also have passed MFA within the admin area's 12 hours.
 */
export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { user, role, organizationId } = await withAuth();
  if (!user) redirect('/login?return_to=%2Faudit');
  if (role !== 'admin' || !organizationId) {
    return (
      <main>
        <h1>Audit trail</h1>
        <div className="alert error" role="alert" data-testid="audit-forbidden">
          403 — Forbidden. Only organization admins can read the audit trail.
        </div>
      </main>
    );
  }
  const access = await requireSessionMfa(policies.admin, 'page /audit');
  if (!access.allowed) {
    if (access.outcome === 'step_up') redirect(stepUp.href('/audit'));
    return (
      <main>
        <h1>Audit trail</h1>
        <div className="alert error" role="alert">
          MFA status cannot be checked right now ({access.reason.replaceAll('_', ' ')}); try again shortly.
        </div>
      </main>
    );
  }

  const filters = parseAuditFilters(await searchParams, organizationId, Date.now());
  let records: AuditRecord[] = [];
  let failure: string | null = null;
  try {
    records = await collectAuditRecords(upstashAuditSource(upstash, { key: auditConfig.streamKey }), filters.query, {
      newestFirst: true,
    });
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
  }

  return (
    <main>
      <h1>Audit trail</h1>
      <p className="lead">
        Every MFA decision and evidence change in <span className="mono">{organizationId}</span>, newest first (at most{' '}
        {AUDIT_PAGE_LIMIT}). Times are UTC. For a full export:{' '}
        <span className="mono">npm run audit:export -- --since 24h --org {organizationId} --format csv</span>
      </p>
      <form className="card" method="get" aria-label="Filters">
        <div className="grid">
          <div className="field">
            <label htmlFor="audit-user">User id</label>
            <input id="audit-user" name="user" defaultValue={filters.user} placeholder="user_…" autoComplete="off" />
          </div>
          <div className="field">
            <label htmlFor="audit-decision">Decision</label>
            <select id="audit-decision" name="decision" defaultValue={filters.decision}>
              <option value="">Any record</option>
              <option value="allow">allow</option>
              <option value="step_up">step_up</option>
              <option value="deny">deny</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="audit-since">From (UTC)</label>
            <input id="audit-since" name="since" type="datetime-local" defaultValue={filters.since} />
          </div>
          <div className="field">
            <label htmlFor="audit-until">To (UTC)</label>
            <input id="audit-until" name="until" type="datetime-local" defaultValue={filters.until} />
          </div>
        </div>
        <div className="actions">
          <button type="submit" className="button">
            Filter
          </button>
          <a href="/audit" className="button secondary">
            Reset
          </a>
        </div>
      </form>
      {failure ? (
        <div className="alert error" role="alert">
          The audit stream cannot be read right now: {failure}
        </div>
      ) : records.length === 0 ? (
        <p className="muted" data-testid="audit-empty">
          No records match these filters.
        </p>
      ) : (
        <ScrollRegion label="Audit records">
          <table className="status" data-testid="audit-table">
            <caption className="muted small">
              {records.length} record{records.length === 1 ? '' : 's'}
            </caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Decision / event</th>
                <th scope="col">Reason</th>
                <th scope="col">Policy</th>
                <th scope="col">Route or action</th>
                <th scope="col">User</th>
                <th scope="col">Session</th>
                <th scope="col">Evidence</th>
              </tr>
            </thead>
            <tbody>
              {records.map((r) => (
                <Row key={r.id} record={r} />
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
    </main>
  );
}
