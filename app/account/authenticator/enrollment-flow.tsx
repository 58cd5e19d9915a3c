'use client';
import Link from 'next/link';
import { useEffect, useRef, useState, useTransition, type FormEvent } from 'react';
import {
  cancelEnrollment,
  confirmEnrollment,
  sendEmailCode,
  startEnrollment,
  verifyEmailCode,
  type StartedFactor,
} from './actions';

type Step =
  | { name: 'email' }
  | { name: 'email-code'; email: string }
  | { name: 'ready' }
  | { name: 'scan'; factor: StartedFactor }
  | { name: 'done' };

/** The base32 key in groups of four, as people type it. */
function grouped(secret: string): string {
  return secret.match(/.{1,4}/g)?.join(' ') ?? secret;
}

function CodeField({ id, label, hint }: { id: string; label: string; hint: string }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name="code"
        type="text"
        className="otp"
        inputMode="numeric"
        autoComplete="one-time-code"
        // Six digits, spaces allowed (a pasted "123 456"); no maxLength, which would cut such a paste short.
        pattern="\s*(?:\d\s*){6}"
        spellCheck={false}
        required
        aria-describedby={`${id}-hint enroll-error`}
      />
      <p id={`${id}-hint`} className="hint">
        {hint}
      </p>
    </div>
  );
}

/**
 * "Set up an authenticator": for a first authenticator, a code sent to the account's email first; then the QR code
 * with the key as text, confirmed by a first code. Each step's heading takes focus; errors are announced.
 */
