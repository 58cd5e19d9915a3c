import type { Seed } from './seed';

/** `today`: tokens as WorkOS issues them now (no `amr`/`acr`). `tomorrow`: adds RFC 8176 `amr` and `acr`. */
export type ClaimsMode = 'today' | 'tomorrow';

/** `required`: hosted sign-in and the password grant demand a TOTP step (like the dashboard's "Require MFA"). */
export type SignInMfa = 'off' | 'required';

/** `workos`: WorkOS's documented per-email / per-challenge limit on `authenticate`. `off`: no limit (load tests). */
export type RateLimits = 'workos' | 'off';

/** Where webhooks go and the secret they are signed with. */
export interface WebhookTarget {
  url: string;
  secret: string;
}

/** What the emulator sent, for tests that check it (e.g. against WorkOS's OpenAPI spec). */
export interface EmulatorObserver {
  /** Every reply to a WorkOS route (not the `/__emulator/*` controls), as written. */
  response?(response: { method: string; path: string; status: number; contentType: string | null; body: string }): void;
  /** Every event the emulator itself emits (not `sendWebhook`'s), whether or not a webhook is configured. */
  event?(payload: Record<string, unknown>): void;
}

/** Options of {@link startWorkosEmulator}. */
export interface WorkosEmulatorOptions {
  /** Port to listen on; 0 picks a free one. @default 0 */
  port?: number;
  /** Loopback address to bind. @default '127.0.0.1' */
  host?: string;
  /** Seed object, or the path of a JSON seed file. @default emulators/workos/seed.json */
  seed?: Seed | string;
  /** @default 'client_emulator' */
  clientId?: string;
  /** Expected as `Authorization: Bearer …` and as `client_secret`. @default 'sk_test_emulator' */
  apiKey?: string;
  /** Allowed `redirect_uri` values (exact match). When omitted, any absolute http(s) URL is accepted. */
  redirectUris?: string[];
  /** Webhook endpoint; none when omitted. */
  webhook?: WebhookTarget | null;
  /** @default 'today' */
  claimsMode?: ClaimsMode;
  /** @default 'off' */
  signInMfa?: SignInMfa;
  /** Adds `session_id` to `authentication.mfa_succeeded` data (not a WorkOS field; see the README). @default false */
  mfaSucceededSessionId?: boolean;
  /** Adds `auth_time` to `today`-mode access tokens (WorkOS documents no such claim). @default false */
  authTimeClaim?: boolean;
  /** @default 'workos' */
  rateLimits?: RateLimits;
  /** `iss` of access tokens. @default `https://api.workos.com/user_management/<clientId>` */
  issuer?: string;
  /**
   * Allowed `return_to` values of sign-out (exact match), like the dashboard's sign-out redirects. When omitted,
   * any absolute http(s) URL is accepted.
   */
  signOutRedirectUris?: string[];
  /** Sees every WorkOS reply and emitted event. */
  observer?: EmulatorObserver;
  /**
   * Keeps what the emulator sends (WorkOS replies, emitted events; the last 2,000 of each) until a test in another
   * process takes it with `POST /__emulator/traffic/take` (the conformance suite's spec oracle). @default false
   */
  recordTraffic?: boolean;
  /** Delays between webhook delivery attempts; its length + 1 is the attempt limit. @default [250, 1000, 4000] */
  webhookRetryDelaysMs?: number[];
}

/** The switches that may change while the emulator runs (`POST /__emulator/config`). */
export interface EmulatorConfig {
  claimsMode: ClaimsMode;
  signInMfa: SignInMfa;
  mfaSucceededSessionId: boolean;
  authTimeClaim: boolean;
  rateLimits: RateLimits;
  webhook: WebhookTarget | null;
}

export const DEFAULT_CLIENT_ID = 'client_emulator';
export const DEFAULT_API_KEY = 'sk_test_emulator';
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_CLI_PORT = 4455;
export const DEFAULT_WEBHOOK_RETRY_DELAYS_MS = [250, 1000, 4000];

/** WorkOS's access-token issuer for a client, as the node SDK's README shows it for the optional `issuer` check. */
export function defaultIssuer(clientId: string): string {
  return `https://api.workos.com/user_management/${clientId}`;
}

/** Thrown for a bad option or config value; the message says which and what is allowed. */
export class EmulatorOptionError extends Error {
  override name = 'EmulatorOptionError';
}

function oneOf<T extends string>(value: unknown, name: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw new EmulatorOptionError(
      `${name} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${JSON.stringify(value)}`,
    );
  }
  return value as T;
}

function webhookTarget(value: unknown): WebhookTarget | null {
  if (value === null) return null;
  if (typeof value !== 'object' || value === undefined)
    throw new EmulatorOptionError('webhook must be { url, secret } or null');
  const { url, secret } = value as Record<string, unknown>;
  if (typeof url !== 'string' || !/^https?:\/\//.test(url) || !URL.canParse(url))
    throw new EmulatorOptionError(`webhook.url must be an absolute http(s) URL, got ${JSON.stringify(url)}`);
  if (typeof secret !== 'string' || secret === '')
    throw new EmulatorOptionError('webhook.secret must be a non-empty string');
  return { url, secret };
}

/**
 * Validates a partial config (from options or the control route) and returns only the given keys.
 * @throws {EmulatorOptionError} on an unknown key or a bad value.
 */
export function parseConfigPatch(patch: unknown): Partial<EmulatorConfig> {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch))
    throw new EmulatorOptionError('config must be an object');
  const input = patch as Record<string, unknown>;
  const out: Partial<EmulatorConfig> = {};
  for (const key of Object.keys(input)) {
    const value = input[key];
    if (value === undefined) continue;
    switch (key) {
      case 'claimsMode':
        out.claimsMode = oneOf(value, key, ['today', 'tomorrow'] as const);
        break;
      case 'signInMfa':
        out.signInMfa = oneOf(value, key, ['off', 'required'] as const);
        break;
      case 'rateLimits':
        out.rateLimits = oneOf(value, key, ['workos', 'off'] as const);
        break;
      case 'mfaSucceededSessionId':
      case 'authTimeClaim':
        if (typeof value !== 'boolean') throw new EmulatorOptionError(`${key} must be a boolean`);
        out[key] = value;
        break;
      case 'webhook':
        out.webhook = webhookTarget(value);
        break;
      default:
        throw new EmulatorOptionError(
          `unknown config key "${key}" (known: claimsMode, signInMfa, mfaSucceededSessionId, authTimeClaim, rateLimits, webhook)`,
        );
    }
  }
  return out;
}

/** The starting config for `options`, with defaults filled in. */
export function initialConfig(options: WorkosEmulatorOptions): EmulatorConfig {
  const { claimsMode, signInMfa, mfaSucceededSessionId, authTimeClaim, rateLimits, webhook } = options;
  return {
    claimsMode: 'today',
    signInMfa: 'off',
    mfaSucceededSessionId: false,
    authTimeClaim: false,
    rateLimits: 'workos',
    webhook: null,
    ...parseConfigPatch({ claimsMode, signInMfa, mfaSucceededSessionId, authTimeClaim, rateLimits, webhook }),
  };
}
