import 'server-only';
// The form is a Client Component: imported through the package's own client entry, whose file opens with
// 'use client', so the app's bundler sees the boundary (a bundled copy here would lose it).
import { StepUpForm } from 'authkit-session-mfa/client';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { connection } from 'next/server';
import type { ReactElement, ReactNode } from 'react';
import { safeReturnTo } from '../core/return-to';
import { auditContextOf } from '../next/request-context';
import { factorViews, formTexts, lastVerifiedText, type DropIn } from './drop-in';
import { cancelledReturnTo, withoutStepUpMarker } from '../shared/marker';
import { REAUTH_PARAM } from './reauthentication';
import type { StepUpFailureCode } from '../shared/result';
import { FAILURE_PARAMS } from './route';
import { currentStepUpSession } from './session';
import { failureText, fill, type StepUpTexts } from './texts';
import { FIELDS } from '../shared/wire';

/** The props Next passes to a page. */
export interface StepUpPageProps {
  /** The query: `return_to`, and what the step-up route or AuthKit adds (`error`, `retry_after`, `reauth`). */
  readonly searchParams: Promise<Record<string, string | string[] | undefined>>;
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** `template` with `{name}` replaced by a node (a path set in code type, say). */
function fillNodes(template: string, name: string, node: ReactNode): ReactNode[] {
  return template.split(`{${name}}`).flatMap((part, i) => (i === 0 ? [part] : [<span key={i}>{node}</span>, part]));
}

/** The failure the step-up route reported through the URL (no JavaScript), or `null`. */
function failureOf(
  params: Record<string, string | string[] | undefined>,
  texts: StepUpTexts,
  locale: string,
): { code: string; message: string; retryAfterSeconds?: number } | null {
  const code = first(params[FAILURE_PARAMS.code]);
  if (!code || !Object.hasOwn(texts.failures, code)) return null;
  const given = first(params[FAILURE_PARAMS.retryAfter]);
  const retryAfter = given === undefined ? NaN : Number(given);
  const seconds = Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(Math.ceil(retryAfter), 86_400) : undefined;
  return {
    code,
    message: failureText(texts, code as StepUpFailureCode, seconds, locale),
    ...(seconds === undefined ? {} : { retryAfterSeconds: seconds }),
  };
}

/**
 * The step-up page. Signed out → AuthKit sign-in and back; back from "sign in again" → on to `return_to` when
 * the new token proves MFA, else says why; then the code form (one or several factors), the "no factor"
 * guidance, "sign in again through AuthKit" when configured, and Cancel (which tells a waiting `useStepUp`).
 */
export function stepUpPage(config: DropIn): (props: StepUpPageProps) => Promise<ReactElement> {
  const { texts } = config;
  return async function StepUpPage({ searchParams }: StepUpPageProps): Promise<ReactElement> {
    // Rendered per request, never prerendered: under Cache Components the clock and the session may only be read
    // after this (the app puts the page inside <Suspense>, e.g. with a loading.tsx).
    await connection();
    const params = await searchParams;
    const returnTo = safeReturnTo(first(params[FIELDS.returnTo]));
    const current = await currentStepUpSession();
    if (!current)
      redirect(
        `${config.endpoint}?${new URLSearchParams({ [FIELDS.intent]: 'sign-in', [FIELDS.returnTo]: returnTo })}`,
      );

    let reauthWithoutMfa = false;
    if (config.reauthentication && first(params[REAUTH_PARAM]) === '1') {
      // Back from "Sign in again": only a token whose claims prove fresh MFA lets the user through.
      const decision = await config.reauthentication.check(
        current.payload,
        auditContextOf(await headers(), 'step-up').requestId,
      );
      if (decision.allowed) redirect(returnTo);
      reauthWithoutMfa = true;
    }
    const [factors, lastVerified] = await Promise.all([
      factorViews(config, current),
      lastVerifiedText(config, current),
    ]);
    const destination = withoutStepUpMarker(returnTo);
    const lead =
      destination === '/'
        ? texts.lead
        : fillNodes(texts.leadFor, 'path', <code className="mfa-path">{destination}</code>);

    return (
      <main className="mfa-page">
        <div className="mfa-card">
          <h1 className="mfa-title">{texts.title}</h1>
          <p className="mfa-lead">
            {lead}
            {lastVerified ? ` ${lastVerified}` : null}
          </p>
          {reauthWithoutMfa ? (
            <p className="mfa-alert mfa-alert-warn mfa-reauth-without-mfa" role="status">
              {texts.reauthenticatedWithoutMfa}
            </p>
          ) : null}
          {factors === null ? (
            <p className="mfa-alert mfa-alert-error" role="alert">
              {texts.factorsUnavailable}
            </p>
          ) : factors.length > 0 ? (
            <StepUpForm
              endpoint={config.endpoint}
              factors={factors}
              texts={formTexts(config, factors)}
              returnTo={returnTo}
              initialError={failureOf(params, texts, config.locale)}
            />
          ) : (
            <div className="mfa-alert mfa-alert-info mfa-no-factor">
              <p>
                <strong>{texts.noFactorTitle}</strong>
              </p>
              <p>{config.enrollUrl ? texts.noFactorEnrollBody : texts.noFactorBody}</p>
              {config.enrollUrl ? (
                <p>
                  <a href={config.enrollUrl}>{texts.enroll}</a>
                </p>
              ) : null}
            </div>
          )}
          {config.reauthentication ? (
            <form method="post" action={config.endpoint} className="mfa-reauth">
              <p className="mfa-divider">
                <span>{texts.or}</span>
              </p>
              <input type="hidden" name={FIELDS.intent} value="reauthenticate" />
              <input type="hidden" name={FIELDS.returnTo} value={returnTo} />
              <button
                type="submit"
                className="mfa-button mfa-button-secondary mfa-block"
                aria-describedby="mfa-reauth-hint"
              >
                {texts.reauthenticate}
              </button>
              <p id="mfa-reauth-hint" className="mfa-hint mfa-center">
                {texts.reauthenticateHint}
              </p>
            </form>
          ) : null}
          <div className="mfa-footer">
            <a className="mfa-button mfa-button-secondary mfa-cancel" href={cancelledReturnTo(returnTo)}>
              {texts.cancel}
            </a>
            <span className="mfa-muted">{fill(texts.signedInAs, { email: current.user.email })}</span>
          </div>
        </div>
      </main>
    );
  };
}
