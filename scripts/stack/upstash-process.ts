/**
 * The Upstash REST stand-in as its own process (`emulators/upstash/cli.ts`): in the caller's process it would
 * share an event loop with a load generator, and the ledger round trip would absorb the generator's work.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { StandInFault } from '../../emulators/upstash/server';
import { freePort } from '../../test-support/free-port';

const CLI = fileURLToPath(new URL('../../emulators/upstash/cli.ts', import.meta.url));

/** A stand-in in a child process, driven through its HTTP control route. */
export interface UpstashProcess {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly token: string;
  /** `POST /__standin/fault`. */
  setFault(fault: StandInFault): Promise<void>;
  close(): Promise<void>;
}

/** Starts the stand-in in front of `redisUrl` on a free port and waits for its "listening" line. */
export async function startUpstashProcess(options: { redisUrl: string; token: string }): Promise<UpstashProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--port', String(port), '--token', options.token, '--redis-url', options.redisUrl], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  // A listener, not `for await`: leaving that loop would destroy the pipe, and the stand-in's next line would kill it (EPIPE).
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-4000);
      if (output.includes('listening on')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`The Upstash stand-in exited (${code}) before it listened:\n${output}`)));
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    token: options.token,
    async setFault(fault) {
      const res = await fetch(`${url}/__standin/fault`, { method: 'POST', body: JSON.stringify(fault) });
      if (!res.ok) throw new Error(`The stand-in refused the fault ${JSON.stringify(fault)}: ${res.status} ${await res.text()}`);
    },
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
