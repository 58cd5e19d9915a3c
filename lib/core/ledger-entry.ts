import { isEpochSeconds } from './epoch';
import { MfaError } from './errors';

/** Who wrote a ledger entry. Only trusted server code writes the ledger. */
export type LedgerSource = 'step_up' | 'webhook' | 'reauthentication';

const SOURCES: readonly LedgerSource[] = ['step_up', 'webhook', 'reauthentication'];

/**
 * Evidence that the session `sessionId` of user `userId` completed MFA at `verifiedAt`.
 * Honoured only when `sessionId` (the token's `sid`) and `userId` both match the verified access token.
 */
export interface LedgerEntry {
  /** WorkOS session id (`sid` claim) the verification is bound to. */
  readonly sessionId: string;
  /** WorkOS user id (`sub` claim) that completed MFA. */
  readonly userId: string;
  /** Organization of the session when it was verified, if any. */
  readonly organizationId?: string;
  /** When MFA was completed, in epoch seconds. */
  readonly verifiedAt: number;
  /** RFC 8176 method values proven, e.g. `['otp']`. */
  readonly methods: readonly string[];
  /** WorkOS authentication factor that was verified, when known. */
  readonly factorId?: string;
  /** WorkOS authentication challenge that was verified, when known. */
  readonly challengeId?: string;
  /** Which trusted path wrote the entry. */
  readonly source: LedgerSource;
}

const ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;
const METHOD_PATTERN = /^[a-z0-9_-]{1,32}$/;

/** `true` when `value` looks like a WorkOS identifier (`user_…`, `session_…`, …) safe to use in keys. */
export function isSafeId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}

function optionalId(value: unknown): boolean {
  return value === undefined || isSafeId(value);
}

/** Entries {@link toLedgerEntry} made: frozen, so they stay valid (evaluate() checks each entry it is given). */
const CHECKED_ENTRIES = new WeakSet<object>();

/** `true` when every field of `value` is what a {@link LedgerEntry} holds; the one rule for what an entry is. */
export function isLedgerEntry(value: unknown): value is LedgerEntry {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  if (CHECKED_ENTRIES.has(value)) return true;
  const v = value as Record<string, unknown>;
  return (
    isSafeId(v.sessionId) &&
    isSafeId(v.userId) &&
    isEpochSeconds(v.verifiedAt) &&
    optionalId(v.organizationId) &&
    optionalId(v.factorId) &&
    optionalId(v.challengeId) &&
    SOURCES.includes(v.source as LedgerSource) &&
    Array.isArray(v.methods) &&
    v.methods.length > 0 &&
    v.methods.every((m) => typeof m === 'string' && METHOD_PATTERN.test(m))
  );
}

/**
 * Checks an untrusted value; returns the typed entry (a frozen copy of its known fields) or `null` when any
 * field is wrong.
 */
export function toLedgerEntry(value: unknown): LedgerEntry | null {
  if (!isLedgerEntry(value)) return null;
  const entry: LedgerEntry = Object.freeze({
    sessionId: value.sessionId,
    userId: value.userId,
    ...(value.organizationId === undefined ? {} : { organizationId: value.organizationId }),
    verifiedAt: value.verifiedAt,
    methods: Object.freeze([...value.methods]),
    ...(value.factorId === undefined ? {} : { factorId: value.factorId }),
    ...(value.challengeId === undefined ? {} : { challengeId: value.challengeId }),
    source: value.source,
  });
  CHECKED_ENTRIES.add(entry);
  return entry;
}

/** Parses a stored ledger value. Corrupt JSON or a wrong shape gives `null` (no evidence), never a throw. */
export function parseLedgerEntry(raw: string): LedgerEntry | null {
  try {
    return toLedgerEntry(JSON.parse(raw));
  } catch {
    return null;
  }
}

/**
 * Serializes an entry for storage.
 * @throws MfaError `ERR_MFA_LEDGER_ENTRY_INVALID` when the entry would not parse back.
 */
export function serializeLedgerEntry(entry: LedgerEntry): string {
  const checked = toLedgerEntry(entry);
  if (!checked) {
    throw new MfaError(
      'ERR_MFA_LEDGER_ENTRY_INVALID',
      'Refusing to record a malformed ledger entry (check sessionId, userId, verifiedAt in epoch seconds, methods, source).',
    );
  }
  return JSON.stringify(checked);
}
