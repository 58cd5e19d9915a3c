import { currentStepUpSession } from 'authkit-session-mfa/step-up';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { enrollment, stepUp } from '@/mfa-step-up';
import { EnrollmentFlow } from './enrollment-flow';

export const metadata = { title: 'Set up an authenticator — Acme Console' };

/**
 * "Set up an authenticator". Who may enroll is decided by the library when the authenticator is created (not
 * here): a user who has one needs a second-factor check from the last 10 minutes in this session; a user with
 * none first confirms the account's email with a code.
 */
export default async function AuthenticatorPage() {
  const current = await currentStepUpSession();
  if (!current) redirect('/login?return_to=%2Faccount%2Fauthenticator');
  const status = await enrollment.status(current).catch(() => null);
  const verifyHref = stepUp.href('/account/authenticator');

  return (
    <main className="narrow">
      <h1>Set up an authenticator</h1>
      <p className="lead">
        An authenticator app gives you the 6-digit codes that verify your sessions for the admin area and other
        sensitive actions.
      </p>
      {status === null ? (
        <p className="alert error" role="alert">
          Your authenticators cannot be checked right now. Reload the page to try again.
        </p>
      ) : (
        <>
          {status.proof === 'session_mfa' && !status.ready ? (
            <p className="alert info" data-testid="enroll-needs-mfa">
              You already have {status.factors === 1 ? 'an authenticator' : `${status.factors} authenticators`}. Adding
              another needs a second-factor check in this session from the last few minutes, so that someone who only
              knows your password cannot add one. <Link href={verifyHref}>Verify with your authenticator</Link> first.
            </p>
          ) : null}
          <EnrollmentFlow
            proof={status.proof}
            emailProven={status.ready}
            email={status.email}
            verifyHref={verifyHref}
          />
        </>
      )}
      <p className="small muted">
        <Link href="/account">Back to your account</Link>
      </p>
    </main>
  );
}
