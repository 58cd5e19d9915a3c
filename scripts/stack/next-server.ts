/** `next start` as a child process on 127.0.0.1: started, awaited until it answers, stopped. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NEXT_BIN = fileURLToPath(new URL('../../node_modules/next/dist/bin/next', import.meta.url));

/** Options of {@link startNextServer}. */
export interface NextServerOptions {
  readonly port: number;
  /** The server's whole environment (nothing is added but what Next itself sets). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** App directory for `next start <dir>` (the bench apps); the repository root (the demo) when omitted. */
  readonly dir?: string;
  /**
   * `inherit`: the server prints to this terminal (the demo). `keep`: the tail of its output is kept for
   * {@link NextServer.output}. `errors`: only stderr is kept and stdout (the audit's JSON lines) goes nowhere —
   * a pipe this process reads late would block the server's writes (stdout to a pipe is synchronous on Linux).
   * @default 'keep'
   */
  readonly output?: 'inherit' | 'keep' | 'errors';
  /** @default 60000 */
  readonly readyTimeoutMs?: number;
}

/** A running `next start`. */
export interface NextServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly pid: number;
  /** The last 20 kB the server printed (empty with `output: 'inherit'`). */
  output(): string;
  /** Resolves when the server exits on its own (a crash or a kill from outside), with its exit code. */
  readonly exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after 5 s; resolves once it has exited. Idempotent. */
  stop(): Promise<void>;
}

function stopChild(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
  child.kill('SIGTERM');
  return exited.then(() => clearTimeout(killer));
}

/**
 * Starts `next start -H 127.0.0.1` (Node 22 of this repository) and waits until it answers a request.
 * @throws when it exits first or does not answer within `readyTimeoutMs` (with its output, when kept).
 */
export async function startNextServer(options: NextServerOptions): Promise<NextServer> {
  const { port, env, dir, output = 'keep', readyTimeoutMs = 60_000 } = options;
  const args = [NEXT_BIN, 'start', ...(dir ? [dir] : []), '-p', String(port), '-H', '127.0.0.1'];
  const stdout = output === 'inherit' ? 'inherit' : output === 'keep' ? 'pipe' : 'ignore';
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...env } as NodeJS.ProcessEnv,
    stdio: ['ignore', stdout, output === 'inherit' ? 'inherit' : 'pipe'],
  });
  let tail = '';
  const keep = (chunk: Buffer) => void (tail = (tail + chunk.toString('utf8')).slice(-20_000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const stop = () => stopChild(child, exited);

  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`next start exited (${child.exitCode ?? child.signalCode}) before it answered.\n${tail}`);
    const answered = await fetch(`${url}/`, { redirect: 'manual', signal: AbortSignal.timeout(5000) }).then(
      async (res) => (await res.arrayBuffer(), true),
      () => false,
    );
    if (answered) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`next start did not answer on ${url} within ${readyTimeoutMs / 1000} s.\n${tail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { url, pid: child.pid!, output: () => tail, exited, stop };
}
