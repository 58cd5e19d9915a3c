/**
 * The demo's embedded defaults: every variable points at the local stand-ins. A variable already set in the
 * environment wins, so pointing the app at real WorkOS and Upstash is a change of environment only
 * (see .env.example).
 */
import { authkitEnv } from '../emulators/workos/app-env';

export interface DemoPorts {
  readonly app: number;
  readonly workos: number;
  readonly upstash: number;
}

/** Fixed ports of `npm run demo`. */
export const DEMO_PORTS: DemoPorts = { app: 3000, workos: 4455, upstash: 8079 };

/** Demo-only credentials of the local stand-ins; they protect nothing outside this machine. */
export const DEMO_SECRETS = {
  workosApiKey: 'sk_test_emulator',
  workosClientId: 'client_emulator',
  cookiePassword: 'demo-only-cookie-password-not-a-secret-0001',
  upstashToken: 'demo-upstash-token',
  webhookSecret: 'demo-webhook-secret',
} as const;

/** Environment for the app when it talks to the stand-ins on `ports`. */
export function demoEnv(ports: DemoPorts = DEMO_PORTS): Record<string, string> {
  return {
    ...authkitEnv({
      port: ports.workos,
      apiKey: DEMO_SECRETS.workosApiKey,
      clientId: DEMO_SECRETS.workosClientId,
      cookiePassword: DEMO_SECRETS.cookiePassword,
      redirectUri: `http://localhost:${ports.app}/callback`,
    }),
    WORKOS_WEBHOOK_SECRET: DEMO_SECRETS.webhookSecret,
    UPSTASH_REDIS_REST_URL: `http://127.0.0.1:${ports.upstash}`,
    UPSTASH_REDIS_REST_TOKEN: DEMO_SECRETS.upstashToken,
    NEXT_TELEMETRY_DISABLED: '1',
  };
}

/** `env` with every unset demo variable filled in. */
export function withDemoDefaults(env: NodeJS.ProcessEnv, ports: DemoPorts = DEMO_PORTS): NodeJS.ProcessEnv {
  const out = { ...env };
  for (const [key, value] of Object.entries(demoEnv(ports)))
    if (out[key] === undefined || out[key] === '') out[key] = value;
  return out;
}
