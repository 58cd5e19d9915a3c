'use client';
/**
 * `authkit-session-mfa/client` — browser side: `useStepUp` runs a server action wrapped with
 * `withSessionMfa`, takes the user through step-up when it asks for it, and retries it exactly once.
 * @packageDocumentation
 */
export { useStepUp, type StepUpState, type UseStepUp, type UseStepUpOptions } from './client/use-step-up';
export { isStepUpCancelled, StepUpError, type StepUpErrorCode } from './client/step-up-error';
export type { PendingStore } from './client/pending-action';
export { isStepUpRequired, type StepUpRequiredResult } from './core/step-up-response';
export { cancelledReturnTo, readStepUpMarker, STEP_UP_CANCELLED_PARAM, STEP_UP_MARKER_PARAM, withoutStepUpMarker, withStepUpMarker } from './step-up/marker';
export { STEP_UP_MESSAGES, type StepUpFailure, type StepUpFailureCode, type StepUpResult, type StepUpSuccess } from './step-up/result';
