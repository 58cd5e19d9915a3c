/** Options of {@link withRetry}. */
export interface RetryOptions {
  /** Total attempts, the first included (≥ 1). */
  readonly attempts: number;
  /** Pause before attempt n+1, in milliseconds; the last value repeats. @default [100, 400] */
  readonly delaysMs?: readonly number[];
  /** `false` stops at once (a permanent error such as a 4xx). @default every error is retried */
  readonly isRetryable?: (error: unknown) => boolean;
  /** Pause implementation; injectable for tests. @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

const DEFAULT_DELAYS_MS = [100, 400];

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Runs `work` up to `attempts` times, pausing between attempts; rejects with the last error.
 * Bounded on purpose: audit writes run after the response, and must not pile up during an outage.
 */
export async function withRetry<T>(work: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const attempts = Math.max(1, Math.floor(options.attempts));
  const delays = options.delaysMs ?? DEFAULT_DELAYS_MS;
  const sleep = options.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work(attempt);
    } catch (error) {
      if (attempt >= attempts || (options.isRetryable && !options.isRetryable(error))) throw error;
      await sleep(delays[Math.min(attempt - 1, delays.length - 1)] ?? 0);
    }
  }
}
