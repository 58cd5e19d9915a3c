/**
 * Enrollment records: how the app enrolled each of a user's factors, next to the session ledger and in the same
 * key scheme (`<prefix>:v1:{<userId>}:enrollment:<factorId>`, one Redis Cluster slot per user). The step-up reads
 * them to decide which factors may verify a session; only the enrollment flow writes them.
 */
import { isEpochSeconds } from '../core/epoch';
import { scopedKey } from '../core/keys';
import { isSafeId } from '../core/ledger-entry';
import { describeFailure, withDeadline } from '../io/deadline';
import type { LedgerStore } from './types';

/**
 * How a factor's enrollment was qualified: `session_mfa` — the enrolling session had passed MFA recently
 * (a user adding a factor); `email_code` — the user proved the account's email with a one-time code in the
 * same flow (a user's first factor).
 */
export type EnrollmentProof = 'session_mfa' | 'email_code';

/**
 * The record of one factor the app enrolled. `pending` from the moment WorkOS created the factor (its secret is
 * on screen) until a first code from it verified; a pending factor never verifies any session.
 */
export interface EnrollmentRecord {
  readonly userId: string;
  readonly factorId: string;
  readonly status: 'pending' | 'confirmed';
  /** The session that enrolled the factor. */
  readonly sessionId: string;
  readonly proof: EnrollmentProof;
  /** When the factor was created (epoch seconds, the app's clock). */
  readonly startedAt: number;
  /** When its first code verified (epoch seconds); only on `confirmed`. */
  readonly confirmedAt?: number;
}

/** The enrollment facts of some of a user's factors. */
export interface EnrollmentFacts {
  /**
   * When the app first began enrolling a factor for this user (epoch seconds), or `null` if it never did. A
   * factor created after this without a record of its own is the leftover of a failed enrollment. `0` when the
   * mark is unreadable (then every factor without a record counts as such a leftover).
   */
  readonly since: number | null;
  /** The record of each factor that has one; `'malformed'` when the stored value is unreadable. */
  readonly records: ReadonlyMap<string, EnrollmentRecord | 'malformed'>;
}

/**
 * The enrollment records of a ledger (`SessionLedger.enrollments`). Every call is bounded by the ledger's
 * `timeoutMs` and throws when the store fails (callers refuse then).
 */
export interface FactorEnrollmentRecords {
  /** The records of `factorIds` of `userId` and the user's {@link EnrollmentFacts.since}, in parallel reads. */
  read(userId: string, factorIds: readonly string[]): Promise<EnrollmentFacts>;
  /** Marks that the app begins enrolling for `userId` at `at`, keeping an earlier mark; returns the mark in force. */
  begin(userId: string, at: number): Promise<number>;
  /** Stores `record` (validated first). */
  write(record: EnrollmentRecord): Promise<void>;
  /** Deletes the record of `factorId`; `true` when one existed. */
  remove(userId: string, factorId: string): Promise<boolean>;
  /**
   * Remembers that the session `sid` of `userId` proved the account's email at `at`, for `ttlSeconds`. One proof
   * qualifies one enrollment.
   */
  saveEmailProof(sid: string, userId: string, at: number, ttlSeconds: number): Promise<void>;
  /** The time of `sid`'s unused email proof for `userId`, or `null`. */
  emailProof(sid: string, userId: string): Promise<number | null>;
  /** Takes (reads and deletes) the email proof of `sid`; its time when it was `userId`'s and this caller won it. */
  takeEmailProof(sid: string, userId: string): Promise<number | null>;
}

/** Records outlive any factor's relevance (a factor with no record and no mark would count as enrolled elsewhere). */
export const ENROLLMENT_RECORD_TTL_SECONDS = 10 * 365 * 86_400;

