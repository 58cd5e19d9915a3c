import { defineMfaPolicy } from '../core/policy';
import { stepUpPath } from '../core/return-to';
import type { SessionMfa } from '../session-mfa';
import type { CurrentStepUpSession } from './session';
import { agoPhrase, fill, resolveTexts, type StepUpTextOverrides, type StepUpTexts } from './texts';
import type { Reauthentication } from './reauthentication';
import type { StepUpFactor, TotpStepUp } from './totp';
import { ENDPOINT_SUFFIX, type DialogTexts, type FactorView, type FormTexts } from '../shared/wire';

/** Options of `createStepUp`. */
export interface StepUpOptions {
  /** The server engine (its ledger, clock and step-up path). */
  readonly sessionMfa: SessionMfa;
  /** TOTP verification: `createTotpStepUp({ … })`. */
  readonly totp: TotpStepUp;
  /** Offers "Sign in again through AuthKit": `createReauthentication({ sessionMfa })`. @default not offered */
  readonly reauthentication?: Reauthentication;
  /** Any of the page's and dialog's sentences, e.g. a translation. @default English */
  readonly texts?: StepUpTextOverrides;
  /** Locale of the times in the texts ("3 hours ago", "2 minutes"). @default 'en' */
  readonly locale?: string;
  /** Where the "no factor" guidance links to (enrollment). @default no link */
  readonly enrollUrl?: string;
}

/** The configuration the page and the route share. */
export interface DropIn {
  readonly sessionMfa: SessionMfa;
  readonly totp: TotpStepUp;
  readonly reauthentication: Reauthentication | null;
  readonly texts: StepUpTexts;
  readonly locale: string;
  readonly enrollUrl: string | null;
  /** The step-up page, e.g. `/step-up`. */
  readonly pagePath: string;
  /** Its route, e.g. `/step-up/verify`. */
  readonly endpoint: string;
}

/** Any MFA evidence, however old: for "your last check was …". */
const ANY_MFA = defineMfaPolicy({ name: 'step-up-page', maxAge: null });

export function dropIn(options: StepUpOptions): DropIn {
  const pagePath = options.sessionMfa.stepUpPath;
  return {
    sessionMfa: options.sessionMfa,
    totp: options.totp,
    reauthentication: options.reauthentication ?? null,
    texts: resolveTexts(options.texts),
    locale: options.locale ?? 'en',
    enrollUrl: options.enrollUrl ?? null,
    pagePath,
    endpoint: `${pagePath.replace(/\/$/, '')}${ENDPOINT_SUFFIX}`,
  };
}

/** The session user's eligible factors as the browser sees them; `null` when WorkOS could not be asked. */
export async function factorViews(config: DropIn, current: CurrentStepUpSession): Promise<FactorView[] | null> {
  try {
    return (await config.totp.listFactors(current.session)).map(({ id, issuer, label }: StepUpFactor) => ({
      id,
      issuer,
      label,
    }));
  } catch {
    return null;
  }
}

/** "Your last check was 3 hours ago." or `null` when this session never verified. */
export async function lastVerifiedText(config: DropIn, current: CurrentStepUpSession): Promise<string | null> {
  const at = await config.sessionMfa.status(current.payload, { any: ANY_MFA }).then(
    ({ any }) => any.evidence?.verifiedAt,
    () => null,
  );
  return at == null
    ? null
    : fill(config.texts.lastVerified, { ago: agoPhrase(config.sessionMfa.now() - at, config.locale) });
}

/** The form's texts for these factors. */
export function formTexts(config: DropIn, factors: readonly FactorView[]): FormTexts {
  const { texts } = config;
  const only = factors.length === 1 ? factors[0] : undefined;
  return {
    codeLabel: texts.codeLabel,
    codeHint: only
      ? fill(texts.codeHintOne, { factor: only.label ? `${only.issuer} (${only.label})` : only.issuer })
      : texts.codeHintMany,
    factorLegend: texts.factorLegend,
    verify: texts.verify,
    verifying: texts.verifying,
    verified: texts.verified,
    invalidInput: texts.failures.invalid_input,
    unavailable: texts.failures.unavailable,
  };
}

/** The dialog's texts. */
export function dialogTexts(config: DropIn): DialogTexts {
  const { texts } = config;
  return {
    title: texts.title,
    lead: texts.dialogLead,
    cancel: texts.cancel,
    or: texts.or,
    reauthenticate: texts.reauthenticate,
    reauthenticateHint: texts.reauthenticateHint,
    factorsUnavailable: texts.factorsUnavailable,
    noFactorTitle: texts.noFactorTitle,
    noFactorBody: texts.noFactorBody,
    enroll: texts.enroll,
  };
}

/** The step-up page for `returnTo`. */
export function pageHref(config: DropIn, returnTo: string): string {
  return stepUpPath(returnTo, config.pagePath);
}
