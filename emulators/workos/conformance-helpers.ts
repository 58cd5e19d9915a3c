// Shared by the *.int.test.ts conformance suite: drives the emulator the way the real SDKs and a browser do.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkOS } from '@workos-inc/node';
import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyResult } from 'jose';
import { Secret, TOTP } from 'otpauth';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { spawnReady } from '../../test-support/ready-line';
import { connectControl, controlFetch, type RemoteControl } from './control-client';
import { createOpenApiOracle, type OpenApiOracle, type SpecViolation } from './openapi-oracle';
import { DEFAULT_API_KEY, type WorkosEmulatorOptions } from './options';
import { startWorkosEmulator } from './server';
import { SPEC_DEVIATIONS } from './spec-deviations';

export const REDIRECT_URI = 'http://localhost:3000/callback';
export const ALICE = {
  id: 'user_alice',
  email: 'alice@acme.test',
  password: 'alice-password-1',
  factorId: 'auth_factor_alice_totp',
  secret: 'JBSWY3DPEHPK3PXP',
};
export const BOB = { id: 'user_bob', email: 'bob@acme.test', password: 'bob-password-1' };
export const CAROL = { id: 'user_carol', email: 'carol@globex.test' };

/**
 * An emulator under test, in this process or in another (the packed `workos-emulator` bin): where it listens,
 * its credentials, and its controls over the `/__emulator/*` routes.
 */
export interface EmulatorUnderTest {
  url: string;
  port: number;
  clientId: string;
  apiKey: string;
  /** `iss` of its access tokens. */
  issuer: string;
  control: RemoteControl;
  close(): Promise<void>;
}

/** Where an emulator listens and its credentials (an {@link EmulatorUnderTest} or an in-process `WorkosEmulator`). */
export type EmulatorEndpoint = Pick<EmulatorUnderTest, 'url' | 'port' | 'clientId' | 'apiKey' | 'issuer'>;

/** The real `@workos-inc/node` client pointed at the emulator. */
export function sdkFor(emulator: EmulatorEndpoint, apiKey = emulator.apiKey): WorkOS {
  return new WorkOS(apiKey, {
    apiHostname: new URL(emulator.url).hostname,
    https: false,
    port: emulator.port,
    clientId: emulator.clientId,
  });
}

/** The TOTP code for `secret` at the emulator's (possibly shifted) time. */
export function totpAt(emulator: { control: { now(): number } }, secret: string, offsetSeconds = 0): string {
  return TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: emulator.control.now() + offsetSeconds * 1000 });
}

/** Moves the emulator clock to the middle of a 30 s TOTP step, so a step boundary cannot fall inside a test. */
export async function alignToMidStep(emulator: {
  control: { now(): number; advanceClock(seconds: number): unknown };
}): Promise<void> {
  const intoStep = (emulator.control.now() / 1000) % 30;
  await emulator.control.advanceClock(15 - intoStep);
}

/** Verifies an access token against the emulator's JWKS, as authkit's proxy does (plus an issuer check). */
export async function verifyAccessToken(
  emulator: EmulatorEndpoint,
  workos: WorkOS,
  token: string,
): Promise<JWTVerifyResult<JWTPayload & Record<string, unknown>>> {
  const jwks = createRemoteJWKSet(new URL(workos.userManagement.getJwksUrl(emulator.clientId)));
  return jwtVerify(token, jwks, { issuer: emulator.issuer, algorithms: ['RS256'] });
}

let oracle: OpenApiOracle | undefined;

/** The OpenAPI oracle with the emulator's listed deviations (the spec is parsed once per test file). */
export function specOracle(): OpenApiOracle {
  oracle ??= createOpenApiOracle(SPEC_DEVIATIONS);
  return oracle;
}

/** An emulator whose every WorkOS reply and emitted event is checked against WorkOS's OpenAPI spec. */
export interface CheckedEmulator {
  emulator: EmulatorUnderTest;
  /** What failed the spec since the last take (the emulator's recorded traffic, checked here). */
  takeViolations(): Promise<SpecViolation[]>;
}

/** Options a test may start its own emulator with: in this process, or as the bin with the matching flags. */
export type LaunchOptions = Pick<
  WorkosEmulatorOptions,
  'seed' | 'redirectUris' | 'signOutRedirectUris' | 'webhook' | 'webhookRetryDelaysMs'
