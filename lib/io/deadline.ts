/** Rejection of {@link withDeadline} when the work did not settle in time. */
export class DeadlineExceededError extends Error {
  constructor(readonly ms: number) {
    super(`timed out after ${ms} ms`);
    this.name = 'DeadlineExceededError';
  }
}

/**
 * Settles like `work()`, or rejects with {@link DeadlineExceededError} after `ms` — whichever comes first.
 * The timer is always cleared; a late failure of the abandoned work is swallowed, never an unhandled rejection.
 * Edge-safe (only `setTimeout`).
 */
export function withDeadline<T>(work: () => Promise<T>, ms: number): Promise<T> {
  let pending: Promise<T>;
  try {
    pending = Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error);
  }
  pending.catch(() => undefined);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expiry = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceededError(ms)), ms);
  });
  return Promise.race([pending, expiry]).finally(() => clearTimeout(timer));
}

/** One line describing why a store call failed, for `LedgerLookup.detail` and error messages (≤ 200 chars). */
export function describeFailure(storeName: string, error: unknown): string {
  if (error instanceof DeadlineExceededError) return `${storeName}: ${error.message}`;
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const line = message.split('\n', 1)[0] ?? '';
  return `${storeName}: ${line.length > 200 ? `${line.slice(0, 197)}...` : line}`;
}
