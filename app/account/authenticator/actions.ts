'use server';
import { auditContextOf } from 'authkit-session-mfa/server';
import { currentStepUpSession, type EnrollmentResult } from 'authkit-session-mfa/step-up';
import { headers } from 'next/headers';
import { enrollment } from '@/mfa-step-up';

/** What the browser may see of a started enrollment: the QR code and its text alternative, once. */
export interface StartedFactor {
  readonly factorId: string;
  readonly qrCode: string;
  readonly secret: string;
  readonly issuer: string;
  readonly label: string;
}

const SIGNED_OUT = {
  ok: false,
  code: 'not_signed_in',
  message: 'Your session has ended. Sign in again to continue.',
} as const;

/** The request's audit fields (request id, client address and agent); the identity comes from the verified session. */
async function context(step: string) {
  return auditContextOf(await headers(), `action ${step}`);
}

/** Sends a one-time code to the signed-in user's email (first factor only). */
export async function sendEmailCode(): Promise<EnrollmentResult<{ email: string }>> {
  const current = await currentStepUpSession();
  if (!current) return SIGNED_OUT;
  return enrollment.sendEmailCode(current, await context('sendEmailCode'));
}

/** Checks the emailed code; on success this session may add one authenticator within 10 minutes. */
export async function verifyEmailCode(code: string): Promise<EnrollmentResult> {
  const current = await currentStepUpSession();
  if (!current) return SIGNED_OUT;
  return enrollment.verifyEmailCode(current, String(code), await context('verifyEmailCode'));
}

/** Creates the authenticator at WorkOS when this session qualifies now, and returns what to scan. */
export async function startEnrollment(): Promise<EnrollmentResult<{ factor: StartedFactor }>> {
  const current = await currentStepUpSession();
  if (!current) return SIGNED_OUT;
  const result = await enrollment.start(current, await context('startEnrollment'));
  if (!result.ok) return result;
  const { factorId, qrCode, secret, issuer, label } = result.factor;
  return { ok: true, factor: { factorId, qrCode, secret, issuer, label } };
}

/** Confirms the new authenticator with its first code. */
export async function confirmEnrollment(
  factorId: string,
  code: string,
): Promise<EnrollmentResult<{ factorId: string }>> {
  const current = await currentStepUpSession();
  if (!current) return SIGNED_OUT;
  return enrollment.confirm(current, String(factorId), String(code), await context('confirmEnrollment'));
}

/** Gives up on this session's unconfirmed authenticator (deleted at WorkOS). */
export async function cancelEnrollment(factorId: string): Promise<EnrollmentResult> {
  const current = await currentStepUpSession();
  if (!current) return SIGNED_OUT;
  return enrollment.cancel(current, String(factorId), await context('cancelEnrollment'));
}
