/**
 * The narrow storage interface every ledger adapter implements: a string key-value store with expiry.
 * Adapters translate client failures into thrown errors; `createSessionLedger` turns those into denials.
 */
export interface LedgerStore {
  /** Human-readable adapter name, used in audit records and errors (e.g. `upstash`, `redis`, `memory`). */
  readonly name: string;
  /** The stored value, or `null` when the key is absent or expired. */
  get(key: string): Promise<string | null>;
  /** Stores `value` under `key`, expiring after `ttlSeconds` (an integer ≥ 1). */
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** Removes `key`; `true` when something was removed. */
  delete(key: string): Promise<boolean>;
}
