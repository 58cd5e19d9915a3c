/** Builds and serves one bench app with the project's Next (`next build <dir>`, `next start <dir>`). */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { startNextServer } from '../../scripts/stack/next-server';
import { freePort } from '../../test-support/free-port';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NEXT_BIN = fileURLToPath(new URL('../../node_modules/next/dist/bin/next', import.meta.url));
const COUNTER_PRELOAD = fileURLToPath(new URL('./count-signature-verifies.mts', import.meta.url));

/** A running `next start`. */
export interface RunningApp {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Where the signature-verification counter of this server answers. */
  readonly counterUrl: string;
  /** Process id of the server (every request is served in this one process, Edge middleware included). */
  readonly pid: number;
  /** The last few kilobytes the server printed. */
  output(): string;
  stop(): Promise<void>;
}

function run(args: string[], env: Readonly<Record<string, string>>, stdio: 'inherit' | 'pipe'): ChildProcess {
  return spawn(process.execPath, [NEXT_BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', stdio, stdio],
  });
}

/** `next build <dir>`, output in `<dir>/.next` (never the root app's). Throws with the build log on failure. */
export async function buildApp(dir: string, env: Readonly<Record<string, string>>): Promise<number> {
  const started = performance.now();
  const child = run(['build', dir], { ...env, NODE_ENV: 'production' }, 'pipe');
  let log = '';
  child.stdout?.on('data', (c) => (log += String(c)));
  child.stderr?.on('data', (c) => (log += String(c)));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`next build ${dir} failed (exit ${code}):\n${log}`);
  return (performance.now() - started) / 1000;
}

/** `next start <dir>` on a free loopback port, with the signature-verification counter preloaded. */
export async function startApp(dir: string, env: Readonly<Record<string, string>>): Promise<RunningApp> {
  const port = await freePort();
  const counterPort = await freePort();
  const server = await startNextServer({
    port,
    dir,
    env: {
      ...process.env,
      ...env,
      NODE_ENV: 'production',
      // BENCH_APP_NODE_OPTIONS reaches only the app servers, e.g. '--cpu-prof --cpu-prof-dir=.tmp/prof' to profile them.
      NODE_OPTIONS:
        `${process.env.NODE_OPTIONS ?? ''} --import ${COUNTER_PRELOAD} ${process.env.BENCH_APP_NODE_OPTIONS ?? ''}`.trim(),
      BENCH_COUNTER_PORT: String(counterPort),
    },
    readyTimeoutMs: 30_000,
  });
  // Only the tail of the server's output is kept: shown when it fails, otherwise it would drown the figures.
  return {
    url: server.url,
    counterUrl: `http://127.0.0.1:${counterPort}/`,
    pid: server.pid,
    output: () => server.output().slice(-4000),
    stop: server.stop,
  };
}
