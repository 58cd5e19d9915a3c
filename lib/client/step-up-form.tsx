'use client';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { FIELDS, normalizedCode, type FactorView, type FormTexts, type VerifyAnswer } from '../shared/wire';

/** Six digits, spaces anywhere (a pasted "123 456"): what the browser checks when JavaScript is off. */
const CODE_PATTERN = '\\s*(?:\\d\\s*){6}';

/** Props of {@link StepUpForm}. */
export interface StepUpFormProps {
  /** The step-up route (`/step-up/verify`): the form posts there, with or without JavaScript. */
  readonly endpoint: string;
  /** The session user's factors that can verify this session (at least one). */
  readonly factors: readonly FactorView[];
  /** Texts, filled in by the server. */
  readonly texts: FormTexts;
  /** Where to go after a verified code (page mode); ignored when `onVerified` is given. @default '/' */
  readonly returnTo?: string;
  /** Called once the code verified, instead of leaving (the dialog). */
  readonly onVerified?: () => void;
  /** A failure to show from the start (the page after a refused attempt without JavaScript). */
  readonly initialError?: {
    readonly code: string;
    readonly message: string;
    readonly retryAfterSeconds?: number;
  } | null;
}

interface Failure {
  readonly code: string;
  readonly message: string;
  /** For `rate_limited`, when known: seconds to wait (also on the element, for scripts and tests). */
  readonly retryAfterSeconds?: number;
  /** Counts refusals, so a repeated sentence is a new node and is announced again. */
  readonly attempt: number;
}

function isVerifyAnswer(value: unknown): value is VerifyAnswer {
  const v = value as Partial<{ ok: unknown; redirectTo: unknown; code: unknown; message: unknown }> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    ((v.ok === true && typeof v.redirectTo === 'string') ||
      (v.ok === false && typeof v.code === 'string' && typeof v.message === 'string'))
  );
}

/**
 * The TOTP code form of the step-up page and dialog. Without JavaScript it is a plain form posting to the
 * step-up route; with it, the code is sent with `fetch`, and a refusal keeps the user where they are: the
 * sentence is announced (also when it repeats), the field is emptied and focused, and it says why through
 * `aria-describedby`. The field takes a pasted "123 456" (spaces are dropped), offers the numeric keypad and
 * one-time-code autofill. The submit button is never disabled, so a focused button keeps its focus.
 */
export function StepUpForm({
  endpoint,
  factors,
  texts,
  returnTo = '/',
  onVerified,
  initialError = null,
}: StepUpFormProps) {
  const id = useId();
  const ids = { code: `${id}code`, hint: `${id}hint`, error: `${id}error` };
  const input = useRef<HTMLInputElement>(null);
  const busy = useRef(false);
  const [failure, setFailure] = useState<Failure | null>(initialError ? { ...initialError, attempt: 0 } : null);
  const [phase, setPhase] = useState<'idle' | 'verifying' | 'verified'>('idle');
  // Until hydration the browser validates (JavaScript off); afterwards the form explains in its own words.
  const [enhanced, setEnhanced] = useState(false);
  useEffect(() => setEnhanced(true), []);

  function refuse(code: string, message: string, retryAfterSeconds?: number) {
    setFailure((previous) => ({
      code,
      message,
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
      attempt: (previous?.attempt ?? 0) + 1,
    }));
    if (input.current) {
      input.current.value = '';
      input.current.focus();
    }
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy.current) return;
    const form = new FormData(event.currentTarget);
    const code = normalizedCode(String(form.get(FIELDS.code) ?? ''));
    if (code === null) return refuse('invalid_input', texts.invalidInput);
    form.set(FIELDS.code, code);
    busy.current = true;
    setPhase('verifying');
    let answer: VerifyAnswer;
    try {
      const response = await fetch(endpoint, {
        method: 'POST',
        body: form,
        headers: { accept: 'application/json' },
        credentials: 'same-origin',
        cache: 'no-store',
      });
      const body: unknown = await response.json();
      answer = isVerifyAnswer(body) ? body : { ok: false, code: 'unavailable', message: texts.unavailable };
    } catch {
      answer = { ok: false, code: 'unavailable', message: texts.unavailable };
    }
    if (answer.ok) {
      setPhase('verified');
      if (onVerified) onVerified();
      // A full navigation, not the client router: it may hold prefetched answers from before the step-up (redirects
      // back here), which a soft navigation would reuse.
      else window.location.replace(answer.redirectTo);
      return;
    }
    busy.current = false;
    setPhase('idle');
    refuse(
      answer.code,
      answer.message,
      typeof answer.retryAfterSeconds === 'number' ? answer.retryAfterSeconds : undefined,
    );
  }

  const only = factors.length === 1 ? factors[0] : undefined;
  return (
    <form
      method="post"
      action={endpoint}
      onSubmit={(event) => void submit(event)}
      noValidate={enhanced}
      className="mfa-form"
    >
      <input type="hidden" name={FIELDS.intent} value="verify" />
      <input type="hidden" name={FIELDS.returnTo} value={returnTo} />
      {only ? (
        <input type="hidden" name={FIELDS.factorId} value={only.id} />
      ) : (
        <fieldset className="mfa-factors">
          <legend>{texts.factorLegend}</legend>
          {factors.map((factor, i) => (
            <label key={factor.id} className="mfa-choice">
              <input type="radio" name={FIELDS.factorId} value={factor.id} defaultChecked={i === 0} required />
              <span>
                {factor.issuer}
                {factor.label ? <span className="mfa-muted"> · {factor.label}</span> : null}
              </span>
            </label>
          ))}
        </fieldset>
      )}
      <div className="mfa-field">
        <label htmlFor={ids.code}>{texts.codeLabel}</label>
        <p id={ids.hint} className="mfa-hint">
          {texts.codeHint}
        </p>
        <input
          ref={input}
          id={ids.code}
          name={FIELDS.code}
          type="text"
          className="mfa-code"
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern={CODE_PATTERN}
          required
          autoFocus
          spellCheck={false}
          aria-invalid={failure ? true : undefined}
          aria-describedby={`${ids.hint} ${ids.error}`}
        />
      </div>
      {/* Always in the page (never display:none), so the first sentence is announced; a new node per refusal. */}
      <div
        id={ids.error}
        className="mfa-error"
        role="alert"
        aria-live="assertive"
        aria-atomic="true"
        data-code={failure?.code}
        data-retry-after={failure?.retryAfterSeconds}
      >
        {failure ? <span key={failure.attempt}>{failure.message}</span> : null}
      </div>
      <p className="mfa-status" role="status">
        {phase === 'verified' ? texts.verified : ''}
      </p>
      <button type="submit" className="mfa-button mfa-block" aria-disabled={phase !== 'idle' || undefined}>
        {phase === 'idle' ? texts.verify : texts.verifying}
      </button>
    </form>
  );
}
