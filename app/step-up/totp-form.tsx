'use client';
import { useActionState } from 'react';
import { verifyTotp, type TotpFormState } from './actions';

interface FactorView {
  readonly id: string;
  readonly issuer: string;
  readonly label: string;
}

const INITIAL: TotpFormState = { error: null, code: null };

/** The code form: one field, numeric keypad, one-time-code autofill, errors announced as they appear. */
export function TotpForm({ factors, returnTo }: { factors: readonly FactorView[]; returnTo: string }) {
  const [state, action, pending] = useActionState(verifyTotp, INITIAL);
  const only = factors.length === 1 ? factors[0] : undefined;
  const invalid = state.error !== null;

  return (
    <form action={action} className="stack" noValidate={false}>
      <input type="hidden" name="return_to" value={returnTo} />
      {only ? (
        <>
          <input type="hidden" name="factor_id" value={only.id} />
          <p className="hint">
            Open your authenticator app and find <strong>{only.issuer}</strong>
            {only.label ? <> ({only.label})</> : null}.
          </p>
        </>
      ) : (
        <fieldset>
          <legend>Authenticator</legend>
          {factors.map((f, i) => (
            <label key={f.id} className="choice">
              <input type="radio" name="factor_id" value={f.id} defaultChecked={i === 0} required />
              {f.issuer} {f.label ? <span className="muted">· {f.label}</span> : null}
            </label>
          ))}
        </fieldset>
      )}
      <div className="field">
        <label htmlFor="code">6-digit code</label>
        <input
          id="code"
          name="code"
          type="text"
          className="otp"
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9]{6}"
          maxLength={6}
          required
          autoFocus
          aria-invalid={invalid}
          aria-describedby="code-error"
        />
      </div>
      <p id="code-error" className="alert error" role="alert" aria-live="assertive" data-code={state.code ?? undefined} data-retry-after={state.retryAfterSeconds}>
        {state.error ?? ''}
      </p>
      <button type="submit" className="block" disabled={pending}>
        {pending ? 'Verifying…' : 'Verify'}
      </button>
    </form>
  );
}
