'use client';
/**
 * `authkit-session-mfa/client` — browser side: `useStepUp` runs a server action wrapped with
 * `withSessionMfa`, takes the user through step-up when it asks for it, and retries it exactly once.
 * @packageDocumentation
 */
export { useStepUp, type StepUpState } from './client/use-step-up';
export { isStepUpCancelled, StepUpError, type StepUpErrorCode } from './client/step-up-error';
