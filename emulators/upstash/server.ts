import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ErrorReply } from 'redis';
import type { CommandResult, StandInBackend } from './backend';
import { memoryBackend } from './memory-backend';
import { redisBackend } from './redis-backend';
import { CommandError, encodeReply, errorMessage } from './reply';

/** A fault the stand-in can be told to simulate (`POST /__standin/fault`), for tests of failure handling. */
export type StandInFault =
  | { readonly mode: 'none' }
  /** Every data request answers HTTP 500 with a JSON error. */
  | { readonly mode: 'error500' }
  /** Every data request answers HTTP 200 with a body that is not JSON. */
  | { readonly mode: 'garbage' }
  /** Every data request is answered normally, but only after `delayMs`. */
  | { readonly mode: 'delay'; readonly delayMs: number };

/** Options of {@link startUpstashStandIn}. Exactly one of `redisUrl` and `memory` is required. */
export interface UpstashStandInOptions {
  /**
   * Port on 127.0.0.1; `0` picks a free one.
   * @default 0
   */
  port?: number;
  /** Bearer token clients must send (`Authorization: Bearer <token>`). */
  token: string;
  /** Real Redis to forward commands to, e.g. `redis://127.0.0.1:6379`. */
  redisUrl?: string;
  /** Keep data in process memory instead (demo only: no Lua, lost on exit). */
  memory?: boolean;
  /**
   * Log every request to stdout.
   * @default false
   */
  verbose?: boolean;
}

/** A running stand-in. */
export interface UpstashStandIn {
  /** `http://127.0.0.1:<port>`: pass as `url` to `new Redis({ url, token })`. */
  readonly url: string;
  /** The bearer token it accepts. */
  readonly token: string;
  /** What stores the data. */
  readonly backend: 'redis' | 'memory';
  /** Same as `POST /__standin/fault`, in process. */
  setFault(fault: StandInFault): void;
  /** Stops listening, drops open connections and the backend connection. */
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 10 * 1024 * 1024;
const ROUTES = new Set(['/', '/pipeline', '/multi-exec']);
const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'ERR request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'ERR failed to parse the request body as JSON');
  }
}

// The client sends numbers (e.g. `["set","k","v","ex",60]`); Redis wants strings.
function toCommand(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0)
    throw new HttpError(400, 'ERR a command must be a non-empty JSON array, e.g. ["GET","key"]');
  return value.map((arg) => {
    if (typeof arg === 'string') return arg;
    if (typeof arg === 'number' || typeof arg === 'boolean') return String(arg);
    throw new HttpError(400, 'ERR command arguments must be strings, numbers or booleans');
  });
}

function toCommands(value: unknown): string[][] {
  if (!Array.isArray(value) || value.length === 0)
    throw new HttpError(400, 'ERR a pipeline must be a non-empty JSON array of commands');
  return value.map(toCommand);
}

function tokenDigest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

function parseFault(value: unknown): StandInFault {
  const v = (typeof value === 'object' && value !== null ? value : {}) as { mode?: unknown; delayMs?: unknown };
  if (v.mode === 'none' || v.mode === 'error500' || v.mode === 'garbage') return { mode: v.mode };
  if (v.mode === 'delay') {
    const delayMs = v.delayMs ?? 2000;
    if (typeof delayMs !== 'number' || !Number.isFinite(delayMs) || delayMs < 0)
      throw new HttpError(400, 'ERR delayMs must be a number ≥ 0');
    return { mode: 'delay', delayMs };
  }
  throw new HttpError(400, "ERR mode must be 'none', 'error500', 'garbage' or 'delay'");
}

// Redis error replies are the caller's fault (400); anything else is the stand-in's (500).
function failureStatus(error: unknown): number {
  return error instanceof CommandError || error instanceof ErrorReply ? 400 : 500;
}

function encodeResults(results: CommandResult[], base64: boolean): unknown[] {
  return results.map((r) => ('error' in r ? { error: r.error } : { result: encodeReply(r.reply, base64) }));
}

