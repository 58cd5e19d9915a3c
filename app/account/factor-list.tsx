'use client';
import { useStepUp } from 'authkit-session-mfa/client';
import { useRouter } from 'next/navigation';
import { useRef, useState } from 'react';
import { removeFactorRequest } from './remove-factor-request';

/** A factor as the account page shows it. */
export interface FactorView {
  readonly id: string;
  /** e.g. "Authenticator app (Acme Console)". */
  readonly label: string;
  /** e.g. "added 28 Nov 2026". */
  readonly added: string;
}

/**
 * The user's enrolled factors, each with "Remove" (confirmed inline). Removal needs recent MFA: when the API
 * asks for step-up, `useStepUp` opens the step-up dialog and repeats the removal exactly once after it.
 */
export function FactorList({ factors }: { factors: readonly FactorView[] }) {
  const router = useRouter();
  const [confirming, setConfirming] = useState<string | null>(null);
  // Where focus goes once the removal settled and its button is gone (never to the page body).
  const outcome = useRef<HTMLDivElement>(null);
  const { run, state, busy } = useStepUp(removeFactorRequest, {
    // Re-render the server parts: the factor list and this session's (now revoked) MFA status.
    onSettled: (settled) => settled.status === 'done' && router.refresh(),
  });

  async function remove(factorId: string) {
    const settled = await run(factorId);
    if (settled.status === 'cancelled') return; // still confirming: try again or keep it
    setConfirming(null);
    outcome.current?.focus();
  }

  return (
    <div style={{ display: 'grid', gap: 12 }}>
      {factors.length === 0 ? (
        <p className="muted" data-testid="no-factors">
          No authenticator is set up, so this account cannot pass step-up.
        </p>
      ) : (
        <ul
          aria-label="Enrolled authenticators"
          style={{ listStyle: 'none', margin: 0, padding: 0, display: 'grid', gap: 10 }}
        >
          {factors.map((factor) => {
            const labelId = `factor-${factor.id}`;
            return (
              <li
                key={factor.id}
                className="choice"
                data-testid="factor"
                data-factor-id={factor.id}
                style={{ justifyContent: 'space-between' }}
              >
                <span id={labelId}>
                  {factor.label} <span className="muted small">· {factor.added}</span>
                </span>
                {confirming === factor.id ? (
                  <span className="actions" role="group" aria-label={`Confirm removing ${factor.label}`}>
                    <span className="small">
                      {factors.length === 1
                        ? 'Your only authenticator: without it you cannot pass step-up.'
                        : 'Remove it?'}
                    </span>
                    <button
                      type="button"
                      aria-disabled={busy || undefined}
                      onClick={() => void (busy ? null : remove(factor.id))}
                    >
                      Confirm removal
                    </button>
                    <button
                      type="button"
                      className="secondary"
                      aria-disabled={busy || undefined}
                      onClick={() => busy || setConfirming(null)}
                    >
                      Keep it
                    </button>
                  </span>
                ) : (
                  <button
                    type="button"
                    className="secondary"
                    aria-disabled={busy || undefined}
                    aria-describedby={labelId}
                    onClick={() => busy || setConfirming(factor.id)}
                  >
                    Remove
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <div aria-live="polite" ref={outcome} tabIndex={-1} data-testid="factor-outcome">
        {state.status === 'redirecting' ? (
          <p className="muted small">Removing an authenticator needs a fresh verification…</p>
        ) : null}
        {state.status === 'done' && state.result.status === 'removed' ? (
          <p className="alert ok" role="status" data-testid="factor-removed">
            Authenticator removed{state.retried ? ' after verification' : ''}. MFA evidence it provided for your
            sessions was revoked.
          </p>
        ) : null}
        {state.status === 'done' && state.result.status === 'not_found' ? (
          <p className="alert warn" role="status">
            That authenticator was already gone.
          </p>
        ) : null}
        {state.status === 'done' && state.result.status === 'not_revoked' ? (
          <p className="alert error" role="alert">
            The authenticator was removed, but its MFA evidence could not be revoked everywhere. Sign out to be safe.
          </p>
        ) : null}
        {state.status === 'cancelled' ? (
          <p className="alert warn" role="status">
            Verification was cancelled, so nothing was removed.
          </p>
        ) : null}
        {state.status === 'failed' ? (
          <p className="alert error" role="alert">
            Nothing was removed: {state.error.cause instanceof Error ? state.error.cause.message : state.error.message}
          </p>
        ) : null}
      </div>
    </div>
  );
}
