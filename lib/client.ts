'use client';
/**
 * `authkit-session-mfa/client` — browser side: `useStepUp` runs a server action wrapped with
 * `withSessionMfa`, takes the user through step-up when it asks for it — in a dialog on the page under
 * `StepUpProvider`, else on the step-up page — and retries it exactly once. `StepUpForm` is the code form of
 * the step-up page and dialog.
 * @packageDocumentation
 */
export { useStepUp, type StepUpState } from './client/use-step-up';
export { isStepUpCancelled, StepUpError, type StepUpErrorCode } from './client/step-up-error';
export { StepUpProvider } from './client/step-up-provider';
export type { StepUpDialogProps } from './client/step-up-dialog';
export { StepUpForm } from './client/step-up-form';
