import type { LedgerStore } from './types';

/** Options of {@link memoryStore}. */
export interface MemoryStoreOptions {
  /**
   * Clock in epoch milliseconds; inject a fake one to test expiry without waiting.
   * @default Date.now
   */
  now?: () => number;
}

/** A {@link LedgerStore} in process memory, with a peek at expiry for tests. */
export interface MemoryLedgerStore extends LedgerStore {
  /** Milliseconds until `key` expires, or `-2` when it is absent (Redis `PTTL` semantics). */
  pttl(key: string): number;
  /** Drops every key. */
  clear(): void;
}

/**
 * An in-memory store for unit tests and single-process demos. Not shared between processes or Edge
 * isolates, so never use it to enforce MFA in production.
 * @example
 * ```ts
 * let now = 0;
 * const ledger = createSessionLedger({ store: memoryStore({ now: () => now }) });
 * ```
 */
export function memoryStore({ now = Date.now }: MemoryStoreOptions = {}): MemoryLedgerStore {
  const entries = new Map<string, { value: string; expiresAt: number }>();

  // Expired keys are dropped when touched, as Redis does lazily.
  function live(key: string): { value: string; expiresAt: number } | undefined {
    const item = entries.get(key);
    if (item && now() >= item.expiresAt) {
      entries.delete(key);
      return undefined;
    }
    return item;
  }

  return {
    name: 'memory',
    async get(key) {
      return live(key)?.value ?? null;
    },
    async set(key, value, ttlSeconds) {
      if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds < 1)
        throw new RangeError(`invalid expire time: ${ttlSeconds}`);
      entries.set(key, { value, expiresAt: now() + ttlSeconds * 1000 });
    },
    async delete(key) {
      return live(key) !== undefined && entries.delete(key);
    },
    pttl(key) {
      const item = live(key);
      return item ? item.expiresAt - now() : -2;
    },
    clear() {
      entries.clear();
    },
  };
}