export function EnrollmentFlow({
  proof,
  emailProven,
  email,
  verifyHref,
}: {
  proof: 'session_mfa' | 'email_code';
  emailProven: boolean;
  email: string;
  verifyHref: string;
}) {
  const [step, setStep] = useState<Step>(
    proof === 'email_code' && !emailProven ? { name: 'email' } : { name: 'ready' },
  );
  const [error, setError] = useState<string | null>(null);
  const [needsMfa, setNeedsMfa] = useState(false);
  const [pending, startTransition] = useTransition();
  const heading = useRef<HTMLHeadingElement>(null);
  const first = useRef(true);
  const steps = proof === 'email_code' ? 3 : 2;

  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    heading.current?.focus();
  }, [step.name]);

  // Buttons stay focusable while a step runs (aria-disabled, not disabled), so a keyboard user's focus never drops to
  // the page: a second press is ignored here instead.
  const run = (work: () => Promise<void>) => {
    if (pending) return;
    setError(null);
    setNeedsMfa(false);
    startTransition(work);
  };
  /** Shows a refusal; "verify first" comes with the way to do it. */
  const refused = (result: { code: string; message: string }) => {
    setError(result.message);
    setNeedsMfa(result.code === 'mfa_required');
  };
  const codeOf = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    return String(new FormData(event.currentTarget).get('code') ?? '');
  };

  return (
    <section className="card" aria-labelledby="enroll-step" data-testid="enrollment" data-step={step.name}>
      {step.name === 'email' ? (
        <>
          <h2 id="enroll-step" ref={heading} tabIndex={-1}>
            Step 1 of {steps}: confirm your email
          </h2>
          <p>
            Your account has no authenticator yet. To show that it is you — and not someone who only knows your password
            — we send a one-time code to <strong>{email}</strong>.
          </p>
          <button
            type="button"
            aria-disabled={pending || undefined}
            onClick={() =>
              run(async () => {
                const result = await sendEmailCode();
                if (result.ok) setStep({ name: 'email-code', email: result.email });
                else refused(result);
              })
            }
          >
            Email me a code
          </button>
        </>
      ) : null}

      {step.name === 'email-code' ? (
        <>
          <h2 id="enroll-step" ref={heading} tabIndex={-1}>
            Step 1 of {steps}: enter the code from your email
          </h2>
          <form
            className="stack"
            onSubmit={(event) => {
              const code = codeOf(event);
              run(async () => {
                const result = await verifyEmailCode(code);
                if (result.ok) setStep({ name: 'ready' });
                else refused(result);
              });
            }}
          >
            <CodeField
              id="email-code"
              label="6-digit code from your email"
              hint={`Sent to ${step.email}. It expires in 10 minutes.`}
            />
            <div className="actions">
              <button type="submit" aria-disabled={pending || undefined}>
                Confirm email
              </button>
              <button
                type="button"
                className="secondary"
                aria-disabled={pending || undefined}
                onClick={() =>
                  run(async () => {
                    const result = await sendEmailCode();
                    if (!result.ok) refused(result);
                  })
                }
              >
                Send a new code
              </button>
            </div>
          </form>
        </>
      ) : null}

      {step.name === 'ready' ? (
        <>
          <h2 id="enroll-step" ref={heading} tabIndex={-1}>
            Step {steps - 1} of {steps}: add Acme Console to your authenticator app
          </h2>
          <p>
            You will see a QR code and the same key as text. Keep an authenticator app (such as 1Password, Google
            Authenticator or Authy) at hand.
          </p>
          <button
            type="button"
            aria-disabled={pending || undefined}
            onClick={() =>
              run(async () => {
                const result = await startEnrollment();
                if (result.ok) setStep({ name: 'scan', factor: result.factor });
                else refused(result);
              })
            }
          >
            Show the QR code
          </button>
        </>
      ) : null}

      {step.name === 'scan' ? (
        <>
          <h2 id="enroll-step" ref={heading} tabIndex={-1}>
            Step {steps} of {steps}: scan, then enter a code
          </h2>
          <div className="enroll-scan">
            <img
              src={step.factor.qrCode}
              width={200}
              height={200}
              alt="QR code for your authenticator app. The same key is written out below."
            />
            <div>
              <p className="hint" id="secret-hint">
                Can’t scan? In your app, choose to enter a key and type this one (spaces don’t matter):
              </p>
              <p className="secret" data-testid="enroll-secret" aria-describedby="secret-hint">
                {grouped(step.factor.secret)}
              </p>
              <dl className="facts">
                <dt>Account</dt>
                <dd>{step.factor.label}</dd>
                <dt>Issuer</dt>
                <dd>{step.factor.issuer}</dd>
                <dt>Type</dt>
                <dd>Time-based (TOTP), 6 digits, every 30 seconds</dd>
              </dl>
            </div>
          </div>
          <form
            className="stack"
            onSubmit={(event) => {
              const code = codeOf(event);
              run(async () => {
                const result = await confirmEnrollment(step.factor.factorId, code);
                if (result.ok) setStep({ name: 'done' });
                else refused(result);
              });
            }}
          >
            <CodeField
              id="first-code"
              label="6-digit code your app shows now"
              hint="This confirms the app has the right key."
            />
            <div className="actions">
              <button type="submit" aria-disabled={pending || undefined}>
                Confirm authenticator
              </button>
              <button
                type="button"
                className="secondary"
                aria-disabled={pending || undefined}
                onClick={() =>
                  run(async () => {
                    const result = await cancelEnrollment(step.factor.factorId);
                    if (result.ok) setStep({ name: 'ready' });
                    else refused(result);
                  })
                }
              >
                Cancel setup
              </button>
            </div>
          </form>
        </>
      ) : null}

      {step.name === 'done' ? (
        <>
          <h2 id="enroll-step" ref={heading} tabIndex={-1}>
            Authenticator added
          </h2>
          <p className="alert ok" role="status" data-testid="enroll-done">
            Your authenticator is set up. It verifies your sessions from your next sign-in on; this session, where you
            set it up, still counts as not verified.
          </p>
          <p>
            <Link href="/account">Back to your account</Link>
          </p>
        </>
      ) : null}

      <p id="enroll-error" className="alert error" role="alert" aria-live="assertive" data-testid="enroll-error">
        {error ?? ''}
        {needsMfa ? (
          <>
            {' '}
            <Link href={verifyHref}>Verify now</Link>
          </>
        ) : null}
      </p>
    </section>
  );
}
