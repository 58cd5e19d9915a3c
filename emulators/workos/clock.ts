/** The emulator's clock: wall time plus an offset that tests can move forward. */
export interface Clock {
  /** Current emulator time in milliseconds since the epoch. */
  now(): number;
  /** Current emulator time in whole seconds (JWT `iat`, `auth_time`). */
  nowSeconds(): number;
  /** Moves the clock by `seconds` (may be negative) and returns the new time in ms. */
  advance(seconds: number): number;
  /** Total shift from wall time, in seconds. */
  offsetSeconds(): number;
  /** Back to wall time. */
  reset(): void;
}

/** Creates a clock that starts at wall time. */
export function createClock(wallNow: () => number = Date.now): Clock {
  let offsetMs = 0;
  const now = (): number => wallNow() + offsetMs;
  return {
    now,
    nowSeconds: () => Math.floor(now() / 1000),
    advance(seconds) {
      offsetMs += Math.round(seconds * 1000);
      return now();
    },
    offsetSeconds: () => offsetMs / 1000,
    reset() {
      offsetMs = 0;
    },
  };
}

/** ISO-8601 string for an emulator timestamp in ms. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