>;

/**
 * Where the suite runs (see the README, "Run the conformance suite against a running emulator"):
 * - default: every file starts its emulators in this process;
 * - `WORKOS_EMULATOR_URL` (+ `WORKOS_EMULATOR_API_KEY`): the files share that running emulator (started with
 *   `--record-traffic` and the default seed and switches; run the files one at a time: `--no-file-parallelism`);
 * - `WORKOS_EMULATOR_BIN`: a test that needs its own emulator (other seed, allow-lists, webhook endpoint) spawns
 *   this `workos-emulator` script. With `WORKOS_EMULATOR_URL` it is required for those tests.
 */
const REMOTE_URL = process.env.WORKOS_EMULATOR_URL;
const EMULATOR_BIN = process.env.WORKOS_EMULATOR_BIN;

/** Connects to a running emulator and reads its client id and issuer from its health route. */
async function connect(url: string, apiKey: string, close: () => Promise<void>): Promise<EmulatorUnderTest> {
  const health = (await controlFetch(url, 'GET', 'health')).json as { clientId: string; issuer: string };
  return {
    url,
    port: Number(new URL(url).port),
    clientId: health.clientId,
    apiKey,
    issuer: health.issuer,
    control: await connectControl(url),
    close,
  };
}

/** The CLI flags for `options` (a seed object goes through a temporary file). */
function launchFlags(options: LaunchOptions, seedDir: string): string[] {
  const flags = ['--port', '0', '--json', '--record-traffic'];
  if (options.seed !== undefined) {
    const path = typeof options.seed === 'string' ? options.seed : join(seedDir, 'seed.json');
    if (typeof options.seed !== 'string') writeFileSync(path, JSON.stringify(options.seed));
    flags.push('--seed', path);
  }
  for (const uri of options.redirectUris ?? []) flags.push('--redirect-uri', uri);
  for (const uri of options.signOutRedirectUris ?? []) flags.push('--sign-out-redirect-uri', uri);
  if (options.webhook) flags.push('--webhook-url', options.webhook.url, '--webhook-secret', options.webhook.secret);
  if (options.webhookRetryDelaysMs) flags.push('--webhook-retry-delays', options.webhookRetryDelaysMs.join(','));
  return flags;
}

/** Starts `options`' emulator as the `workos-emulator` bin and connects to it. */
async function spawnEmulator(bin: string, options: LaunchOptions): Promise<EmulatorUnderTest> {
  const seedDir = mkdtempSync(join(tmpdir(), 'workos-emulator-seed-'));
  // Its own settings only: the CLI reads WORKOS_EMULATOR_* as fallbacks.
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith('WORKOS_EMULATOR_')) delete env[name];
  const started = await spawnReady<{ url: string; apiKey: string }>(
    process.execPath,
    [bin, ...launchFlags(options, seedDir)],
    { env },
  );
  const close = async (): Promise<void> => {
    const exit = await started.stop();
    rmSync(seedDir, { recursive: true, force: true });
    if (exit.code !== 0)
      throw new Error(`workos-emulator exited with ${exit.code ?? exit.signal} on SIGTERM:\n${started.output()}`);
  };
  return connect(started.ready.url, started.ready.apiKey, close).catch(async (error: unknown) => {
    await close().catch(() => undefined);
    throw error;
  });
}

/** Starts an emulator of its own for a test (in this process, or the bin given by `WORKOS_EMULATOR_BIN`). */
export async function startEmulatorUnderTest(options: LaunchOptions = {}): Promise<EmulatorUnderTest> {
  if (EMULATOR_BIN !== undefined) return spawnEmulator(EMULATOR_BIN, options);
  if (REMOTE_URL !== undefined)
    throw new Error(
      `This test starts an emulator of its own (${JSON.stringify(Object.keys(options))}): set WORKOS_EMULATOR_BIN to the workos-emulator bin as well as WORKOS_EMULATOR_URL.`,
    );
  const emulator = await startWorkosEmulator({ port: 0, ...options, recordTraffic: true });
  return connect(emulator.url, emulator.apiKey, () => emulator.close());
}

