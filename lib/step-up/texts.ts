/**
 * Every sentence of the drop-in step-up page and dialog, overridable as a whole or one by one (i18n).
 * `{name}` placeholders are filled in on the server; the browser only ever receives finished strings.
 */
import { STEP_UP_MESSAGES, type StepUpFailureCode } from '../shared/result';

/** The texts of the step-up page and dialog. Placeholders in braces are filled in; keep them when translating. */
export interface StepUpTexts {
  /** Heading of the page and the dialog. */
  readonly title: string;
  /** Under the heading when the page returns to `/`. */
  readonly lead: string;
  /** Under the heading otherwise; `{path}` is where the user goes next. */
  readonly leadFor: string;
  /** Under the dialog's heading. */
  readonly dialogLead: string;
  /** After the lead when the session verified before; `{ago}` as "3 hours ago". */
  readonly lastVerified: string;
  /** Label of the code field. */
  readonly codeLabel: string;
  /** Instruction tied to the field with one factor; `{factor}` as "Acme (alice@example.com)". */
  readonly codeHintOne: string;
  /** Instruction tied to the field with several factors. */
  readonly codeHintMany: string;
  /** Legend of the factor choice. */
  readonly factorLegend: string;
  /** The submit button. */
  readonly verify: string;
  /** The submit button while a code is checked. */
  readonly verifying: string;
  /** Announced once the code verified. */
  readonly verified: string;
  /** Leaves without verifying. */
  readonly cancel: string;
  /** Under the form; `{email}`. */
  readonly signedInAs: string;
  /** Between the code form and re-authentication. */
  readonly or: string;
  /** Button of "sign in again through AuthKit" (shown only when re-authentication is configured). */
  readonly reauthenticate: string;
  /** Under that button. */
  readonly reauthenticateHint: string;
  /** After a fresh sign-in whose token proved no MFA. */
  readonly reauthenticatedWithoutMfa: string;
  /** When the factor list cannot be loaded. */
  readonly factorsUnavailable: string;
  /** Heading of the "no factor" guidance. */
  readonly noFactorTitle: string;
  /** Body of the "no factor" guidance. */
  readonly noFactorBody: string;
  /** Body of the "no factor" guidance when enrollment is offered (`enrollUrl`). */
  readonly noFactorEnrollBody: string;
  /** Link to enrollment (shown only when `enrollUrl` is configured). */
  readonly enroll: string;
  /** Too many attempts, when the time to wait is known; `{wait}` as "2 minutes". */
  readonly rateLimitedFor: string;
  /** One sentence per failure (`rate_limited`: when nobody said how long to wait). */
  readonly failures: Readonly<Record<StepUpFailureCode, string>>;
}

/** The default (English) texts. */
export const DEFAULT_STEP_UP_TEXTS: StepUpTexts = {
  title: 'Verify it’s you',
  lead: 'Confirm this session with your second factor.',
  leadFor: '{path} needs a recent second-factor check from this session.',
  dialogLead:
    'This action needs a recent second-factor check from this session. Enter a code to continue; nothing on this page is lost.',
  lastVerified: 'Your last check was {ago}.',
  codeLabel: '6-digit code',
  codeHintOne: 'Open your authenticator app and enter the code it shows for {factor}.',
  codeHintMany: 'Choose an authenticator, then enter the code it shows now.',
  factorLegend: 'Authenticator',
  verify: 'Verify',
  verifying: 'Verifying…',
  verified: 'Verified. Continuing…',
  cancel: 'Cancel',
  signedInAs: 'Signed in as {email}',
  or: 'or',
  reauthenticate: 'Sign in again through AuthKit',
  reauthenticateHint: 'Counts only when your sign-in reports a second factor.',
  reauthenticatedWithoutMfa:
    'You signed in again, but that sign-in did not include a second factor this app can see, so it does not count as a step-up. Enter a code from your authenticator app instead.',
  factorsUnavailable: 'Your authenticators could not be loaded right now. Reload the page to try again.',
  noFactorTitle:
    'Your account has no authenticator app set up from before this sign-in, so this session cannot be verified here.',
  noFactorBody:
    'Adding an authenticator now would not help: a factor enrolled in a session that has not passed a second-factor check proves nothing about this session. Ask your administrator to set up two-factor authentication for your account, then sign in with it.',
  noFactorEnrollBody:
    'You can set one up now for your next sign-in. It will not verify this session: a factor enrolled in a session that has not passed a second-factor check proves nothing about it.',
  enroll: 'Set up an authenticator',
  rateLimitedFor: 'Too many attempts. For your security, verification is paused. Try again in {wait}.',
  failures: STEP_UP_MESSAGES,
};

/** The defaults with `overrides` applied (failures merged one by one). */
export function resolveTexts(overrides: StepUpTextOverrides = {}): StepUpTexts {
  return {
    ...DEFAULT_STEP_UP_TEXTS,
    ...overrides,
    failures: { ...DEFAULT_STEP_UP_TEXTS.failures, ...overrides.failures },
  };
}

/** What an app may override: any text, and any failure sentence. */
export type StepUpTextOverrides = Partial<Omit<StepUpTexts, 'failures'>> & {
  readonly failures?: Partial<StepUpTexts['failures']>;
};

/** `template` with each `{name}` replaced by `values[name]` (unknown names are left as they are). */
export function fill(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

/** "20 seconds", "2 minutes": how long to wait, in `locale`. */
export function waitPhrase(seconds: number, locale: string): string {
  const s = Math.max(1, Math.ceil(seconds));
  const [value, unit] = s < 60 ? [s, 'second'] : [Math.ceil(s / 60), 'minute'];
  return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'long' }).format(value);
}

/** "3 hours ago", "now": how long ago `seconds` were, in `locale`. */
export function agoPhrase(seconds: number, locale: string): string {
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return format.format(-s, 'second');
  if (s < 3600) return format.format(-Math.floor(s / 60), 'minute');
  if (s < 86_400) return format.format(-Math.floor(s / 3600), 'hour');
  return format.format(-Math.floor(s / 86_400), 'day');
}

/** The sentence for a failed attempt; for `rate_limited` with a known wait, the time left (never an invented one). */
export function failureText(
  texts: StepUpTexts,
  code: StepUpFailureCode,
  retryAfterSeconds: number | undefined,
  locale: string,
): string {
  if (
    code === 'rate_limited' &&
    retryAfterSeconds !== undefined &&
    Number.isFinite(retryAfterSeconds) &&
    retryAfterSeconds > 0
  ) {
    return fill(texts.rateLimitedFor, { wait: waitPhrase(retryAfterSeconds, locale) });
  }
  return texts.failures[code];
}
