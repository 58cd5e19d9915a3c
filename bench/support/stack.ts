/**
 * The services a benchmark run needs, all on 127.0.0.1 and all owned by this process: a throwaway
 * `redis-server`, the Upstash REST stand-in in front of it, and the WorkOS emulator.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { startWorkosEmulator, type WorkosEmulator, authkitEnv } from '../../emulators/workos';
import { freePort } from '../../test-support/free-port';
import { startRedis, type RedisProcess } from '../../test-support/redis-server';

/** Bench-only credentials of the local stand-ins; they protect nothing outside this machine. */
export const BENCH_SECRETS = {
  cookiePassword: 'bench-only-cookie-password-not-a-secret-0001',
  upstashToken: 'bench-upstash-token',
} as const;

/** A running stack. */
export interface BenchStack {
  readonly redis: RedisProcess;
  readonly emulator: WorkosEmulator;
  /** `http://127.0.0.1:<port>` of the Upstash stand-in. */
  readonly upstashUrl: string;
  /** Environment the bench apps need, at build and at start. */
  readonly appEnv: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

/**
 * Starts the Upstash stand-in as its own process: in this process it would share an event loop with the load
 * generator, and the ledger round trip would absorb the generator's work.
 */
async function startStandIn(redisUrl: string): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'emulators/upstash/cli.ts', '--port', String(port), '--token', BENCH_SECRETS.upstashToken, '--redis-url', redisUrl], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  for await (const chunk of child.stdout!) {
    output += String(chunk);
    if (output.includes('listening on')) break;
  }
  if (!output.includes('listening on')) throw new Error(`Upstash stand-in did not start:\n${output}`);
  child.stdout!.resume();
  return { child, url: `http://127.0.0.1:${port}` };
}

/** Starts Redis, the Upstash stand-in and the WorkOS emulator. */
export async function startStack(): Promise<BenchStack> {
  const redis = await startRedis();
  const standIn = await startStandIn(redis.url);
  const emulator = await startWorkosEmulator({ port: 0 });
  const appEnv = {
    ...authkitEnv({ port: emulator.port, apiKey: emulator.apiKey, clientId: emulator.clientId, cookiePassword: BENCH_SECRETS.cookiePassword, redirectUri: 'http://localhost:3000/callback' }),
    UPSTASH_REDIS_REST_URL: standIn.url,
    UPSTASH_REDIS_REST_TOKEN: BENCH_SECRETS.upstashToken,
    REDIS_URL: redis.url,
    NEXT_TELEMETRY_DISABLED: '1',
  };
  return {
    redis,
    emulator,
    upstashUrl: standIn.url,
    appEnv,
    async stop() {
      if (standIn.child.exitCode === null) {
        standIn.child.kill('SIGTERM');
        await once(standIn.child, 'exit');
      }
      await emulator.close();
      await redis.stop();
    },
  };
}