/** Checks an untrusted value; the typed record, or `null` when any field is wrong. */
export function toEnrollmentRecord(value: unknown): EnrollmentRecord | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const v = value as Record<string, unknown>;
  if (!isSafeId(v.userId) || !isSafeId(v.factorId) || !isSafeId(v.sessionId) || !isEpochSeconds(v.startedAt))
    return null;
  if (v.status !== 'pending' && v.status !== 'confirmed') return null;
  if (v.proof !== 'session_mfa' && v.proof !== 'email_code') return null;
  if (v.status === 'confirmed' ? !isEpochSeconds(v.confirmedAt) : v.confirmedAt !== undefined) return null;
  return {
    userId: v.userId,
    factorId: v.factorId,
    status: v.status,
    sessionId: v.sessionId,
    proof: v.proof,
    startedAt: v.startedAt,
    ...(v.status === 'confirmed' ? { confirmedAt: v.confirmedAt as number } : {}),
  };
}

function parseJson(raw: string | null): unknown {
  if (raw === null) return null;
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

/** The enrollment records over a ledger's store; keys built here only, from safe ids. */
export function createEnrollmentRecords(
  store: LedgerStore,
  keyPrefix: string,
  timeoutMs: number,
): FactorEnrollmentRecords {
  const factorKey = (userId: string, factorId: string) => {
    if (!isSafeId(factorId)) throw new Error('Factor id is not a valid identifier.');
    return scopedKey(keyPrefix, userId, `enrollment:${factorId}`);
  };
  const sinceKey = (userId: string) => scopedKey(keyPrefix, userId, 'enrollments-since');
  const proofKey = (sid: string) => scopedKey(keyPrefix, sid, 'enrollment-email-proof');
  const call = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await withDeadline(work, timeoutMs);
    } catch (error) {
      throw new Error(`Enrollment records unavailable (${describeFailure(store.name, error)}).`, { cause: error });
    }
  };
  /** The user's mark; `0` (every factor without a record is a leftover) when one is stored but unreadable. */
  const readSince = async (userId: string): Promise<number | null> => {
    const raw = await call(() => store.get(sinceKey(userId)));
    if (raw === null) return null;
    const since = (parseJson(raw) as { since?: unknown } | null | undefined)?.since;
    return isEpochSeconds(since) ? since : 0;
  };

  const readProof = async (sid: string, userId: string): Promise<number | null> => {
    const proof = parseJson(await call(() => store.get(proofKey(sid)))) as
      { userId?: unknown; at?: unknown } | null | undefined;
    return proof && proof.userId === userId && isEpochSeconds(proof.at) ? proof.at : null;
  };

  return {
    async read(userId, factorIds) {
      const [since, ...raws] = await Promise.all([
        readSince(userId),
        ...factorIds.map((id) => call(() => store.get(factorKey(userId, id)))),
      ]);
      const records = new Map<string, EnrollmentRecord | 'malformed'>();
      factorIds.forEach((id, i) => {
        const raw = raws[i] as string | null;
        if (raw === null) return;
        const record = toEnrollmentRecord(parseJson(raw));
        // A record for another user or factor under this key is as good as unreadable.
        records.set(id, record && record.userId === userId && record.factorId === id ? record : 'malformed');
      });
      return { since, records };
    },
    async begin(userId, at) {
      const since = await readSince(userId);
      if (since !== null && since <= at) return since;
      await call(() => store.set(sinceKey(userId), JSON.stringify({ since: at }), ENROLLMENT_RECORD_TTL_SECONDS));
      return at;
    },
    async write(record) {
      const checked = toEnrollmentRecord(record);
      if (!checked) throw new Error('Refusing to store a malformed enrollment record.');
      await call(() =>
        store.set(factorKey(checked.userId, checked.factorId), JSON.stringify(checked), ENROLLMENT_RECORD_TTL_SECONDS),
      );
    },
    async remove(userId, factorId) {
      return call(() => store.delete(factorKey(userId, factorId)));
    },
    async saveEmailProof(sid, userId, at, ttlSeconds) {
      if (!isSafeId(userId) || !isEpochSeconds(at)) throw new Error('Refusing to store a malformed email proof.');
      await call(() => store.set(proofKey(sid), JSON.stringify({ userId, at }), ttlSeconds));
    },
    emailProof: readProof,
    async takeEmailProof(sid, userId) {
      const at = await readProof(sid, userId);
      // DEL is atomic: of two requests racing for one proof, only one sees it removed.
      return at !== null && (await call(() => store.delete(proofKey(sid)))) ? at : null;
    },
  };
}
