import { MfaConfigError, MfaError } from './errors';
import { isSafeId } from './ledger-entry';

/**
 * The one key scheme of everything this library stores in Redis: `<prefix>:v1:{<id>}:<kind>`. The `{id}` hash
 * tag keeps every key of one session (or user, factor, event) in one Redis Cluster slot; `v1` lets a future
 * format live beside this one.
 */

/** Default namespace of every key this library writes. */
export const DEFAULT_KEY_PREFIX = 'authkit-mfa';

const PREFIX_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;

/**
 * `prefix` when it can namespace keys.
 * @throws MfaConfigError `ERR_MFA_CONFIG_INVALID` naming `keyPrefix` otherwise.
 */
export function checkKeyPrefix(prefix: unknown): string {
  if (typeof prefix !== 'string' || !PREFIX_PATTERN.test(prefix))
    throw new MfaConfigError(
      'ERR_MFA_CONFIG_INVALID',
      'keyPrefix',
      'must be 1–64 characters of letters, digits, "_", ".", ":" or "-".',
    );
  return prefix;
}

/** `<prefix>:v1`: the versioned namespace (for clients that add their own `:<identifier>`). */
export function keyNamespace(prefix: string): string {
  return `${prefix}:v1`;
}

/**
 * `{<id>}:<kind>`: a key below the namespace.
 * @throws MfaError `ERR_MFA_LEDGER_ENTRY_INVALID` when `id` is not a safe identifier.
 */
export function slottedKey(id: string, kind: string): string {
  if (!isSafeId(id)) throw new MfaError('ERR_MFA_LEDGER_ENTRY_INVALID', 'Id is not a valid identifier.');
  return `{${id}}:${kind}`;
}

/**
 * `<prefix>:v1:{<id>}:<kind>`, e.g. a session's ledger entry `authkit-mfa:v1:{session_01…}:ledger`.
 * @throws MfaError `ERR_MFA_LEDGER_ENTRY_INVALID` when `id` is not a safe identifier.
 */
export function scopedKey(prefix: string, id: string, kind: string): string {
  return `${keyNamespace(prefix)}:${slottedKey(id, kind)}`;
}
