'use client';
import { useEffect, useId, useRef, type FormEvent } from 'react';
import type { StepUpRequiredResult } from '../core/step-up-response';
import { FIELDS, type DialogData } from '../shared/wire';
import { StepUpForm } from './step-up-form';

/** Props of a step-up dialog: the supplied one, or the app's own passed to `StepUpProvider`. */
export interface StepUpDialogProps {
  /** Why step-up is needed (what the action or the middleware answered). */
  readonly request: StepUpRequiredResult;
  /** What the step-up route says about this session: factors, texts, whether re-authentication is offered. */
  readonly data: Extract<DialogData, { status: 'ready' }>;
  /** The step-up route, for `StepUpForm` and the re-authentication form. */
  readonly endpoint: string;
  /** Call once a code verified: the dialog closes and the action runs again, once. */
  readonly onVerified: () => void;
  /** Call when the user gives up: the action reports `step_up_cancelled`. */
  readonly onCancel: () => void;
  /**
   * Call right before leaving the page for re-authentication: it saves the action for the return and gives
   * the `return_to` path to post, or `null` when the action cannot survive leaving (then stay).
   */
  readonly leave: () => string | null;
}

/**
 * The supplied step-up dialog: a native modal `<dialog>` (focus moves into it and is trapped there; Escape
 * cancels; focus goes back to where it was when it closes) holding the code form, the "no factor" guidance
 * and, when configured, "sign in again through AuthKit" (which leaves the page).
 */
export function StepUpDialog({ data, endpoint, onVerified, onCancel, leave }: StepUpDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  // Set when the dialog closes because it is going away (verified or cancelled already): not a cancel.
  const closing = useRef(false);
  const id = useId();
  const titleId = `${id}title`;
  const leadId = `${id}lead`;
  const hintId = `${id}reauth`;
  const { texts, factors } = data;

  useEffect(() => {
    const element = dialog.current;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (element && !element.open) element.showModal();
    return () => {
      closing.current = true;
      if (element?.open) element.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  function reauthenticate(event: FormEvent<HTMLFormElement>) {
    const returnTo = leave();
    if (returnTo === null) return event.preventDefault();
    const field = event.currentTarget.elements.namedItem(FIELDS.returnTo);
    if (field instanceof HTMLInputElement) field.value = returnTo;
  }

  return (
    <dialog
      ref={dialog}
      className="mfa-dialog"
      aria-labelledby={titleId}
      aria-describedby={leadId}
      // Escape: cancel through our own state, so the action learns of it.
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
      // Closed some other way (a browser's own close request): that is a cancel too.
      onClose={() => closing.current || onCancel()}
    >
      <div className="mfa-card">
        <h2 id={titleId} className="mfa-title">
          {texts.title}
        </h2>
        <p id={leadId} className="mfa-lead">
          {texts.lead}
        </p>
        {factors === null ? (
          <p className="mfa-alert mfa-alert-error" role="alert">
            {texts.factorsUnavailable}
          </p>
        ) : factors.length > 0 ? (
          <StepUpForm endpoint={endpoint} factors={factors} texts={data.form} onVerified={onVerified} />
        ) : (
          <div className="mfa-alert mfa-alert-info mfa-no-factor">
            <p>
              <strong>{texts.noFactorTitle}</strong>
            </p>
            <p>{texts.noFactorBody}</p>
            {data.enrollUrl ? (
              <p>
                <a href={data.enrollUrl}>{texts.enroll}</a>
              </p>
            ) : null}
          </div>
        )}
        {data.reauthentication ? (
          <form method="post" action={endpoint} onSubmit={reauthenticate} className="mfa-reauth">
            <p className="mfa-divider">
              <span>{texts.or}</span>
            </p>
            <input type="hidden" name={FIELDS.intent} value="reauthenticate" />
            <input type="hidden" name={FIELDS.returnTo} value="/" />
            <button type="submit" className="mfa-button mfa-button-secondary mfa-block" aria-describedby={hintId}>
              {texts.reauthenticate}
            </button>
            <p id={hintId} className="mfa-hint mfa-center">
              {texts.reauthenticateHint}
            </p>
          </form>
        ) : null}
        <div className="mfa-actions">
          <button type="button" className="mfa-button mfa-button-secondary mfa-cancel" onClick={onCancel}>
            {texts.cancel}
          </button>
        </div>
      </div>
    </dialog>
  );
}