/** Wires an emulator to the spec oracle: its recorded traffic is checked at each take. */
function checked(emulator: EmulatorUnderTest): CheckedEmulator {
  return {
    emulator,
    async takeViolations() {
      const check = specOracle();
      const traffic = await emulator.control.takeTraffic();
      const violations = [
        ...traffic.responses.flatMap((r) => check.checkResponse(r)),
        ...traffic.events.flatMap((e) => check.checkEvent(e)),
      ];
      if (traffic.dropped > 0)
        violations.push({
          where: 'traffic',
          instancePath: '',
          keyword: 'dropped',
          message: `${traffic.dropped} recorded replies or events were dropped unchecked`,
        });
      return violations;
    },
  };
}

/** Starts an emulator of its own (see {@link startEmulatorUnderTest}) wired to the spec oracle. */
export async function startCheckedEmulator(options: LaunchOptions = {}): Promise<CheckedEmulator> {
  return checked(await startEmulatorUnderTest(options));
}

/** Fails the current test when the emulator sent anything WorkOS's spec does not allow (beyond the listed deviations). */
export async function expectSpecConformance(emulator: CheckedEmulator | undefined): Promise<void> {
  expect(
    (await emulator?.takeViolations()) ?? [],
    'emulator responses and events vs @workos/openapi-spec (see spec-deviations.ts)',
  ).toEqual([]);
}

function decodeEntities(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The hidden fields of the page's form, as a browser would submit them. */
export function hiddenFieldsOf(html: string): URLSearchParams {
  const fields = new URLSearchParams();
  for (const match of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
    fields.append(decodeEntities(match[1] ?? ''), decodeEntities(match[2] ?? ''));
  }
  return fields;
}

/** Reads the `value` attribute of `<input id="…">`, or null. */
export function inputValue(html: string, id: string): string | null {
  const tag = new RegExp(`<input id="${id}"[^>]*>`).exec(html)?.[0];
  const value = tag === undefined ? undefined : /value="([^"]*)"/.exec(tag)?.[1];
  return value === undefined ? null : decodeEntities(value);
}

/** POSTs a form to the emulator's sign-in endpoint like a browser (no redirect following). */
export async function submitForm(emulator: Pick<EmulatorEndpoint, 'url'>, fields: URLSearchParams): Promise<Response> {
  return fetch(`${emulator.url}/user_management/authorize/submit`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'User-Agent': 'conformance-browser' },
    body: fields,
    redirect: 'manual',
  });
}

export interface BrowserSignIn {
  /** The final redirect to the app, parsed. */
  callback: URL;
  code: string;
  codeVerifier: string;
}

export interface SignInOptions {
  email: string;
  password?: string;
  intent?: 'password' | 'sso';
  /** Called when the page asks for a TOTP code; gets the page HTML. */
  totp?: (html: string) => string;
  state?: string;
  prompt?: string;
  maxAge?: number;
  organizationId?: string;
  loginHint?: string;
}

/**
 * Signs in through the hosted page as a browser would: authorization URL from the SDK with a PKCE
 * challenge → GET the form → POST it (and the TOTP step when asked) → the 302 back to the app.
 */
export async function signInWithBrowser(
  emulator: EmulatorEndpoint,
  workos: WorkOS,
  options: SignInOptions,
): Promise<BrowserSignIn> {
  const pkce = await workos.pkce.generate();
  const url = workos.userManagement.getAuthorizationUrl({
    provider: 'authkit',
    redirectUri: REDIRECT_URI,
    codeChallenge: pkce.codeChallenge,
    codeChallengeMethod: 'S256',
    state: options.state ?? 'state-123',
    prompt: options.prompt,
    maxAge: options.maxAge,
    organizationId: options.organizationId,
    loginHint: options.loginHint,
    screenHint: 'sign-in',
  });
  const page = await fetch(url, { redirect: 'manual' });
  if (page.status !== 200) throw new Error(`authorize answered ${page.status}`);
  const fields = hiddenFieldsOf(await page.text());
  fields.set('email', options.email);
  if (options.password !== undefined) fields.set('password', options.password);
  fields.set('intent', options.intent ?? 'password');
  let response = await submitForm(emulator, fields);
  if (response.status === 200 && options.totp) {
    const html = await response.text();
    const step = hiddenFieldsOf(html);
    step.set('code', options.totp(html));
    step.set('intent', html.includes('value="enroll"') ? 'enroll' : 'totp');
    response = await submitForm(emulator, step);
  }
  const location = response.headers.get('location');
  if (response.status !== 302 || location === null) {
    const alert = /role="alert"[^>]*>([^<]*)</.exec(await response.text())?.[1] ?? 'no error shown';
    throw new Error(`sign-in answered ${response.status}: ${alert}`);
  }
  const callback = new URL(location);
  const code = callback.searchParams.get('code');
  if (code === null) throw new Error(`no code in ${location}`);
  return { callback, code, codeVerifier: pkce.codeVerifier };
}

