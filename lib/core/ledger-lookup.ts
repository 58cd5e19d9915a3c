import type { LedgerEntry } from './ledger-entry';

/**
 * The outcome of reading a session's ledger entry. Reading never throws: every failure is a value,
 * so the decision can deny with a precise reason.
 */
export type LedgerLookup =
  | { readonly status: 'found'; readonly entry: LedgerEntry }
  | { readonly status: 'missing' }
  /** A value is stored but it is not a valid entry (corrupt JSON, wrong shape, absurd timestamp). */
  | { readonly status: 'malformed' }
  /** The store failed or was slower than the configured timeout. */
  | { readonly status: 'unavailable'; readonly detail: string };
