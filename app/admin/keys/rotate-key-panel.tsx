'use client';
import { useStepUp } from 'authkit-session-mfa/client';
import { useRouter } from 'next/navigation';
import type { FormEvent } from 'react';
import { rotateApiKey } from './actions';

/**
 * The "Rotate API key" form: runs the action with the form's fields, steps up in a dialog when asked (the
 * reason typed so far stays put), and shows the new key once.
 */
export function RotateKeyPanel() {
  const router = useRouter();
  const { run, state, busy } = useStepUp(rotateApiKey, {
    // Refresh the server-rendered key facts (last 4 digits, rotation count) after a rotation.
    onSettled: (settled) => settled.status === 'done' && router.refresh(),
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // While busy the button stays focusable (aria-disabled, not disabled), so Enter never drops focus.
    if (!busy) void run(new FormData(event.currentTarget));
  }

  return (
    <div style={{ display: 'grid', gap: 14 }}>
      <form className="stack" onSubmit={submit}>
        <div className="field">
          <label htmlFor="rotation-reason">Reason for the rotation</label>
          <p id="rotation-reason-hint" className="hint">
            Recorded with the new key, e.g. “contractor offboarded”.
          </p>
          <input
            id="rotation-reason"
            name="reason"
            type="text"
            maxLength={200}
            autoComplete="off"
            aria-describedby="rotation-reason-hint"
          />
        </div>
        <div className="actions">
          <button type="submit" aria-disabled={busy || undefined} aria-describedby="rotate-needs">
            {state.status === 'running' || state.status === 'retrying'
              ? 'Rotating…'
              : state.status === 'verifying' || state.status === 'redirecting'
                ? 'Waiting for verification…'
                : 'Rotate API key'}
          </button>
          <span id="rotate-needs" className="muted small">
            Needs a second-factor check from the last few minutes.
          </span>
        </div>
      </form>
      <div aria-live="polite">
        {state.status === 'done' ? (
          <div className="alert ok" data-testid="rotation-result">
            <p style={{ margin: '0 0 8px' }}>
              <strong>New key created</strong> (rotation #{state.result.rotation}
              {state.retried ? ', after verification' : ''}). Copy it now: it will not be shown again.
            </p>
            <code className="secret" data-testid="new-key">
              {state.result.key}
            </code>
          </div>
        ) : null}
        {state.status === 'cancelled' ? (
          <p className="alert warn" role="status">
            Verification was cancelled, so the key was not rotated.
          </p>
        ) : null}
        {state.status === 'failed' ? (
          <p className="alert error" role="alert">
            The key was not rotated: {state.error.message}
          </p>
        ) : null}
      </div>
    </div>
  );
}
