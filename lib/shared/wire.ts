/**
 * What the step-up route (`<step-up page>/verify`) and the browser say to each other: plain JSON, texts already
 * filled in. Shared by the server handlers and the client components, so it imports nothing of either.
 */
import type { StepUpFailureCode } from './result';

/** Where the step-up route lives relative to the step-up page. */
export const ENDPOINT_SUFFIX = '/verify';

/** A factor as the browser sees it. */
export interface FactorView {
  /** The WorkOS factor id (`auth_factor_…`). */
  readonly id: string;
  /** Issuer shown in the authenticator app. */
  readonly issuer: string;
  /** Account label shown in the authenticator app (may be empty). */
  readonly label: string;
}

/** Texts of the code form, filled in. */
export interface FormTexts {
  /** Label of the code field. */
  readonly codeLabel: string;
  /** Instruction tied to the code field. */
  readonly codeHint: string;
  /** Legend of the factor choice (several factors). */
  readonly factorLegend: string;
  /** The submit button. */
  readonly verify: string;
  /** The submit button while a code is checked. */
  readonly verifying: string;
  /** Announced once the code verified. */
  readonly verified: string;
  /** Shown when the field does not hold 6 digits. */
  readonly invalidInput: string;
  /** Shown when the step-up route cannot be reached. */
  readonly unavailable: string;
}

/** Texts of the dialog around the form, filled in. */
export interface DialogTexts {
  /** The dialog's heading (its accessible name). */
  readonly title: string;
  /** Under the heading (its accessible description). */
  readonly lead: string;
  /** Closes the dialog without verifying. */
  readonly cancel: string;
  /** Between the code form and re-authentication. */
  readonly or: string;
  /** Button of "sign in again through AuthKit". */
  readonly reauthenticate: string;
  /** Under that button. */
  readonly reauthenticateHint: string;
  /** When the factor list could not be loaded. */
  readonly factorsUnavailable: string;
  /** Heading of the "no factor" guidance. */
  readonly noFactorTitle: string;
  /** Body of the "no factor" guidance. */
  readonly noFactorBody: string;
  /** Link to enrollment. */
  readonly enroll: string;
}

/** `GET <endpoint>`: what the dialog shows. `factors` is `null` when they could not be loaded. */
export type DialogData =
  | { readonly status: 'signed_out' }
  | {
      readonly status: 'ready';
      readonly factors: readonly FactorView[] | null;
      /** Offer "sign in again through AuthKit" (it leaves the page). */
      readonly reauthentication: boolean;
      readonly enrollUrl: string | null;
      readonly texts: DialogTexts;
      readonly form: FormTexts;
    };

/** `POST <endpoint>` with `Accept: application/json`: the outcome of one code. */
export type VerifyAnswer =
  | { readonly ok: true; readonly redirectTo: string }
  | {
      readonly ok: false;
      readonly code: StepUpFailureCode;
      readonly message: string;
      readonly retryAfterSeconds?: number;
    };

/** Form fields of the step-up route. */
export const FIELDS = { intent: 'intent', returnTo: 'return_to', factorId: 'factor_id', code: 'code' } as const;

/** The step-up route for a step-up page URL (`/step-up?return_to=…` → `/step-up/verify`), or `null` off-origin. */
export function endpointFor(stepUpUrl: string, origin: string): string | null {
  try {
    const url = new URL(stepUpUrl, origin);
    if (url.origin !== origin) return null;
    return `${url.pathname.replace(/\/$/, '')}${ENDPOINT_SUFFIX}`;
  } catch {
    return null;
  }
}

/**
 * A code as typed or pasted ("123 456") with the spaces removed; `null` unless it is then 6 digits (also for a value
 * that is not a string: server actions receive whatever the client sends).
 */
export function normalizedCode(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const code = value.replace(/\s+/g, '');
  return /^\d{6}$/.test(code) ? code : null;
}
