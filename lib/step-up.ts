/**
 * `authkit-session-mfa/step-up` — the step-up page and its route, ready to drop in (`createStepUp`), built
 * from TOTP verification through the WorkOS MFA API with attempt limits and replay protection
 * (`createTotpStepUp`) and, optionally, re-authentication through AuthKit (`createReauthentication`); and factor
 * enrollment that a password alone cannot abuse (`createFactorEnrollment`).
 * Server-only: importing it from a Client Component fails the build.
 * @packageDocumentation
 */
import 'server-only';

export { createStepUp } from './step-up/create-step-up';
export type { StepUpTexts } from './step-up/texts';
export { createTotpStepUp } from './step-up/totp';
export { createFactorEnrollment, type EnrollmentResult, type FactorEnrollment } from './step-up/enrollment';
export type { AttemptLimiter } from './step-up/attempt-limiter';
export { createReauthentication } from './step-up/reauthentication';
export type { StepUpResult } from './shared/result';
export { currentStepUpSession } from './step-up/session';
