/** Per-request counts: signature verifications (from the preloaded counter) and Redis commands (from Redis). */
import { createClient } from 'redis';
import { allOk, runLoad, type LoadResult, type Target } from './load';

/** Snapshot of the two counters. */
interface Snapshot {
  readonly verifies: number;
  readonly redisCommands: number;
}

/** Per protected request, averaged over a fixed number of requests. */
export interface PerRequestCounts {
  readonly signatureVerifies: number;
  readonly redisCommands: number;
  readonly requests: number;
  readonly load: LoadResult;
}

/** Sum of `calls` over `INFO commandstats`, leaving out the INFO calls this counter makes itself. */
export function commandCalls(info: string): number {
  let total = 0;
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm))
    if (match[1] !== 'info') total += Number(match[2]);
  return total;
}

/** Reads the counters around fixed-size load runs. */
export async function createCounter(redisUrl: string, counterUrl: string) {
  const redis = await createClient({ url: redisUrl }).connect();
  // node-redis may finish its connection handshake (CLIENT SETINFO …) after connect() resolves; let it land
  // before the first snapshot so it is not billed to the first variant.
  await redis.ping();
  async function snapshot(): Promise<Snapshot> {
    const [verifies, info] = await Promise.all([
      fetch(counterUrl).then(async (r) => ((await r.json()) as { signatureVerifies: number }).signatureVerifies),
      redis.info('commandstats'),
    ]);
    return { verifies, redisCommands: commandCalls(info) };
  }
  /**
   * A snapshot once the counters stop moving: when a load run ends, the server may still be finishing the
   * requests that were in flight, and their work must not be billed to the next path counted.
   */
  async function settled(): Promise<Snapshot> {
    let last = await snapshot();
    for (let i = 0; i < 40; i++) {
      await new Promise((r) => setTimeout(r, 150));
      const next = await snapshot();
      if (next.verifies === last.verifies && next.redisCommands === last.redisCommands) return next;
      last = next;
    }
    throw new Error('The server kept verifying tokens or calling Redis with no load running.');
  }
  return {
    /** Sends `requests` requests to `target` and divides the counters' growth by the requests answered. */
    async perRequest(target: Target, path: string, requests = 300): Promise<PerRequestCounts> {
      const before = await settled();
      // One connection: with several, requests still in flight when the amount is reached are served (and
      // counted by the server) but not reported, which inflates the per-request figures.
      const load = await runLoad(target, path, { connections: 1, amount: requests });
      const after = await snapshot();
      if (!allOk(load))
        throw new Error(
          `Counting run on ${path} was not all 200: ${JSON.stringify(load.statuses)}, ${load.errors} errors.`,
        );
      return {
        signatureVerifies: (after.verifies - before.verifies) / load.requests,
        redisCommands: (after.redisCommands - before.redisCommands) / load.requests,
        requests: load.requests,
        load,
      };
    },
    close: () => redis.destroy(),
  };
}
