'use client';
import { useStepUp } from 'authkit-session-mfa/client';
import { unlockMember } from './actions';

/** "Unlock" for one member: runs the action (through step-up if the admin's MFA lapsed) and says what happened. */
export function UnlockButton({ userId, email }: { userId: string; email: string }) {
  const { run, state, busy } = useStepUp(unlockMember, { key: `unlock-${userId}` });
  return (
    <span className="actions">
      <button
        type="button"
        className="secondary"
        // Focusable while busy (aria-disabled), so focus stays here when the step-up dialog closes.
        aria-disabled={busy || undefined}
        onClick={() => {
          if (!busy) void run(userId);
        }}
        aria-label={`Unlock step-up for ${email}`}
      >
        Unlock
      </button>
      <span aria-live="polite" className="small">
        {state.status === 'done' && state.result.status === 'unlocked' ? (
          <span className="badge ok" data-testid="unlocked">
            Unlocked ({state.result.sessions} active session{state.result.sessions === 1 ? '' : 's'})
          </span>
        ) : null}
        {state.status === 'done' && state.result.status === 'refused' ? (
          <span role="alert">{state.result.message}</span>
        ) : null}
        {state.status === 'failed' ? <span role="alert">Not unlocked: {state.error.message}</span> : null}
      </span>
    </span>
  );
}
