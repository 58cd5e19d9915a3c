import { withAuth } from '@workos-inc/authkit-nextjs';
import { redirect } from 'next/navigation';
import { apiKeyInfo } from '../../_lib/api-keys';
import { RotateKeyPanel } from './rotate-key-panel';

export const metadata = { title: 'API keys — Acme Console' };

export default async function ApiKeysPage() {
  const { user, organizationId } = await withAuth();
  if (!user) redirect('/login?return_to=%2Fadmin%2Fkeys');
  const info = await apiKeyInfo(organizationId ?? user.id);
  return (
    <main>
      <h1>API keys</h1>
      <p className="lead">
        The key your services use to call the Acme API. Rotating it breaks every client still using the old one.
      </p>
      <section className="card">
        <h2>Production key</h2>
        <dl className="facts" style={{ marginBottom: 20 }}>
          <dt>Current key</dt>
          <dd className="mono">{info.last4 ? `sk_live_••••••••${info.last4}` : 'none yet'}</dd>
          <dt>Last rotated</dt>
          <dd>{info.rotatedAt ? `${new Date(info.rotatedAt).toUTCString()} by ${info.rotatedBy}` : 'never'}</dd>
          <dt>Reason</dt>
          <dd data-testid="rotation-reason">{info.reason ?? '—'}</dd>
          <dt>Rotations</dt>
          <dd data-testid="rotation-count">{info.rotations}</dd>
        </dl>
        <RotateKeyPanel />
      </section>
    </main>
  );
}
