/**
 * The middleware and engine as an app runs them — real authkit-nextjs, a real sealed session cookie, tokens
 * verified against the WorkOS emulator's JWKS (through {@link startWorkosGateway}), the ledger in real Redis
 * behind the Upstash stand-in (or node-redis) — for hostile-input and fault tests. One harness per test file:
 * authkit reads its configuration from the environment once, when first imported.
 */
import { Redis } from '@upstash/redis';
import { WorkOS } from '@workos-inc/node';
import { sealData } from 'iron-session';
import type { NextRequest as NextRequestType } from 'next/server';
import { createClient } from 'redis';
import { startUpstashStandIn, type UpstashStandIn } from '../../../emulators/upstash/server';
import { startWorkosEmulator, type WorkosEmulator, authkitEnv } from '../../../emulators/workos';
import type { AuditRecord } from '../../../lib/audit/record';
import type { LedgerEntry } from '../../../lib/core/ledger-entry';
import type { MfaRouteRule } from '../../../lib/next/middleware';
import type { SessionLedger } from '../../../lib/ledger/ledger';
import type { LedgerStore } from '../../../lib/ledger/types';
import type { SessionMfa } from '../../../lib/session-mfa';
import { startWorkosGateway, type WorkosGateway } from './workos-gateway';

export const COOKIE_PASSWORD = 'hostile-harness-cookie-password-0123456789';
export const ORIGIN = 'http://localhost:3000';
export const KEY_PREFIX = 'hostile';

/** Where and how an engine keeps its ledger. */
export interface EngineOptions {
  /** Redis the ledger lives in (the shared one for hostile tests, a dedicated one for faults). */
  readonly redisUrl: string;
  /** Ledger adapter: over the Upstash stand-in (Edge) or node-redis (Node). @default 'upstash' */
  readonly store?: 'upstash' | 'redis';
  /** Ledger timeout in ms. @default the library default (500) */
  readonly timeoutMs?: number;
  /** Retries of the `@upstash/redis` client. @default 0, as the demo configures it */
  readonly upstashRetries?: number;
  /** Route rules; the policies come from `rules(edge)`. @default /admin, /api/admin (aal2), /any (no maxAge) */
  readonly rules?: (edge: typeof import('../../../test-support/lib-edge')) => MfaRouteRule[];
}

/** Options of {@link startHarness}. */
export type HarnessOptions = EngineOptions;

/** A real `@upstash/redis` client of the stand-in, as the library's Upstash backends expect it (no retries by default). */
export function standInClient(standIn: UpstashStandIn, retries = 0): Redis {
  return new Redis({ url: standIn.url, token: standIn.token, automaticDeserialization: false, retry: { retries } });
}

/** A ledger, the engine over it and a middleware using that engine (real authkit). */
export interface Engine {
  readonly standIn: UpstashStandIn | null;
  readonly ledger: SessionLedger;
  readonly sessionMfa: SessionMfa;
  /** Every audit record the engine wrote. */
  readonly audit: AuditRecord[];
  middleware(request: NextRequestType): Promise<Response>;
  close(): Promise<void>;
}

type Edge = typeof import('../../../test-support/lib-edge');

async function buildEngine(edge: Edge, options: EngineOptions): Promise<Engine> {
  let standIn: UpstashStandIn | null = null;
  let store: LedgerStore;
  let closeStore: () => Promise<void> = async () => undefined;
  if ((options.store ?? 'upstash') === 'upstash') {
    standIn = await startUpstashStandIn({ port: 0, token: 'hostile-token', redisUrl: options.redisUrl });
    const { upstashStore } = await import('../../../lib/ledger/upstash');
    store = upstashStore(standInClient(standIn, options.upstashRetries));
  } else {
    const { redisStore } = await import('../../../lib/ledger/redis-node');
    // Commands wait for a reconnect instead of failing at once: the ledger's timeout must bound them.
    const client = await createClient({
      url: options.redisUrl,
      socket: { reconnectStrategy: (retries) => Math.min(50 * retries, 500) },
    })
      .on('error', () => undefined)
      .connect();
    store = redisStore(client);
    closeStore = async () => client.destroy();
  }
  const ledger = edge.createSessionLedger({
    store,
    keyPrefix: KEY_PREFIX,
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });
  const audit: AuditRecord[] = [];
  const sessionMfa = edge.createSessionMfa({
    ledger,
    audit: [{ name: 'capture', write: async (r) => void audit.push(r) }],
  });
  const rules = options.rules?.(edge) ?? [
    { path: '/admin/:path*', policy: edge.mfaPreset('aal2') },
    { path: '/api/admin/:path*', policy: edge.mfaPreset('aal2') },
    { path: '/any/:path*', policy: edge.defineMfaPolicy({ name: 'any-mfa' }) },
  ];
  const middleware = edge.createSessionMfaMiddleware({
    sessionMfa,
    rules,
    middlewareAuth: { enabled: true, unauthenticatedPaths: ['/', '/public'] },
  }) as (req: NextRequestType) => Promise<Response>;
  return {
    standIn,
    ledger,
    sessionMfa,
    audit,
    middleware,
    async close() {
      await closeStore();
      await standIn?.close();
    },
  };
}

/** A signed-in session: the cookie a browser would send and what it is bound to. */
export interface SignedIn {
  readonly cookie: string;
  readonly sid: string;
  readonly userId: string;
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly user: { id: string; email: string } & Record<string, unknown>;
}

