import type { Clock } from './clock';
import type { EmulatorConfig } from './options';
import type { Seed } from './seed';
import type { SigningKey } from './signing-key';
import type { Store } from './store';
import type { WebhookDispatcher } from './webhook-dispatcher';

/** What every route handler can reach: settings, mutable config and state. */
export interface EmulatorContext {
  /** `http://host:port`. */
  baseUrl: string;
  /** `iss` of access tokens (WorkOS's form by default). */
  issuer: string;
  clientId: string;
  apiKey: string;
  /** Allowed redirect URIs; null accepts any absolute http(s) URL. */
  redirectUris: readonly string[] | null;
  /** Allowed sign-out `return_to` values; null accepts any absolute http(s) URL. */
  signOutRedirectUris: readonly string[] | null;
  /** Fault injection: every API request answers 429 until this emulator time (ms); null when off. */
  throttledUntil: number | null;
  /** Requests to WorkOS routes answered since start (not the controls; a reset keeps it): shows who talks to it. */
  requestsServed: number;
  seed: Seed;
  /** Audit Logs actions with a configured schema (the seed's `auditLogActions`); events of other actions fail. */
  auditLogActions: ReadonlySet<string>;
  /** The config the emulator started with; reset returns to it. */
  initialConfig: EmulatorConfig;
  config: EmulatorConfig;
  store: Store;
  clock: Clock;
  signingKey: SigningKey;
  webhooks: WebhookDispatcher;
}
