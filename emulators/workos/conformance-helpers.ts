// Shared by the *.int.test.ts conformance suite: drives the emulator the way the real SDKs and a browser do.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WorkOS } from '@workos-inc/node';
import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyResult } from 'jose';
import { Secret, TOTP } from 'otpauth';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { createOpenApiOracle, type OpenApiOracle, type SpecViolation } from './openapi-oracle';
import type { WorkosEmulatorOptions } from './options';
import { startWorkosEmulator, type WorkosEmulator } from './server';
import { SPEC_DEVIATIONS } from './spec-deviations';

export const REDIRECT_URI = 'http://localhost:3000/callback';
export const ALICE = { id: 'user_alice', email: 'alice@acme.test', password: 'alice-password-1', factorId: 'auth_factor_alice_totp', secret: 'JBSWY3DPEHPK3PXP' };
export const BOB = { id: 'user_bob', email: 'bob@acme.test', password: 'bob-password-1' };
export const CAROL = { id: 'user_carol', email: 'carol@globex.test' };

/** The real `@workos-inc/node` client pointed at the emulator. */
export function sdkFor(emulator: WorkosEmulator, apiKey = emulator.apiKey): WorkOS {
  return new WorkOS(apiKey, { apiHostname: '127.0.0.1', https: false, port: emulator.port, clientId: emulator.clientId });
}

/** The TOTP code for `secret` at the emulator's (possibly shifted) time. */
export function totpAt(emulator: WorkosEmulator, secret: string, offsetSeconds = 0): string {
  return TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: emulator.control.now() + offsetSeconds * 1000 });
}

/** Moves the emulator clock to the middle of a 30 s TOTP step, so a step boundary cannot fall inside a test. */
export function alignToMidStep(emulator: WorkosEmulator): void {
  const intoStep = (emulator.control.now() / 1000) % 30;
  emulator.control.advanceClock(15 - intoStep);
}

/** Verifies an access token against the emulator's JWKS, as authkit's proxy does (plus an issuer check). */
export async function verifyAccessToken(emulator: WorkosEmulator, workos: WorkOS, token: string): Promise<JWTVerifyResult<JWTPayload & Record<string, unknown>>> {
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
  emulator: WorkosEmulator;
  /** What failed the spec since the last {@link CheckedEmulator.takeViolations}. */
  takeViolations(): SpecViolation[];
}

/** Starts an emulator (port 0 unless given) wired to the spec oracle. */
export async function startCheckedEmulator(options: WorkosEmulatorOptions = {}): Promise<CheckedEmulator> {
  const check = specOracle();
  let violations: SpecViolation[] = [];
  const emulator = await startWorkosEmulator({
    port: 0,
    ...options,
    observer: {
      response: (response) => violations.push(...check.checkResponse(response)),
      event: (payload) => violations.push(...check.checkEvent(payload)),
    },
  });
  return {
    emulator,
    takeViolations() {
      const taken = violations;
      violations = [];
      return taken;
    },
  };
}

/** Fails the current test when the emulator sent anything WorkOS's spec does not allow (beyond the listed deviations). */
export function expectSpecConformance(checked: CheckedEmulator | undefined): void {
  expect(checked?.takeViolations() ?? [], 'emulator responses and events vs @workos/openapi-spec (see spec-deviations.ts)').toEqual([]);
}

function decodeEntities(value: string): string {
  return value.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
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
export async function submitForm(emulator: WorkosEmulator, fields: URLSearchParams): Promise<Response> {
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
export async function signInWithBrowser(emulator: WorkosEmulator, workos: WorkOS, options: SignInOptions): Promise<BrowserSignIn> {
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
export async function signInAndExchange(emulator: WorkosEmulator, workos: WorkOS, options: SignInOptions) {
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
  const waiters: Array<{ match: (event: Record<string, unknown>) => boolean; resolve: (hook: ReceivedWebhook) => void }> = [];
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
export async function controlRequest(emulator: WorkosEmulator, method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${emulator.url}/__emulator/${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/**
 * Registers the hooks every conformance file needs: one emulator for the file (port 0), reset before each
 * test (then `beforeEachTest`, e.g. aligning TOTP steps), closed at the end, and after each test the check that
 * every WorkOS reply and event it sent matches WorkOS's OpenAPI spec. `use` receives it and its SDK.
 */
export function useEmulator(use: (started: { emulator: WorkosEmulator; workos: WorkOS }) => void, beforeEachTest?: (emulator: WorkosEmulator) => void): void {
  let checked: CheckedEmulator | undefined;
  beforeAll(async () => {
    checked = await startCheckedEmulator();
    use({ emulator: checked.emulator, workos: sdkFor(checked.emulator) });
  });
  afterAll(() => checked?.emulator.close());
  beforeEach(() => {
    checked!.emulator.control.reset();
    checked!.takeViolations();
    beforeEachTest?.(checked!.emulator);
  });
  afterEach(() => expectSpecConformance(checked));
}