export interface Harness extends Engine {
  readonly emulator: WorkosEmulator;
  readonly gateway: WorkosGateway;
  readonly workos: WorkOS;
  readonly edge: Edge;
  readonly NextRequest: typeof NextRequestType;
  /** Another ledger + engine + middleware (same authkit), e.g. over a dedicated Redis for a fault test. */
  engine(options: EngineOptions): Promise<Engine>;
  signIn(email?: string, password?: string): Promise<SignedIn>;
  /** A `wos-session=` cookie sealing `session` (with `password`, by default the app's). */
  seal(session: Record<string, unknown>, password?: string): Promise<string>;
  /** A verified-looking MFA entry for `s`, recorded through the ledger. */
  record(s: Pick<SignedIn, 'sid' | 'userId'>, over?: Partial<LedgerEntry>): Promise<LedgerEntry>;
  /** Raw access to the ledger's Redis keys, bypassing the adapter. */
  raw: {
    get(key: string): Promise<string | null>;
    set(key: string, value: string): Promise<void>;
    del(key: string): Promise<void>;
    keys(pattern: string): Promise<string[]>;
  };
  ledgerKey(sid: string): string;
  /** Every `hostile:*` key and value, to prove that a request changed nothing. */
  snapshot(): Promise<Record<string, string | null>>;
  page(path: string, cookie?: string, headers?: Record<string, string>): NextRequestType;
  api(path: string, cookie?: string, headers?: Record<string, string>, method?: string): NextRequestType;
  close(): Promise<void>;
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);
export const passedThrough = (res: Response) => res.headers.get('x-middleware-next') === '1';

/** The JSON body of a refusal, or `null`. */
export async function bodyOf(res: Response): Promise<Record<string, unknown> | null> {
  const text = await res.clone().text();
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** Starts the emulator, the gateway, the ledger and the middleware. */
export async function startHarness(options: HarnessOptions): Promise<Harness> {
  // Off: these tests sign the same seeded users in dozens of times a minute, past WorkOS's 10 per 60 s per email
  // (which the emulator models, and its conformance suite tests); the SDK would sleep through Retry-After.
  const emulator = await startWorkosEmulator({ port: 0, rateLimits: 'off' });
  const gateway = await startWorkosGateway(emulator);
  Object.assign(
    process.env,
    authkitEnv({
      port: gateway.port,
      apiKey: emulator.apiKey,
      clientId: emulator.clientId,
      cookiePassword: COOKIE_PASSWORD,
      redirectUri: `${ORIGIN}/callback`,
    }),
  );
  const { NextRequest } = await import('next/server');
  const edge = await import('../../../test-support/lib-edge');

  const main = await buildEngine(edge, options);
  const workos = new WorkOS(emulator.apiKey, {
    apiHostname: '127.0.0.1',
    https: false,
    port: emulator.port,
    clientId: emulator.clientId,
  });

  const rawClient = await createClient({ url: options.redisUrl })
    .on('error', () => undefined)
    .connect();
  const ledgerKey = (sid: string) => `${KEY_PREFIX}:v1:{${sid}}:ledger`;
  const seal = async (session: Record<string, unknown>, password = COOKIE_PASSWORD) =>
    `wos-session=${await sealData(session, { password, ttl: 0 })}`;

  const { ledger } = main;
  return {
    ...main,
    emulator,
    gateway,
    workos,
    edge,
    NextRequest,
    engine: (more) => buildEngine(edge, more),
    async signIn(email = 'alice@acme.test', password = 'alice-password-1') {
      const auth = await workos.userManagement.authenticateWithPassword({
        clientId: emulator.clientId,
        email,
        password,
      });
      const claims = JSON.parse(Buffer.from(auth.accessToken.split('.')[1]!, 'base64url').toString()) as {
        sid: string;
        sub: string;
      };
      const user = auth.user as unknown as SignedIn['user'];
      return {
        cookie: await seal({ accessToken: auth.accessToken, refreshToken: auth.refreshToken, user }),
        sid: claims.sid,
        userId: claims.sub,
        accessToken: auth.accessToken,
        refreshToken: auth.refreshToken,
        user,
      };
    },
    seal,
    async record(s, over = {}) {
      const entry: LedgerEntry = {
        sessionId: s.sid,
        userId: s.userId,
        verifiedAt: nowSeconds(),
        methods: ['otp'],
        source: 'step_up',
        ...over,
      };
      await ledger.record(entry);
      return entry;
    },
    raw: {
      get: (key) => rawClient.get(key),
      async set(key, value) {
        await rawClient.set(key, value, { expiration: { type: 'EX', value: 600 } });
      },
      async del(key) {
        await rawClient.del(key);
      },
      keys: (pattern) => rawClient.keys(pattern),
    },
    ledgerKey,
    async snapshot() {
      const keys = (await rawClient.keys(`${KEY_PREFIX}:*`)).sort();
      const values = await Promise.all(keys.map((k) => rawClient.get(k)));
      return Object.fromEntries(keys.map((k, i) => [k, values[i] ?? null]));
    },
    page: (path, cookie, headers = {}) =>
      new NextRequest(`${ORIGIN}${path}`, {
        headers: { accept: 'text/html', 'sec-fetch-dest': 'document', ...(cookie ? { cookie } : {}), ...headers },
      }),
    api: (path, cookie, headers = {}, method = 'GET') =>
      new NextRequest(`${ORIGIN}${path}`, {
        method,
        headers: { accept: 'application/json', ...(cookie ? { cookie } : {}), ...headers },
      }),
    async close() {
      rawClient.destroy();
      await main.close();
      await gateway.close();
      await emulator.close();
    },
  };
}
