import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the server received it, byte for byte. */
export interface ReceivedRequest {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly status: number;
  readonly answer: string;
}

/** A route handler served over real HTTP on 127.0.0.1. */
export interface ServedHandler {
  readonly url: string;
  /** Every request handled so far, with the status answered. */
  readonly received: ReceivedRequest[];
  close(): Promise<void>;
}

/**
 * Serves a Web `Request → Response` handler (a Next route handler) on a free loopback port, as Next would:
 * the raw body and headers go in unchanged. Lets the emulator deliver real webhooks to it.
 */
export async function serveHandler(handler: (request: Request) => Promise<Response>): Promise<ServedHandler> {
  const received: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
      const request = new Request(`http://127.0.0.1${req.url ?? '/'}`, {
        method: req.method,
        headers,
        ...(req.method === 'GET' || req.method === 'HEAD' ? {} : { body }),
      });
      handler(request)
        .then(async (response) => {
          const answer = await response.text();
          received.push({ headers: req.headers, body: body.toString('utf8'), status: response.status, answer });
          res.writeHead(response.status, Object.fromEntries(response.headers));
          res.end(answer);
        })
        .catch((error: unknown) => {
          received.push({ headers: req.headers, body: body.toString('utf8'), status: 599, answer: String(error) });
          res.writeHead(500);
          res.end();
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/webhooks/workos`,
    received,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      }),
  };
}
