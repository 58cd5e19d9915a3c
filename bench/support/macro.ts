/**
 * The macro benchmark of one app: every comparison's variant against its baseline in the same server,
 * back to back in alternating order (throughput) and request by request in one mixed run (latency), so
 * whatever else the machine is doing hits both sides alike.
 */
import { createCounter, type PerRequestCounts } from './counters';
import type { Comparison, SessionKind } from './comparisons';
import { allOk, runLoad, runMix, type LoadResult, type Target } from './load';
import { startApp } from './next-app';
import { processCpuNs } from './process-cpu';
import type { BenchSession } from './sessions';

/** Knobs of a macro run. */
export interface MacroOptions {
  /** Repetitions of each comparison. */
  readonly rounds: number;
  /** Seconds of each throughput leg (four per round: A B B A). */
  readonly legSeconds: number;
  /** Seconds of the mixed latency run of a round. */
  readonly seconds: number;
  /** Connections of the throughput runs. */
  readonly connections: number;
}

/** A throughput run plus the server CPU time it cost. */
export interface Measured extends LoadResult {
  /** Server process CPU time (all threads) per answered request, in microseconds. */
  readonly cpuUsPerRequest: number;
}

/** One side of a comparison. */
export interface Side {
  /** One per round, `connections` concurrent. */
  readonly throughput: Measured[];
  /** One per round, one connection, requests interleaved with the other side's. */
  readonly latency: LoadResult[];
  readonly counts: PerRequestCounts;
}

export interface ComparisonResult {
  readonly comparison: Comparison;
  readonly baseline: Side;
  readonly variant: Side;
  /** Authkit + one bare ledger GET, when the comparison has a round-trip yardstick (latency only). */
  readonly roundTrip: Pick<Side, 'latency' | 'counts'> | null;
}

/** A run that was not all 200s, kept for the report: a benchmark of denials measures nothing. */
export interface InvalidRun {
  readonly comparison: string;
  readonly path: string;
  readonly statuses: Readonly<Record<number, number>>;
  readonly errors: number;
}

/** Two legs of one side as one run: requests and CPU summed, percentiles averaged. */
function combine(a: Measured, b: Measured): Measured {
  const requests = a.requests + b.requests;
  const sum = (x: Record<number, number>, y: Record<number, number>) => {
    const out: Record<number, number> = { ...x };
    for (const [k, v] of Object.entries(y)) out[Number(k)] = (out[Number(k)] ?? 0) + v;
    return out;
  };
  return {
    requests,
    requestsPerSecond: (a.requestsPerSecond + b.requestsPerSecond) / 2,
    p50: (a.p50 + b.p50) / 2,
    p99: (a.p99 + b.p99) / 2,
    statuses: sum(a.statuses, b.statuses),
    errors: a.errors + b.errors,
    serverUs: (a.serverUs + b.serverUs) / 2,
    cpuUsPerRequest: (a.cpuUsPerRequest * a.requests + b.cpuUsPerRequest * b.requests) / requests,
  };
}

/** Serves `dir` (already built), measures `comparisons`, stops the server. */
export async function measureApp(
  dir: string,
  env: Readonly<Record<string, string>>,
  comparisons: readonly Comparison[],
  sessions: Readonly<Record<SessionKind, BenchSession>>,
  options: MacroOptions,
  log: (line: string) => void,
): Promise<{ results: ComparisonResult[]; invalid: InvalidRun[] }> {
  const app = await startApp(dir, env);
  const counter = await createCounter(env.REDIS_URL!, app.counterUrl);
  const invalid: InvalidRun[] = [];
  const renew = () => Promise.all(Object.values(sessions).map((s) => s.renew()));
  const target = (c: Comparison): Target => ({ origin: app.url, cookie: sessions[c.session].cookie });
  const check = <T extends LoadResult>(c: Comparison, path: string, result: T): T => {
    if (!allOk(result)) invalid.push({ comparison: c.id, path, statuses: result.statuses, errors: result.errors });
    return result;
  };
  const pathsOf = (c: Comparison) => [c.baselinePath, c.variantPath, ...(c.roundTripPath ? [c.roundTripPath] : [])];

  async function throughputRun(c: Comparison, path: string): Promise<Measured> {
    const before = processCpuNs(app.pid);
    const result = await runLoad(target(c), path, { connections: options.connections, seconds: options.legSeconds });
    return check(c, path, { ...result, cpuUsPerRequest: (processCpuNs(app.pid) - before) / 1000 / result.requests });
  }

  const counted = new Map<string, PerRequestCounts>();
  async function counts(c: Comparison, path: string): Promise<PerRequestCounts> {
    const key = `${c.session} ${path}`;
    if (!counted.has(key)) counted.set(key, await counter.perRequest(target(c), path));
    return counted.get(key)!;
  }

  try {
    await renew();
    // Warm-up: JIT, the JWKS fetch, Redis connections. Discarded, but still checked.
    for (const c of comparisons) {
      const paths = pathsOf(c);
      (await runMix(target(c), paths, { connections: options.connections, seconds: 2 })).forEach((r, i) =>
        check(c, paths[i]!, r),
      );
    }
    const results: ComparisonResult[] = [];
    for (const c of comparisons) {
      const baseline: Side = { throughput: [], latency: [], counts: await counts(c, c.baselinePath) };
      const variant: Side = { throughput: [], latency: [], counts: await counts(c, c.variantPath) };
      const roundTrip = c.roundTripPath
        ? { latency: [] as LoadResult[], counts: await counts(c, c.roundTripPath) }
        : null;
      for (let round = 0; round < options.rounds; round++) {
        // Fresh access tokens each round: a run must never reach authkit's refresh window (see BenchSession.renew).
        await renew();
        // A B B A (B A A B next round): a steady trend in the machine's load hits both sides alike.
        const [first, second] = round % 2 === 0 ? [baseline, variant] : [variant, baseline];
        const pathOf = (side: Side) => (side === baseline ? c.baselinePath : c.variantPath);
        const legs: Measured[] = [];
        for (const side of [first, second, second, first]) legs.push(await throughputRun(c, pathOf(side)));
        first.throughput.push(combine(legs[0]!, legs[3]!));
        second.throughput.push(combine(legs[1]!, legs[2]!));
        const paths = pathsOf(c);
        const mixed = await runMix(target(c), paths, { connections: 1, seconds: options.seconds });
        baseline.latency.push(check(c, paths[0]!, mixed[0]!));
        variant.latency.push(check(c, paths[1]!, mixed[1]!));
        if (roundTrip) roundTrip.latency.push(check(c, paths[2]!, mixed[2]!));
      }
      log(`  ${c.label}: ${options.rounds} rounds done`);
      results.push({ comparison: c, baseline, variant, roundTrip });
    }
    return { results, invalid };
  } catch (error) {
    throw new Error(`${(error as Error).message}\n--- next start output (tail) ---\n${app.output()}`, { cause: error });
  } finally {
    await counter.close();
    await app.stop();
  }
}
