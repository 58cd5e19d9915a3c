import { rateLimitExceeded } from './api-error';
import type { EmulatorContext } from './context';

/**
 * WorkOS's documented limit on `POST /user_management/authenticate`: 10 requests per 60 seconds per email or
 * challenge ID (docs, "Rate limits"). How WorkOS counts inside the window is not documented; the emulator keeps a
 * sliding log of the requests it let through.
 */
export const AUTHENTICATE_LIMIT = { requests: 10, windowMs: 60_000 } as const;

/** WorkOS's documented limit on sending Magic Auth codes: 3 requests per 60 seconds per email (docs, "Rate limits"). */
export const MAGIC_AUTH_LIMIT = { requests: 3, windowMs: 60_000 } as const;

/**
 * Counts one `authenticate` request for `key` (`email:<address>` or `challenge:<id>`), or one request of another
 * per-key limit (`limit`, e.g. {@link MAGIC_AUTH_LIMIT} under `magic_auth:<address>`).
 * @throws {WorkosApiError} 429 with `Retry-After` (seconds until the oldest counted request leaves the window)
 * when the key already used its 10 requests; the refused request is not counted.
 */
export function consumeAuthenticateLimit(
  emu: EmulatorContext,
  key: string,
  limit: { requests: number; windowMs: number } = AUTHENTICATE_LIMIT,
): void {
  if (emu.config.rateLimits === 'off') return;
  const now = emu.clock.now();
  const recent = (emu.store.authenticateRequests.get(key) ?? []).filter((at) => at > now - limit.windowMs);
  if (recent.length >= limit.requests) {
    emu.store.authenticateRequests.set(key, recent);
    throw rateLimitExceeded((recent[0]! + limit.windowMs - now) / 1000);
  }
  recent.push(now);
  emu.store.authenticateRequests.set(key, recent);
}

/**
 * Fault injection (`control.throttle(seconds)`): models the environment's general API limit (6,000 requests per
 * 60 s per API key, which tests cannot reach honestly) being exhausted — every API-key request answers 429 until
 * the emulator clock passes the end of the window.
 * @throws {WorkosApiError} 429 with `Retry-After` while throttled.
 */
export function checkInjectedThrottle(emu: EmulatorContext): void {
  if (emu.throttledUntil === null) return;
  const remainingMs = emu.throttledUntil - emu.clock.now();
  if (remainingMs <= 0) {
    emu.throttledUntil = null;
    return;
  }
  throw rateLimitExceeded(remainingMs / 1000);
}
