import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WorkosApiError } from './api-error';
import { createClock } from './clock';
import type { EmulatorContext } from './context';
import { createControl, type EmulatorControl } from './control';
import { isLoopbackAddress, jsonReply, parseJsonObject, readBody, type Reply } from './http';
import {
  DEFAULT_API_KEY,
  DEFAULT_CLIENT_ID,
  DEFAULT_HOST,
  DEFAULT_WEBHOOK_RETRY_DELAYS_MS,
  defaultIssuer,
  EmulatorOptionError,
  initialConfig,
  type WorkosEmulatorOptions,
} from './options';
import { checkInjectedThrottle } from './rate-limits';
import { matchRoute, type EmulatorRequest, type Route } from './router';
import { auditLogRoutes } from './routes/audit-logs';
import { authenticateRoutes } from './routes/authenticate';
import { authorizeRoutes } from './routes/authorize';
import { controlRoutes } from './routes/control';
import { magicAuthRoutes } from './routes/magic-auth';
import { trafficRoutes } from './routes/traffic';
import { mfaRoutes } from './routes/mfa';
import { userManagementRoutes } from './routes/user-management';
import { loadSeed, type Seed } from './seed';
import { createSigningKey } from './signing-key';
import { createStore } from './store';
import { combineObservers, createTrafficRecorder } from './traffic-recorder';
import { createWebhookDispatcher } from './webhook-dispatcher';

/** A running emulator. */
export interface WorkosEmulator {
  /** Base URL, e.g. `http://127.0.0.1:4455`. */
  url: string;
  /** `iss` of its access tokens, e.g. `https://api.workos.com/user_management/client_emulator`. */
  issuer: string;
  port: number;
  host: string;
  clientId: string;
  apiKey: string;
  /** The seed it started from (after validation). */
  seed: Seed;
  /** Programmatic twin of the `/__emulator/*` routes. */
  control: EmulatorControl;
  /** Stops listening, cancels webhook retries and closes open connections. */
  close(): Promise<void>;
}

function writeReply(res: ServerResponse, reply: Reply): void {
  res.writeHead(reply.status, reply.headers ?? {});
  res.end(reply.body);
}

function authorized(req: IncomingMessage, apiKey: string): boolean {
  return req.headers.authorization === `Bearer ${apiKey}`;
}

async function dispatch(emu: EmulatorContext, routes: readonly Route[], req: IncomingMessage): Promise<Reply> {
  const url = new URL(req.url ?? '/', emu.baseUrl);
  const method = req.method ?? 'GET';
  const match = matchRoute(routes, method, url.pathname);
  if (match === null) return jsonReply(404, { message: `Not Found: ${method} ${url.pathname}`, code: 'not_found' });
  if ('methodNotAllowed' in match)
    return jsonReply(405, { message: `Method ${method} not allowed on ${url.pathname}`, code: 'method_not_allowed' });
  const { route, params } = match;
  const remoteAddress = req.socket.remoteAddress ?? null;
  if (route.access === 'control' && !isLoopbackAddress(remoteAddress ?? undefined)) {
    return jsonReply(403, { message: 'Emulator control routes only answer loopback clients.', code: 'forbidden' });
  }
  if (route.access === 'api' && !authorized(req, emu.apiKey)) {
    return jsonReply(401, { message: 'Unauthorized: send Authorization: Bearer <API key>.', code: 'unauthorized' });
  }
  if (route.access === 'api') checkInjectedThrottle(emu);
  const rawBody = await readBody(req);
  const request: EmulatorRequest = {
    method,
    url,
    params,
    headers: req.headers,
    remoteAddress,
    rawBody,
    json: () => parseJsonObject(rawBody),
    form: () => new URLSearchParams(rawBody),
    emu,
  };
  return route.handle(request);
}

/**
 * Starts a local WorkOS API emulator that the real `@workos-inc/node` and `@workos-inc/authkit-nextjs`
 * sign in, refresh, sign out and pass MFA against.
 *
 * @example
 * ```ts title="emulator.int.test.ts"
 * const emulator = await startWorkosEmulator({ port: 0, claimsMode: 'tomorrow' });
 * const workos = new WorkOS(emulator.apiKey, { apiHostname: '127.0.0.1', https: false, port: emulator.port, clientId: emulator.clientId });
 * // …
 * await emulator.close();
 * ```
 * @throws {SeedError} for an unreadable or malformed seed; {@link EmulatorOptionError} for a bad option.
 */
