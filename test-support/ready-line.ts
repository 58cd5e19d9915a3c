import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

/** A stand-in started as a process with `--json`: its ready line, and a way to stop it and see how it exited. */
export interface ReadyProcess<T> {
  readonly child: ChildProcess;
  /** The first line it printed on stdout, parsed. */
  readonly ready: T;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Sends `signal` (SIGTERM by default) and resolves with how it exited. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Spawns `command` and resolves once it prints its first line on stdout, parsed by `parse` (by default as the JSON
 * ready line of `workos-emulator --json` and `upstash-stand-in --json`). Rejects with its output if it exits first,
 * stays silent for `timeoutMs`, or the line does not parse.
 * @example
 * ```ts
 * const emulator = await spawnReady<{ url: string }>('npx', ['workos-emulator', '--port', '0', '--json'], { cwd });
 * ```
 */
export function spawnReady<T>(
  command: string,
  args: readonly string[],
  options: SpawnOptions & { timeoutMs?: number; parse?: (line: string) => T } = {},
): Promise<ReadyProcess<T>> {
  const { timeoutMs = 60_000, parse = (line: string) => JSON.parse(line) as T, ...spawnOptions } = options;
  const child = spawn(command, args, { ...spawnOptions, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let stdout = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  child.stderr?.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} printed no ready line within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`${command} ${args.join(' ')} exited (${code ?? signal}) before it was ready:\n${output}`));
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (stdout.includes('\n')) return;
      stdout += chunk.toString();
      const newline = stdout.indexOf('\n');
      if (newline === -1) return;
      clearTimeout(timer);
      try {
        const ready = parse(stdout.slice(0, newline));
        resolve({
          child,
          ready,
          output: () => output,
          async stop(signal = 'SIGTERM') {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal);
            return exited;
          },
        });
      } catch {
        child.kill('SIGKILL');
        reject(new Error(`${command} ${args.join(' ')}: unexpected first line:\n${output}`));
      }
    });
  });
}
