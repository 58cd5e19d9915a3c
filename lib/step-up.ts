/**
 * `authkit-session-mfa/step-up` — the server side of the step-up page: TOTP verification through the WorkOS
 * MFA API with attempt limits and replay protection, and re-authentication through AuthKit.
 * Server-only: importing it from a Client Component fails the build.
 * @packageDocumentation
 */
import 'server-only';

export { createTotpStepUp, type StepUpFactor, type StepUpMfaClient, type TotpAttempt, type TotpStepUp, type TotpStepUpOptions, type WorkosFactor } from './step-up/totp';
export { DEFAULT_STEP_UP_ATTEMPTS, DEFAULT_STEP_UP_WINDOW, type AttemptLimiter, type AttemptLimiterOptions, type AttemptSubject, type AttemptVerdict } from './step-up/attempt-limiter';
export { upstashAttemptLimiter, type UpstashAttemptLimiterOptions } from './step-up/ratelimit-limiter';
export { counterAttemptLimiter, type CounterAttemptLimiterOptions } from './step-up/counter-limiter';
export { upstashUsedCodes, type UsedCodeRegistry, type UsedCodeRegistryOptions } from './step-up/used-codes';
export { currentStepUpSession, type CurrentStepUpSession } from './step-up/session';
export { idTimestamp, isEligibleFactor, sessionStartedAt, type StepUpSession } from './step-up/factor-eligibility';
export { createReauthentication, readReauthState, REAUTH_PARAM, type Reauthentication, type ReauthenticationOptions } from './step-up/reauthentication';
export { STEP_UP_MESSAGES, stepUpFailure, type StepUpFailure, type StepUpFailureCode, type StepUpResult, type StepUpSuccess } from './step-up/result';
export { cancelledReturnTo, readStepUpMarker, STEP_UP_CANCELLED_PARAM, STEP_UP_MARKER_PARAM, withoutStepUpMarker, withStepUpMarker } from './step-up/marker';