export async function startWorkosEmulator(options: WorkosEmulatorOptions = {}): Promise<WorkosEmulator> {
  const host = options.host ?? DEFAULT_HOST;
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new EmulatorOptionError(`port must be an integer from 0 to 65535, got ${port}`);
  const config = initialConfig(options);
  const seed = await loadSeed(options.seed);
  const clock = createClock();
  const signingKey = await createSigningKey();
  const retryDelaysMs = options.webhookRetryDelaysMs ?? DEFAULT_WEBHOOK_RETRY_DELAYS_MS;
  if (!retryDelaysMs.every((d) => Number.isFinite(d) && d >= 0))
    throw new EmulatorOptionError('webhookRetryDelaysMs must hold non-negative numbers');

  if (options.issuer !== undefined && (typeof options.issuer !== 'string' || options.issuer.trim() === ''))
    throw new EmulatorOptionError('issuer must be a non-empty string');
  for (const uri of options.signOutRedirectUris ?? []) {
    if (!/^https?:\/\//i.test(uri) || !URL.canParse(uri))
      throw new EmulatorOptionError(`signOutRedirectUris must hold absolute http(s) URLs, got ${JSON.stringify(uri)}`);
  }
  const clientId = options.clientId ?? DEFAULT_CLIENT_ID;
  const recorder = options.recordTraffic === true ? createTrafficRecorder() : null;
  const observer = combineObservers(options.observer, recorder?.observer);
  const emu: EmulatorContext = {
    baseUrl: '',
    issuer: options.issuer ?? defaultIssuer(clientId),
    clientId,
    apiKey: options.apiKey ?? DEFAULT_API_KEY,
    redirectUris: options.redirectUris ? [...options.redirectUris] : null,
    signOutRedirectUris: options.signOutRedirectUris ? [...options.signOutRedirectUris] : null,
    throttledUntil: null,
    requestsServed: 0,
    seed,
    auditLogActions: new Set(seed.auditLogActions ?? []),
    initialConfig: { ...config },
    config,
    store: createStore(seed, clock.now()),
    clock,
    signingKey,
    webhooks: createWebhookDispatcher({
      target: () => emu.config.webhook,
      clock,
      retryDelaysMs: [...retryDelaysMs],
      observe: observer?.event,
    }),
  };
  const control = createControl(emu);
  const routes = [
    ...authorizeRoutes,
    ...authenticateRoutes,
    ...userManagementRoutes,
    ...magicAuthRoutes,
    ...mfaRoutes,
    ...auditLogRoutes,
    ...controlRoutes(control),
    ...trafficRoutes(recorder),
  ];

  const observeResponse = observer?.response;
  const server = createServer((req, res) => {
    dispatch(emu, routes, req)
      .catch((error: unknown) => {
        if (error instanceof WorkosApiError) return jsonReply(error.status, error.body, error.headers);
        console.error('[workos-emulator] unexpected error', error);
        // 4xx rather than 500: the SDK retries 5xx with multi-second backoff.
        return jsonReply(400, { message: `Emulator error: ${(error as Error).message}`, code: 'emulator_error' });
      })
      .then((reply) => {
        const path = new URL(req.url ?? '/', 'http://emulator').pathname;
        if (!path.startsWith('/__emulator/')) {
          emu.requestsServed += 1;
          observeResponse?.({
            method: req.method ?? 'GET',
            path,
            status: reply.status,
            contentType: reply.headers?.['Content-Type'] ?? null,
            body: reply.body ?? '',
          });
        }
        writeReply(res, reply);
      })
      .catch(() => res.destroy());
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  emu.baseUrl = `http://${urlHost}:${address.port}`;

  return {
    url: emu.baseUrl,
    issuer: emu.issuer,
    port: address.port,
    host,
    clientId: emu.clientId,
    apiKey: emu.apiKey,
    seed,
    control,
    async close() {
      emu.webhooks.close();
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}
