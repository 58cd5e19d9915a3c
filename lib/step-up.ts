/**
 * `authkit-session-mfa/step-up` — the server side of the step-up page: TOTP verification through the WorkOS
 * MFA API with attempt limits and replay protection, re-authentication through AuthKit, and factor enrollment
 * that a password alone cannot abuse.
 * Server-only: importing it from a Client Component fails the build.
 * @packageDocumentation
 */
import 'server-only';

export { createTotpStepUp, type StepUpFactor } from './step-up/totp';
export { createFactorEnrollment, type EnrollmentResult, type FactorEnrollment } from './step-up/enrollment';
export type { AttemptLimiter } from './step-up/attempt-limiter';
export { currentStepUpSession } from './step-up/session';
export { createReauthentication, REAUTH_PARAM } from './step-up/reauthentication';
export type { StepUpResult } from './step-up/result';
export { cancelledReturnTo, withoutStepUpMarker } from './step-up/marker';
export { stepUpPath } from './core/return-to';
