/**
 * The built demo under `next start`, wired to its own stand-ins on free loopback ports: a dedicated
 * `redis-server`, the Upstash REST stand-in over it, and the WorkOS emulator. Used by `npm run test:load`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startUpstashStandIn, type UpstashStandIn } from '../../../emulators/upstash/server';
import { startWorkosEmulator, type WorkosEmulator } from '../../../emulators/workos';
import { ensureBuild } from '../../../scripts/build-stamp';
import { demoEnv, DEMO_SECRETS, withDemoDefaults } from '../../../scripts/demo-env';
import { freePort } from '../../../test-support/free-port';
import { startRedis, type RedisProcess } from '../../../test-support/redis-server';
import { waitUntil } from '../../../test-support/wait-until';

/** A running demo and everything behind it. */
export interface DemoStack {
  /** `http://127.0.0.1:<port>` of `next start`. */
  readonly baseUrl: string;
  readonly emulator: WorkosEmulator;
  readonly standIn: UpstashStandIn;
  readonly redis: RedisProcess;
  /** The app's environment (cookie password, ports). */
  readonly env: Readonly<Record<string, string>>;
  /** Lines the server printed to stderr (bounded), for diagnosing a failure. */
  stderr(): string;
  stop(): Promise<void>;
}

// npm scripts run from the package root; the load script is CommonJS under tsx, so no import.meta here.
const ROOT = process.cwd();

/** Where the load run serves its private copy of the build from (ignored by git, not type-checked). */
export const LOAD_DIST_DIR = '.tmp/next-load';

/**
 * Makes sure `npm run build`'s output in `.next` is current (building it when stale, as `npm run build` would),
 * then copies it to {@link LOAD_DIST_DIR}, so a rebuild by someone else mid-run cannot pull files from under
 * the server. Returns how the build was found.
 */
export async function prepareDemoBuild(log: (line: string) => void = console.log): Promise<'built' | 'up-to-date'> {
  const state = await ensureBuild({ distDir: '.next', env: withDemoDefaults(process.env), log });
  rmSync(join(ROOT, LOAD_DIST_DIR), { recursive: true, force: true });
  cpSync(join(ROOT, '.next'), join(ROOT, LOAD_DIST_DIR), { recursive: true, filter: (src) => !/[/\\]\.next[/\\](cache|types|dev)([/\\]|$)/.test(src) });
  return state;
}

/** Removes the private copy of the build. */
export function removeDemoBuildCopy(): void {
  rmSync(join(ROOT, LOAD_DIST_DIR), { recursive: true, force: true });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('close', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Starts the stand-ins and `next start` (serving {@link LOAD_DIST_DIR}) on free ports. The caller must `stop()` it.
 * @throws when there is no prepared build or the server does not answer within `readyTimeoutMs`.
 */
export async function startDemoStack({ readyTimeoutMs = 60_000 }: { readyTimeoutMs?: number } = {}): Promise<DemoStack> {
  if (!existsSync(join(ROOT, LOAD_DIST_DIR, 'BUILD_ID'))) throw new Error('No demo build to serve: call prepareDemoBuild() first.');
  const redis = await startRedis();
  // Off: the load test signs the same seeded users in many times a minute, past WorkOS's documented 10 per 60 s
  // per email (which the emulator models by default).
  const emulator = await startWorkosEmulator({ port: 0, rateLimits: 'off' });
  const standIn = await startUpstashStandIn({ port: 0, token: DEMO_SECRETS.upstashToken, redisUrl: redis.url });
  const appPort = await freePort();
  const env = demoEnv({ app: appPort, workos: emulator.port, upstash: Number(new URL(standIn.url).port) });
  let stderr = '';
  const child = spawn(process.execPath, [join(ROOT, 'node_modules/next/dist/bin/next'), 'start', '-p', String(appPort), '-H', '127.0.0.1'], {
    cwd: ROOT,
    env: { ...process.env, ...env, NODE_ENV: 'production', NEXT_DIST_DIR: LOAD_DIST_DIR },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-20_000);
  });
  const baseUrl = `http://127.0.0.1:${appPort}`;
  const stop = async () => {
    await stopChild(child);
    await standIn.close();
    await emulator.close();
    await redis.stop();
  };
  try {
    await waitUntil(
      async () => {
        if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode}):\n${stderr}`);
        return fetch(`${baseUrl}/`, { redirect: 'manual' }).then(
          (r) => r.status < 500,
          () => false,
        );
      },
      { timeoutMs: readyTimeoutMs, intervalMs: 200, what: 'next start to answer' },
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, emulator, standIn, redis, env, stderr: () => stderr, stop };
}
