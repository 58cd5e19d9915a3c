import type { Clock } from './clock';
import type { EmulatorConfig } from './options';
import type { Seed } from './seed';
import type { SigningKey } from './signing-key';
import type { Store } from './store';
import type { WebhookDispatcher } from './webhook-dispatcher';

/** What every route handler can reach: settings, mutable config and state. */
export interface EmulatorContext {
  /** `http://host:port`, also the `iss` of access tokens. */
  baseUrl: string;
  clientId: string;
  apiKey: string;
  /** Allowed redirect URIs; null accepts any absolute http(s) URL. */
  redirectUris: readonly string[] | null;
  seed: Seed;
  /** The config the emulator started with; reset returns to it. */
  initialConfig: EmulatorConfig;
  config: EmulatorConfig;
  store: Store;
  clock: Clock;
  signingKey: SigningKey;
  webhooks: WebhookDispatcher;
}