/** Signs in through the page and exchanges the code with the SDK. */
export async function signInAndExchange(emulator: EmulatorEndpoint, workos: WorkOS, options: SignInOptions) {
  const { code, codeVerifier } = await signInWithBrowser(emulator, workos, options);
  return workos.userManagement.authenticateWithCode({ clientId: emulator.clientId, code, codeVerifier });
}

/** Captures the rejection of `promise` (fails the test if it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected the promise to reject, but it resolved');
}

export interface ReceivedWebhook {
  body: string;
  headers: IncomingHttpHeaders;
}

/** A local endpoint that records webhook requests and answers with the queued statuses (then 200). */
export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Answer the next requests with these statuses, in order. */
  queueStatuses(...statuses: number[]): void;
  /** Resolves with the first request (already received or future) whose parsed body matches. */
  waitFor(match: (event: Record<string, unknown>) => boolean): Promise<ReceivedWebhook>;
  close(): Promise<void>;
}

/** Starts a {@link WebhookReceiver} on a free loopback port. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const statuses: number[] = [];
  const waiters: Array<{
    match: (event: Record<string, unknown>) => boolean;
    resolve: (hook: ReceivedWebhook) => void;
  }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const hook = { body: Buffer.concat(chunks).toString('utf8'), headers: req.headers };
      received.push(hook);
      res.writeHead(statuses.shift() ?? 200).end();
      const event = JSON.parse(hook.body) as Record<string, unknown>;
      for (const waiter of [...waiters]) {
        if (!waiter.match(event)) continue;
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(hook);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks`,
    received,
    queueStatuses: (...next) => statuses.push(...next),
    waitFor(match) {
      const earlier = received.find((hook) => match(JSON.parse(hook.body) as Record<string, unknown>));
      if (earlier) return Promise.resolve(earlier);
      return new Promise((resolve) => waiters.push({ match, resolve }));
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Calls a control route over HTTP. */
export function controlRequest(
  emulator: Pick<EmulatorEndpoint, 'url'>,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  return controlFetch(emulator.url, method, path, body);
}

/**
 * Registers the hooks every conformance file needs: one emulator for the file (in this process, or the one at
 * `WORKOS_EMULATOR_URL`), reset before each test (then `beforeEachTest`, e.g. aligning TOTP steps), closed at the
 * end, and after each test the check that every WorkOS reply and event it sent matches WorkOS's OpenAPI spec.
 * `use` receives it and its SDK.
 */
export function useEmulator(
  use: (started: { emulator: EmulatorUnderTest; workos: WorkOS }) => void,
  beforeEachTest?: (emulator: EmulatorUnderTest) => unknown,
): void {
  let target: CheckedEmulator | undefined;
  beforeAll(async () => {
    const shared =
      REMOTE_URL === undefined
        ? null
        : await connect(
            REMOTE_URL.replace(/\/+$/, ''),
            process.env.WORKOS_EMULATOR_API_KEY ?? DEFAULT_API_KEY,
            async () => {},
          );
    target = shared === null ? await startCheckedEmulator() : checked(shared);
    use({ emulator: target.emulator, workos: sdkFor(target.emulator) });
  });
  afterAll(() => target?.emulator.close());
  beforeEach(async () => {
    await target!.emulator.control.reset();
    await target!.takeViolations();
    await beforeEachTest?.(target!.emulator);
  });
  afterEach(() => expectSpecConformance(target));
}
