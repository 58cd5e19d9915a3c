/**
 * Runs once when the server starts (Next's instrumentation hook): checks that the attempt limiter can run on the
 * configured Redis, so a store without Lua under `upstashAttemptLimiter` is reported at startup, naming the fix,
 * instead of every step-up failing as "unavailable".
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { limiter } = await import('./mfa-step-up');
  try {
    await limiter.check();
  } catch (error) {
    console.error(
      `[session-mfa] STARTUP CHECK FAILED: the step-up attempt limiter cannot run, so every step-up will be refused. ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
