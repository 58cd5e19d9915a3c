import { LedgerUnavailableError, MfaConfigError } from '../core/errors';
import { checkKeyPrefix, DEFAULT_KEY_PREFIX, scopedKey } from '../core/keys';
import { isSafeId, parseLedgerEntry, serializeLedgerEntry, type LedgerEntry } from '../core/ledger-entry';
import type { LedgerLookup } from '../core/ledger-lookup';
import { describeFailure, withDeadline } from '../io/deadline';
import { createEnrollmentRecords, type FactorEnrollmentRecords } from './enrollments';
import type { LedgerStore } from './types';

/** Default budget of one ledger call, in milliseconds. */
export const DEFAULT_LEDGER_TIMEOUT_MS = 500;

/** Default lifetime of a ledger entry: 12 hours, in seconds. */
export const DEFAULT_LEDGER_TTL_SECONDS = 43_200;

// setTimeout fires at once for larger delays, which would turn every call into a timeout.
const MAX_TIMER_MS = 2_147_483_647;

/** Options of {@link createSessionLedger}. */
export interface SessionLedgerOptions {
  /** Where entries live: `upstashStore(…)`, `redisStore(…)` or `memoryStore()`. */
  store: LedgerStore;
  /**
   * Namespace of every key (letters, digits, `_ . : -`; no `{}` so the `{sid}` hash tag stays the only one).
   * @default DEFAULT_KEY_PREFIX ('authkit-mfa')
   */
  keyPrefix?: string;
  /**
   * Budget of one store call in milliseconds; a slower store counts as unavailable (a denial).
   * @default 500
   */
  timeoutMs?: number;
  /**
   * Lifetime of an entry in whole seconds. Must not exceed how long a session can live, so evidence never
   * outlives its session.
   * @default 43200 (12 h)
   */
  ttlSeconds?: number;
}

/** Options of {@link SessionLedger.record}. */
export interface RecordOptions {
  /**
   * Lifetime of this entry in whole seconds, at most the ledger's `ttlSeconds` (e.g. the session's remaining life).
   * @default the ledger's `ttlSeconds`
   */
  ttlSeconds?: number;
}

/**
 * Per-session MFA evidence (`sid → LedgerEntry`) in a key-value store, with a hard time budget per call.
 * Reads never throw and never grant on failure; writes and removals throw {@link LedgerUnavailableError}.
 */
export interface SessionLedger {
  /** Name of the underlying store (`upstash`, `redis`, `memory`), for audit records. */
  readonly storeName: string;
  /**
   * Reads the entry of `sid` within `timeoutMs`. Never throws: an absent key is `missing`; a corrupt value or
   * an `sid` that cannot be a session id is `malformed`; a failing or slow store is `unavailable`.
   * A `found` entry is not yet trusted: the caller must still match its `sid` and `userId` to the verified token.
   */
  lookup(sid: string): Promise<LedgerLookup>;
  /**
   * Stores `entry` under its `sid`, expiring after `ttlSeconds`.
   * @throws MfaError `ERR_MFA_LEDGER_ENTRY_INVALID` for a malformed entry (nothing is written).
   * @throws MfaConfigError for a bad `ttlSeconds` override.
   * @throws LedgerUnavailableError when the store fails or exceeds `timeoutMs`.
   * @remarks After a timeout the write may still land; treat the step-up as failed anyway (fail closed).
   */
  record(entry: LedgerEntry, options?: RecordOptions): Promise<void>;
  /**
   * Deletes the entry of `sid` (sign-out, revocation); `true` when one existed. An `sid` that cannot be a
   * session id has no entry: `false`.
   * @throws LedgerUnavailableError when the store fails or exceeds `timeoutMs` (removal not confirmed).
   */
  remove(sid: string): Promise<boolean>;
  /**
   * How the app enrolled each of a user's factors (`createFactorEnrollment` writes them; the TOTP step-up reads
   * them to decide which factors may verify a session). Same store, prefix and time budget as the entries.
   */
  readonly enrollments: FactorEnrollmentRecords;
}

