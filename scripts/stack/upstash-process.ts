/**
 * The Upstash REST stand-in as its own process (`emulators/upstash/cli.ts --json`): in the caller's process it
 * would share an event loop with a load generator, and the ledger round trip would absorb the generator's work.
 */
import { fileURLToPath } from 'node:url';
import type { StandInFault } from '../../emulators/upstash/server';
import { spawnReady } from '../../test-support/ready-line';

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

/** Starts the stand-in in front of `redisUrl` on a free port and waits for its ready line. */
export async function startUpstashProcess(options: { redisUrl: string; token: string }): Promise<UpstashProcess> {
  const standIn = await spawnReady<{ url: string }>(
    process.execPath,
    ['--import', 'tsx', CLI, '--port', '0', '--token', options.token, '--redis-url', options.redisUrl, '--json'],
    { env: process.env },
  );
  const { url } = standIn.ready;
  return {
    url,
    token: options.token,
    async setFault(fault) {
      const res = await fetch(`${url}/__standin/fault`, { method: 'POST', body: JSON.stringify(fault) });
      if (!res.ok)
        throw new Error(`The stand-in refused the fault ${JSON.stringify(fault)}: ${res.status} ${await res.text()}`);
    },
    async close() {
      await standIn.stop();
    },
  };
}
