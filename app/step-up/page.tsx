import { safeReturnTo } from 'authkit-session-mfa';
import { cancelledReturnTo, currentStepUpSession, REAUTH_PARAM, stepUpPath, withoutStepUpMarker, type StepUpFactor } from 'authkit-session-mfa/step-up';
import { redirect } from 'next/navigation';
import { getSessionMfaStatus, sessionMfa } from '@/mfa';
import { policies } from '@/mfa.config';
import { reauthentication, totpStepUp } from '@/mfa-step-up';
import { shortId, timeAgo } from '../_lib/format';
import { reauthenticate } from './actions';
import { TotpForm } from './totp-form';

export const metadata = { title: 'Verify it’s you — Acme Console' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The step-up page: TOTP through the WorkOS MFA API, or a fresh AuthKit sign-in that carries MFA claims. */
export default async function StepUpPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const returnTo = safeReturnTo(first(params.return_to));
  const current = await currentStepUpSession();
  if (!current) redirect(`/login?return_to=${encodeURIComponent(stepUpPath(returnTo))}`);

  let reauthWithoutMfa = false;
  if (first(params[REAUTH_PARAM]) === '1') {
    // Back from "Sign in again": only a token whose claims prove fresh MFA lets the user through.
    const decision = await reauthentication.check(current.payload);
    if (decision.allowed) redirect(returnTo);
    reauthWithoutMfa = true;
  }

  let factors: StepUpFactor[] | null;
  try {
    factors = await totpStepUp.listFactors(current.session);
  } catch {
    factors = null;
  }
  const { admin } = await getSessionMfaStatus(policies);
  const lastVerified = admin.evidence?.verifiedAt;
  const destination = withoutStepUpMarker(returnTo);

  return (
    <main className="narrow">
      <div className="card">
        <h1>Verify it’s you</h1>
        <p className="lead">
          {destination === '/' ? 'Confirm this session with your second factor.' : <><span className="mono">{destination}</span> needs a recent second-factor check from this session.</>}
          {lastVerified != null ? ` Your last check was ${timeAgo(lastVerified, sessionMfa.now())}.` : ''}
        </p>

        {reauthWithoutMfa ? (
          <p className="alert warn" role="status" data-testid="reauth-without-mfa">
            You signed in again, but that sign-in did not include a second factor this app can see, so it does not count as a step-up. Enter a code from your authenticator app instead.
          </p>
        ) : null}

        {factors === null ? (
          <p className="alert error" role="alert">Your authenticators could not be loaded right now. Reload the page to try again.</p>
        ) : factors.length > 0 ? (
          <TotpForm factors={factors.map(({ id, issuer, label }) => ({ id, issuer, label }))} returnTo={returnTo} />
        ) : (
          <div className="alert info" data-testid="no-factor">
            <p style={{ margin: '0 0 8px' }}>
              <strong>Your account has no authenticator app set up</strong> from before this sign-in, so this session cannot be verified here.
            </p>
            <p style={{ margin: '0 0 8px' }}>
              Set one up (a first one needs a code sent to your email). It verifies your sessions from your next sign-in on: an authenticator added in a session that has not passed a second-factor check proves nothing about that session.
            </p>
            <a href="/account/authenticator" className="button secondary" data-testid="no-factor-enroll">
              Set up an authenticator
            </a>
          </div>
        )}

        <div className="divider">or</div>
        <form action={reauthenticate}>
          <input type="hidden" name="return_to" value={returnTo} />
          <button type="submit" className="secondary block">Sign in again through AuthKit</button>
        </form>
        <p className="hint center" style={{ marginTop: 8 }}>Counts only when your sign-in reports a second factor.</p>

        <p className="center small" style={{ marginTop: 20 }}>
          <a href={cancelledReturnTo(returnTo)}>Cancel</a>
          <span className="muted"> · signed in as {current.user.email} · session <span className="mono">{shortId(current.session.sessionId)}</span></span>
        </p>
      </div>
    </main>
  );
}