function checkTtl(value: number, field: string, max: number): number {
  if (!Number.isSafeInteger(value) || value < 1)
    throw new MfaConfigError(
      'ERR_MFA_CONFIG_INVALID',
      field,
      `must be a whole number of seconds ≥ 1, got ${String(value)}.`,
    );
  if (value > max)
    throw new MfaConfigError(
      'ERR_MFA_CONFIG_INVALID',
      field,
      `must not exceed the ledger's ttlSeconds (${max}), got ${value}.`,
    );
  return value;
}

function checkOptions(options: SessionLedgerOptions): Required<SessionLedgerOptions> {
  const {
    store,
    keyPrefix = DEFAULT_KEY_PREFIX,
    timeoutMs = DEFAULT_LEDGER_TIMEOUT_MS,
    ttlSeconds = DEFAULT_LEDGER_TTL_SECONDS,
  } = options;
  const isStore =
    typeof store === 'object' &&
    store !== null &&
    typeof store.get === 'function' &&
    typeof store.set === 'function' &&
    typeof store.delete === 'function';
  if (!isStore)
    throw new MfaConfigError(
      'ERR_MFA_CONFIG_INVALID',
      'store',
      'must be a LedgerStore (get, set, delete), e.g. upstashStore(redis).',
    );
  checkKeyPrefix(keyPrefix);
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0 || timeoutMs > MAX_TIMER_MS) {
    throw new MfaConfigError(
      'ERR_MFA_CONFIG_INVALID',
      'timeoutMs',
      `must be a number of milliseconds > 0, got ${String(timeoutMs)}.`,
    );
  }
  checkTtl(ttlSeconds, 'ttlSeconds', Number.MAX_SAFE_INTEGER);
  return { store, keyPrefix, timeoutMs, ttlSeconds };
}

/**
 * Creates the session ledger over a store, validating options up front.
 * @throws MfaConfigError naming the bad option (`store`, `keyPrefix`, `timeoutMs`, `ttlSeconds`).
 * @example
 * ```ts title="mfa.config.ts"
 * const redis = new Redis({ url, token, automaticDeserialization: false });
 * export const ledger = createSessionLedger({ store: upstashStore(redis), ttlSeconds: 8 * 3600 });
 * ```
 */
export function createSessionLedger(options: SessionLedgerOptions): SessionLedger {
  const { store, keyPrefix, timeoutMs, ttlSeconds } = checkOptions(options);
  const keyOf = (sid: string) => scopedKey(keyPrefix, sid, 'ledger');

  return {
    storeName: store.name,
    enrollments: createEnrollmentRecords(store, keyPrefix, timeoutMs),

    async lookup(sid) {
      if (!isSafeId(sid)) return { status: 'malformed' };
      let raw: string | null;
      try {
        raw = await withDeadline(() => store.get(keyOf(sid)), timeoutMs);
      } catch (error) {
        return { status: 'unavailable', detail: describeFailure(store.name, error) };
      }
      if (raw === null) return { status: 'missing' };
      const entry = typeof raw === 'string' ? parseLedgerEntry(raw) : null;
      return entry ? { status: 'found', entry } : { status: 'malformed' };
    },

    async record(entry, recordOptions = {}) {
      const value = serializeLedgerEntry(entry);
      const ttl =
        recordOptions.ttlSeconds === undefined
          ? ttlSeconds
          : checkTtl(recordOptions.ttlSeconds, 'ttlSeconds', ttlSeconds);
      try {
        await withDeadline(() => store.set(keyOf(entry.sessionId), value, ttl), timeoutMs);
      } catch (error) {
        throw new LedgerUnavailableError(`Ledger write failed (${describeFailure(store.name, error)}).`, error);
      }
    },

    async remove(sid) {
      if (!isSafeId(sid)) return false;
      try {
        return await withDeadline(() => store.delete(keyOf(sid)), timeoutMs);
      } catch (error) {
        throw new LedgerUnavailableError(`Ledger removal failed (${describeFailure(store.name, error)}).`, error);
      }
    },
  };
}
