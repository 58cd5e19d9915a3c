/**
 * Polls `check` until it returns `true`, failing once `timeoutMs` has passed.
 * For conditions driven by another process (a Redis TTL expiring); not a substitute for awaiting a promise.
 * @example
 * ```ts
 * await waitUntil(async () => (await ledger.lookup(sid)).status === 'missing', { timeoutMs: 5000 });
 * ```
 */
export async function waitUntil(
  check: () => Promise<boolean> | boolean,
  {
    timeoutMs = 5000,
    intervalMs = 25,
    what = 'condition',
  }: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
