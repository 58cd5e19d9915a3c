'use server';
import { safeReturnTo } from 'authkit-session-mfa';
import { auditContextOf } from 'authkit-session-mfa/server';
import { currentStepUpSession } from 'authkit-session-mfa/step-up';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { reauthentication, totpStepUp } from '@/mfa-step-up';

/** What the TOTP form shows after a refused attempt. */
export interface TotpFormState {
  readonly error: string | null;
  readonly code: string | null;
  /** For `rate_limited`: seconds until another attempt may be made, when known. */
  readonly retryAfterSeconds?: number;
}

function field(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}

/** Verifies a TOTP code for the signed-in session; on success goes back to the (sanitized) `return_to`. */
export async function verifyTotp(_previous: TotpFormState, form: FormData): Promise<TotpFormState> {
  const returnTo = safeReturnTo(field(form, 'return_to'));
  const current = await currentStepUpSession();
  const { requestId } = auditContextOf(await headers(), 'step-up');
  const result = await totpStepUp.verify({ session: current?.session ?? null, factorId: field(form, 'factor_id'), code: field(form, 'code'), requestId });
  if (!result.ok) return { error: result.message, code: result.code, ...(result.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: result.retryAfterSeconds }) };
  redirect(returnTo);
}

/** "Sign in again through AuthKit": a forced fresh sign-in that comes back to the step-up page. */
export async function reauthenticate(form: FormData): Promise<void> {
  const returnTo = safeReturnTo(field(form, 'return_to'));
  const current = await currentStepUpSession();
  redirect(await reauthentication.signInUrl({ returnTo, ...(current ? { loginHint: current.user.email } : {}) }));
}
