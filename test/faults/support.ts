/** Shared pieces of the fault tests: the deny-within-timeout bound and polling for recovery. */
import { expect } from 'vitest';
import { waitUntil } from '../../test-support/wait-until';
import { bodyOf } from '../hostile/support/harness';

/** The ledger timeout the fault tests configure (the library default). */
export const LEDGER_TIMEOUT_MS = 500;
/** Slack on top of the timeout for one full middleware request on a shared 2-core machine. */
export const MARGIN_MS = 1000;
/** After a fault clears, the next request must be decided correctly within this. */
export const RECOVERY_MS = 1000;

/** Runs a request and asserts it was refused with `ledger_unavailable` (503) within the timeout bound. */
export async function deniedUnavailable(run: () => Promise<Response>): Promise<number> {
  const t0 = performance.now();
  const res = await run();
  const ms = performance.now() - t0;
  expect(res.status).toBe(503);
  expect(await bodyOf(res)).toMatchObject({ error: 'temporarily_unavailable', reason: 'ledger_unavailable' });
  expect(res.headers.get('x-middleware-next')).toBeNull();
  expect(ms).toBeLessThan(LEDGER_TIMEOUT_MS + MARGIN_MS);
  return ms;
}

/** Polls `run` until `decided` accepts its response, failing after {@link RECOVERY_MS}. */
export async function decidedWithin(
  run: () => Promise<Response>,
  decided: (res: Response) => Promise<boolean> | boolean,
  what: string,
): Promise<void> {
  await waitUntil(async () => decided(await run()), { timeoutMs: RECOVERY_MS, intervalMs: 20, what });
}

/** Waits until the process `pid` has exited. */
export async function exited(pid: number): Promise<void> {
  await waitUntil(
    () => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    },
    { timeoutMs: 10_000, what: `process ${pid} to exit` },
  );
}