/**
 * Starts a local server speaking the Upstash Redis REST protocol (`POST /`, `/pipeline`, `/multi-exec`,
 * bearer token, `Upstash-Encoding: base64`) in front of a real Redis or an in-memory store.
 * @example
 * ```ts
 * const standIn = await startUpstashStandIn({ token: 'dev-token', redisUrl: 'redis://127.0.0.1:6379' });
 * const redis = new Redis({ url: standIn.url, token: standIn.token });
 * ```
 */
export async function startUpstashStandIn(options: UpstashStandInOptions): Promise<UpstashStandIn> {
  const { port = 0, token, redisUrl, memory = false, verbose = false } = options;
  if (!token) throw new Error('Upstash stand-in: a non-empty token is required.');
  if ((redisUrl === undefined) === !memory)
    throw new Error('Upstash stand-in: pass exactly one of redisUrl and memory: true.');
  const backend: StandInBackend = redisUrl === undefined ? memoryBackend() : await redisBackend(redisUrl);
  if (backend.kind === 'memory') {
    console.warn(
      '[upstash stand-in] *** IN-MEMORY MODE: data lives in this process only and is lost when it stops (no Lua). Use --redis-url for a real Redis. ***',
    );
  }
  const expected = tokenDigest(token);
  let fault: StandInFault = { mode: 'none' };
  const delays = new Set<ReturnType<typeof setTimeout>>();

  function authorized(req: IncomingMessage): boolean {
    const match = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    return match?.[1] !== undefined && timingSafeEqual(tokenDigest(match[1]), expected);
  }

  function pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        delays.delete(timer);
        resolve();
      }, ms);
      delays.add(timer);
    });
  }

  async function control(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (!LOOPBACK.has(req.socket.remoteAddress ?? '')) throw new HttpError(403, 'ERR control routes are loopback-only');
    if (path === '/__standin/health' && req.method === 'GET')
      return send(res, 200, { ok: true, backend: backend.kind, fault });
    if (path === '/__standin/fault' && req.method === 'POST') {
      fault = parseFault(parseJson(await readBody(req)));
      return send(res, 200, { ok: true, fault });
    }
    throw new HttpError(404, 'ERR unknown control route');
  }

  async function data(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (req.method !== 'POST') throw new HttpError(405, 'ERR only POST is supported by the stand-in');
    if (!ROUTES.has(path)) throw new HttpError(404, `ERR unknown path ${path}: use /, /pipeline or /multi-exec`);
    const text = await readBody(req);
    if (fault.mode === 'error500') return send(res, 500, { error: 'ERR stand-in fault: error500' });
    if (fault.mode === 'garbage') {
      res.writeHead(200, { 'content-type': 'text/html' });
      return void res.end('<html>stand-in fault: garbage</html>');
    }
    if (fault.mode === 'delay') await pause(fault.delayMs);
    if (!authorized(req)) throw new HttpError(401, 'Unauthorized: missing or invalid bearer token');
    const base64 = String(req.headers['upstash-encoding'] ?? '').toLowerCase() === 'base64';
    const body = parseJson(text);
    if (verbose) console.log(`[upstash stand-in] POST ${path} ${text.length > 300 ? `${text.slice(0, 300)}…` : text}`);
    try {
      if (path === '/') return send(res, 200, { result: encodeReply(await backend.run(toCommand(body)), base64) });
      if (path === '/pipeline') return send(res, 200, encodeResults(await backend.pipeline(toCommands(body)), base64));
      return send(res, 200, encodeResults(await backend.transaction(toCommands(body)), base64));
    } catch (error) {
      if (error instanceof HttpError) throw error;
      return send(res, failureStatus(error), { error: errorMessage(error) });
    }
  }

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://stand-in').pathname.replace(/\/+$/, '') || '/';
    const handler = path.startsWith('/__standin/') ? control : data;
    handler(req, res, path).catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      send(res, error instanceof HttpError ? error.status : 500, { error: errorMessage(error) });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  }).catch(async (error: unknown) => {
    await backend.close();
    throw error;
  });
  const { port: bound } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${bound}`,
    token,
    backend: backend.kind,
    setFault(next) {
      fault = parseFault(next);
    },
    async close() {
      for (const timer of delays) clearTimeout(timer);
      delays.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await backend.close();
    },
  };
}
