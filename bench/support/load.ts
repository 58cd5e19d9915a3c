/**
 * Load runs against a bench app with autocannon, timing every response ourselves: autocannon's own latency
 * histogram has 1 ms resolution, too coarse for a check whose budget is a fraction of a millisecond.
 */
import type { IncomingHttpHeaders } from 'node:http';
import autocannon from 'autocannon';
import { TIMING_HEADER_PREFIX } from '../shared/timed';
import { percentile } from './stats';

/** A request shape: where, as whom. */
export interface Target {
  /** Origin, e.g. `http://127.0.0.1:3000`. */
  readonly origin: string;
  /** `Cookie` header value (a sealed authkit session), or none. */
  readonly cookie?: string;
}

/** How hard to push. */
export interface LoadShape {
  /** Concurrent connections (1 = back-to-back requests, latency without queueing). */
  readonly connections: number;
  /** Seconds to run; ignored when `amount` is set. */
  readonly seconds?: number;
  /** Exact number of requests to send instead of a duration. */
  readonly amount?: number;
}

/** What a run measured for one path. Latencies in milliseconds. */
export interface LoadResult {
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  /** Count per HTTP status; a valid run has only 200s. */
  readonly statuses: Readonly<Record<number, number>>;
  readonly errors: number;
  /** Median time the bench apps' instrumented layers (middleware + handler) spent, in µs, from their headers. */
  readonly serverUs: number;
}

/** `true` when every request of `result` was answered 200 without transport errors. */
export function allOk(result: LoadResult): boolean {
  return result.errors === 0 && Object.keys(result.statuses).every((s) => s === '200');
}

/**
 * Runs one load shape; each connection cycles through `paths` in order (GET), so with several paths every
 * one of them is measured under exactly the same conditions. Results are per path. Never throws for HTTP
 * errors: check {@link allOk}.
 */
export async function runMix(target: Target, paths: readonly string[], shape: LoadShape): Promise<LoadResult[]> {
  const times = paths.map(() => [] as number[]);
  const server = paths.map(() => [] as number[]);
  const statuses = paths.map(() => ({}) as Record<number, number>);
  // autocannon reports a finished request's own `onResponse` and then, synchronously, its 'response' event
  // with the timing: the first tells which path the second belongs to.
  let finished = 0;
  const onResponse =
    (i: number) => (_status: number, _body: string, _context: object, headers?: IncomingHttpHeaders) => {
      finished = i;
      let us = 0;
      for (const [name, value] of Object.entries(headers ?? {}))
        if (name.toLowerCase().startsWith(TIMING_HEADER_PREFIX)) us += Number(value);
      server[i]!.push(us);
    };
  const requests = paths.map((path, i) => ({ method: 'GET' as const, path, onResponse: onResponse(i) }));
  const headers: Record<string, string> = { accept: 'application/json' };
  if (target.cookie) headers.cookie = target.cookie;
  // The typings describe the promise only; at run time the same object is also the event emitter.
  const instance = autocannon({
    url: target.origin,
    connections: shape.connections,
    pipelining: 1,
    headers,
    requests,
    ...(shape.amount === undefined ? { duration: shape.seconds ?? 3 } : { amount: shape.amount }),
  }) as unknown as autocannon.Instance & Promise<autocannon.Result>;
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    statuses[finished]![statusCode] = (statuses[finished]![statusCode] ?? 0) + 1;
    times[finished]!.push(responseTime);
  });
  const started = performance.now();
  const result = await instance;
  const elapsedSeconds = (performance.now() - started) / 1000;
  return paths.map((_, i) => {
    const samples = Float64Array.from(times[i]!);
    return {
      requests: samples.length,
      requestsPerSecond: samples.length / elapsedSeconds,
      p50: percentile(samples, 50),
      p99: percentile(samples, 99),
      statuses: statuses[i]!,
      // Transport errors cannot be told apart by path: every path of the run carries them.
      errors: result.errors, // timeouts included
      serverUs: percentile(server[i]!, 50),
    };
  });
}

/** {@link runMix} for a single path. */
export async function runLoad(target: Target, path: string, shape: LoadShape): Promise<LoadResult> {
  const [result] = await runMix(target, [path], shape);
  return result!;
}
