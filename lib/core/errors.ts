/**
 * Stable error codes for misuse of the library (bad configuration, bad input).
 * Denials are never errors: they are decisions with a reason code (see `DecisionReason`).
 */
export type MfaErrorCode =
  | 'ERR_MFA_POLICY_INVALID'
  | 'ERR_MFA_DURATION_INVALID'
  | 'ERR_MFA_CONFIG_INVALID'
  | 'ERR_MFA_LEDGER_ENTRY_INVALID'
  | 'ERR_MFA_LEDGER_UNAVAILABLE'
  | 'ERR_MFA_TOKEN_INVALID';

/**
 * Base class of every error this library throws. `code` is stable and safe to branch on;
 * `message` is for humans and may change.
 */
export class MfaError extends Error {
  /** Machine-readable, stable code. */
  readonly code: MfaErrorCode;
  /** The option or field at fault, when there is one. */
  readonly field: string | undefined;

  constructor(code: MfaErrorCode, message: string, options: { field?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MfaError';
    this.code = code;
    this.field = options.field;
  }
}

/** A policy or option was rejected at definition time; `field` names the culprit. */
export class MfaConfigError extends MfaError {
  constructor(
    code: 'ERR_MFA_POLICY_INVALID' | 'ERR_MFA_DURATION_INVALID' | 'ERR_MFA_CONFIG_INVALID',
    field: string,
    message: string,
  ) {
    super(code, `${field}: ${message}`, { field });
    this.name = 'MfaConfigError';
  }
}

/** The ledger could not be read or written (network, timeout, server error). Always a denial. */
export class LedgerUnavailableError extends MfaError {
  constructor(message: string, cause?: unknown) {
    super('ERR_MFA_LEDGER_UNAVAILABLE', message, { cause });
    this.name = 'LedgerUnavailableError';
  }
}

/** `true` when `value` is an error thrown by this library (works across bundles, unlike `instanceof`). */
export function isMfaError(value: unknown): value is MfaError {
  const code: unknown = value instanceof Error ? (value as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('ERR_MFA_');
}
