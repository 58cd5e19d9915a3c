import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';

/** A `redis-server` child process on 127.0.0.1, owned by the test that started it. */
export interface RedisProcess {
  /** TCP port on 127.0.0.1. */
  readonly port: number;
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  /** Process id of the running server (changes on restart; `undefined` once stopped). */
  readonly pid: number | undefined;
  /** Stops the server (resuming it first if paused) and removes its working directory. Idempotent. */
  stop(): Promise<void>;
  /** Freezes the server with SIGSTOP: connections stay open, nothing is answered. */
  pause(): void;
  /** Unfreezes a paused server with SIGCONT. */
  resume(): void;
  /** Stops the server and starts a fresh, empty one on the same port. */
  restart(): Promise<void>;
}

/** Options of {@link startRedis}. */
export interface StartRedisOptions {
  /**
   * Path of the `redis-server` binary.
   * @default process.env.REDIS_SERVER_BIN ?? 'redis-server'
   */
  bin?: string;
  /**
   * Milliseconds to wait for "Ready to accept connections".
   * @default 10000
   */
  readyTimeoutMs?: number;
}

/** Message of the error thrown when no `redis-server` binary can be run. */
export const REDIS_NOT_FOUND = 'redis-server not found: run `apt-get install -y redis-server` (.ci/run does this)';

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

// A crashed test run must not leave servers behind.
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

interface Spawned {
  child: ChildProcess;
  exited: Promise<void>;
}

class BindError extends Error {}

function spawnRedis(bin: string, port: number, dir: string, readyTimeoutMs: number): Promise<Spawned> {
  const args = [
    '--bind',
    '127.0.0.1',
    '--port',
    String(port),
    '--save',
    '',
    '--appendonly',
    'no',
    '--daemonize',
    'no',
    '--dir',
    dir,
    '--loglevel',
    'notice',
  ];
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  return new Promise<Spawned>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => fail(new Error(`redis-server did not become ready within ${readyTimeoutMs} ms:\n${output}`)),
      readyTimeoutMs,
    );
    function fail(error: Error): void {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    }
    function onData(chunk: Buffer): void {
      output = (output + chunk.toString('utf8')).slice(-4000);
      if (/Ready to accept connections/.test(output)) {
        clearTimeout(timer);
        // Keep draining the pipes so a chatty server never blocks on a full buffer.
        child.stdout?.off('data', onData).resume();
        child.stderr?.off('data', onData).resume();
        live.add(child);
        child.once('close', () => live.delete(child));
        resolve({ child, exited });
      }
    }
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (error: NodeJS.ErrnoException) => {
      fail(error.code === 'ENOENT' || error.code === 'EACCES' ? new Error(REDIS_NOT_FOUND, { cause: error }) : error);
    });
    child.once('exit', (code, signal) => {
      if (/Address already in use/i.test(output)) fail(new BindError(output));
      else fail(new Error(`redis-server exited before it was ready (code ${code}, signal ${signal}):\n${output}`));
    });
  });
}

async function stopChild(spawned: Spawned): Promise<void> {
  const { child, exited } = spawned;
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGCONT');
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(killer);
}

/**
 * Starts a real, throwaway `redis-server` (no persistence, loopback only) as a child process.
 * @throws Error {@link REDIS_NOT_FOUND} when the binary is missing; never skips.
 * @example
 * ```ts
 * const redis = await startRedis();
 * try { … redis.url … } finally { await redis.stop(); }
 * ```
 */
export async function startRedis(options: StartRedisOptions = {}): Promise<RedisProcess> {
  const bin = options.bin ?? process.env.REDIS_SERVER_BIN ?? 'redis-server';
  const readyTimeoutMs = options.readyTimeoutMs ?? 10_000;
  installExitHook();
  const dir = await mkdtemp(join(tmpdir(), 'authkit-mfa-redis-'));
  let port = 0;
  let current: Spawned | undefined;
  // The free port may be taken between probing and binding: try a few.
  for (let attempt = 0; current === undefined; attempt++) {
    port = await freePort();
    try {
      current = await spawnRedis(bin, port, dir, readyTimeoutMs);
    } catch (error) {
      if (!(error instanceof BindError) || attempt >= 4) {
        await rm(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }
  let running: Spawned | undefined = current;
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    get pid() {
      return running?.child.pid;
    },
    async stop() {
      const was = running;
      running = undefined;
      if (was) await stopChild(was);
      await rm(dir, { recursive: true, force: true });
    },
    pause() {
      running?.child.kill('SIGSTOP');
    },
    resume() {
      running?.child.kill('SIGCONT');
    },
    async restart() {
      if (running) await stopChild(running);
      running = await spawnRedis(bin, port, dir, readyTimeoutMs);
    },
  };
}
