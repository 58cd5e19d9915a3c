import { createServer } from 'node:net';

/**
 * Asks the OS for a TCP port that is free on 127.0.0.1 right now.
 * Another process may still take it before you bind; callers that spawn servers retry on a bind failure.
 * @example
 * ```ts
 * const port = await freePort();
 * ```
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('Could not read the allocated port.'))));
    });
  });
}

/**
 * A port on 127.0.0.1 that nothing listens on (allocated, then released), for "server unreachable" tests.
 */
export const closedPort: () => Promise<number> = freePort;
