'use client';
import { useStepUp } from 'authkit-session-mfa/client';
import { useRouter } from 'next/navigation';
import { rotateApiKey } from './actions';

/** The "Rotate API key" button: runs the action, goes through step-up when asked, shows the new key once. */
export function RotateKeyPanel() {
  const router = useRouter();
  const { run, state, busy } = useStepUp(rotateApiKey, {
    key: 'rotate-api-key',
    // Refresh the server-rendered key facts (last 4 digits, rotation count) after a rotation.
    onSettled: (settled) => settled.status === 'done' && router.refresh(),
  });

  return (
    <div className="stack" style={{ display: 'grid', gap: 14 }}>
      <div className="actions">
        <button type="button" onClick={() => void run()} disabled={busy}>
          {state.status === 'running' || state.status === 'retrying' ? 'Rotating…' : state.status === 'redirecting' ? 'Opening verification…' : 'Rotate API key'}
        </button>
        <span className="muted small">Needs a second-factor check from the last few minutes.</span>
      </div>
      <div aria-live="polite">
        {state.status === 'done' ? (
          <div className="alert ok" data-testid="rotation-result">
            <p style={{ margin: '0 0 8px' }}>
              <strong>New key created</strong> (rotation #{state.result.rotation}{state.retried ? ', after verification' : ''}). Copy it now: it will not be shown again.
            </p>
            <code className="secret" data-testid="new-key">{state.result.key}</code>
          </div>
        ) : null}
        {state.status === 'cancelled' ? <p className="alert warn" role="status">Verification was cancelled, so the key was not rotated.</p> : null}
        {state.status === 'failed' ? (
          <p className="alert error" role="alert">
            The key was not rotated: {state.error.message}
          </p>
        ) : null}
      </div>
    </div>
  );
}
