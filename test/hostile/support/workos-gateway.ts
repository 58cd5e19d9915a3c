/**
 * A loopback gateway in front of the WorkOS emulator that authkit is pointed at instead of the emulator:
 * - it forwards every request to the emulator unchanged,
 * - its JWKS also vouches for one extra RS256 key, so a test can sign *arbitrary* claims (absurd `auth_time`,
 *   `amr` of the wrong type, a future `nbf`) that authkit then accepts as genuinely signed — the shape of an
 *   issuer or JWT template that emits bad claims,
 * - it can go down (connections refused) or answer 503, for fault tests, while the emulator keeps its state.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload } from 'jose';
import type { WorkosEmulator } from '../../../emulators/workos';

/** How the gateway answers. */
export type GatewayMode = 'pass' | 'down' | 'error503';

export interface WorkosGateway {
  readonly url: string;
  readonly port: number;
  /** `kid` of the extra key. */
  readonly kid: string;
  /** Signs `claims` (merged over `iss`, `iat`, `exp` defaults) with the extra key, RS256. */
  sign(claims: JWTPayload, header?: Record<string, unknown>): Promise<string>;
  /** Signs any header and payload byte-for-byte with the extra key (headers jose refuses to produce, e.g. `crit`). */
  signRaw(header: Record<string, unknown>, payload: Record<string, unknown>): Promise<string>;
  /** Requests forwarded to the emulator so far (path only), e.g. to prove a refresh was attempted. */
  readonly forwarded: string[];
  setMode(mode: GatewayMode): Promise<void>;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'content-encoding',
  'host',
]);

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Starts a gateway on a free loopback port in front of `emulator`. */
export async function startWorkosGateway(emulator: WorkosEmulator): Promise<WorkosGateway> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength: 2048 });
  const kid = 'hostile_test_issuer_key';
  const extraJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  let mode: GatewayMode = 'pass';
  const forwarded: string[] = [];

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (mode === 'error503') {
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"message":"gateway: service unavailable"}');
      return;
    }
    const path = req.url ?? '/';
    const body = await readBody(req);
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(([k, v]) => !HOP_BY_HOP.has(k) && typeof v === 'string'),
    ) as Record<string, string>;
    const upstream = await fetch(`${emulator.url}${path}`, {
      method: req.method,
      headers,
      redirect: 'manual',
      ...(body.length > 0 ? { body: new Uint8Array(body) } : {}),
    });
    let text = Buffer.from(await upstream.arrayBuffer());
    if (req.method === 'GET' && /^\/sso\/jwks\/[^/]+$/.test(path.split('?')[0] ?? '') && upstream.ok) {
      const jwks = JSON.parse(text.toString('utf8')) as { keys: JWK[] };
      text = Buffer.from(JSON.stringify({ keys: [...jwks.keys, extraJwk] }));
    } else {
      forwarded.push(path.split('?')[0] ?? path);
    }
    const out: Record<string, string> = {};
    upstream.headers.forEach((value, key) => {
      if (!HOP_BY_HOP.has(key)) out[key] = value;
    });
    res.writeHead(upstream.status, { ...out, 'content-length': String(text.length) }).end(text);
  }

  let server: Server;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server = createServer((req, res) => {
        handle(req, res).catch(() => res.destroy());
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  const unlisten = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  await listen();

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    kid,
    forwarded,
    async sign(claims, header = {}) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ iss: emulator.issuer, iat: now, exp: now + 300, ...claims })
        .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT', ...header })
        .sign(privateKey);
    },
    async signRaw(header, payload) {
      const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
      const input = `${b64({ alg: 'RS256', kid, ...header })}.${b64(payload)}`;
      const signature = await crypto.subtle.sign('RSASSA-PKCS1-v1_5', privateKey, new TextEncoder().encode(input));
      return `${input}.${Buffer.from(signature).toString('base64url')}`;
    },
    async setMode(next) {
      if (next === mode) return;
      if (next === 'down') await unlisten();
      if (mode === 'down') await listen(); // same port: clients were told this address
      mode = next;
    },
    async close() {
      if (mode !== 'down') await unlisten();
    },
  };
}
