/**
 * Bench-only instrumentation: times a middleware or handler inside the server and reports it in a response
 * header, so the runner can compare what each variant spends without the HTTP stack, the load generator
 * and the rest of a shared machine in the figure. Edge-safe.
 */

/** Response header carrying the instrumented layer's time in microseconds (one header per layer). */
export const TIMING_HEADER_PREFIX = 'x-bench-us-';

/** Wraps `fn` so its response (when it returns one: middleware may return nothing) carries `x-bench-us-<layer>: <µs>`. */
export function timed<A extends unknown[], R extends Response | null | undefined | void>(
  layer: 'middleware' | 'handler',
  fn: (...args: A) => R | Promise<R>,
): (...args: A) => Promise<R> {
  return async (...args: A) => {
    const started = performance.now();
    const response = await fn(...args);
    response?.headers.set(`${TIMING_HEADER_PREFIX}${layer}`, String(Math.round((performance.now() - started) * 1000)));
    return response;
  };
}
