#!/usr/bin/env node
// `workos-emulator [options]` (in this repository `npm run emulator -- …`): starts the emulator and says how to use it.
import { parseArgs } from 'node:util';
import { stopOnSignals } from '../cli-lifecycle';
import { workosApiEnv } from './app-env';
import { DEFAULT_CLI_PORT, EmulatorOptionError, type WorkosEmulatorOptions } from './options';
import { SeedError } from './seed';
import { startWorkosEmulator, type WorkosEmulator } from './server';

const HELP = `Local WorkOS API emulator

Usage: workos-emulator [options]        (in this repository: npm run emulator -- [options])

  --port N                    port (env WORKOS_EMULATOR_PORT, default ${DEFAULT_CLI_PORT}; 0 = any free port)
  --host ADDR                 loopback address to bind (env WORKOS_EMULATOR_HOST, default 127.0.0.1)
  --seed FILE                 seed JSON: users, organizations, TOTP factors, SSO users with their IdP's amr
                              (env WORKOS_EMULATOR_SEED, default: the bundled seed.json)
  --client-id ID              (env WORKOS_EMULATOR_CLIENT_ID, default client_emulator)
  --api-key KEY               (env WORKOS_EMULATOR_API_KEY, default sk_test_emulator)
  --redirect-uri URI          allowed redirect URI, repeatable (env WORKOS_EMULATOR_REDIRECT_URIS, comma-separated;
                              default: any http(s) URL)
  --webhook-url URL           webhook endpoint (env WORKOS_EMULATOR_WEBHOOK_URL)
  --webhook-secret SECRET     webhook signing secret (env WORKOS_EMULATOR_WEBHOOK_SECRET)
  --webhook-retry-delays MS,… delays between delivery attempts (env WORKOS_EMULATOR_WEBHOOK_RETRY_DELAYS,
                              default 250,1000,4000: at most 4 attempts)
  --claims-mode MODE          today | tomorrow (env WORKOS_EMULATOR_CLAIMS_MODE, default today)
  --sign-in-mfa MODE          off | required (env WORKOS_EMULATOR_SIGN_IN_MFA, default off)
  --mfa-succeeded-session-id  add session_id to authentication.mfa_succeeded (not a WorkOS field)
                              (env WORKOS_EMULATOR_MFA_SUCCEEDED_SESSION_ID=true)
  --auth-time-claim           add auth_time to today-mode tokens (WorkOS documents no such claim)
                              (env WORKOS_EMULATOR_AUTH_TIME_CLAIM=true)
  --rate-limits MODE          workos | off: WorkOS's authenticate limit, 10 per 60 s per email or challenge
                              (env WORKOS_EMULATOR_RATE_LIMITS, default workos)
  --issuer ISS                iss of access tokens (env WORKOS_EMULATOR_ISSUER,
                              default https://api.workos.com/user_management/<client id>)
  --sign-out-redirect-uri URI allowed sign-out return_to, repeatable (env WORKOS_EMULATOR_SIGN_OUT_REDIRECT_URIS,
                              comma-separated; default: any http(s) URL)
  --record-traffic            keep what it sends for POST /__emulator/traffic/take (a spec check in another process)
                              (env WORKOS_EMULATOR_RECORD_TRAFFIC=true)
  --json                      print one JSON line when ready (pid, url, port, clientId, apiKey, issuer, config, env)
                              and nothing else on stdout
  --help                      show this help

Stops on SIGTERM or SIGINT (exit 0). Exit 2: bad option or seed; 1: could not start (e.g. port in use).
`;

function envList(value: string | undefined): string[] | undefined {
  const items = value
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return items && items.length > 0 ? items : undefined;
}

function parsePort(value: string): number {
  if (!/^\d+$/.test(value)) throw new EmulatorOptionError(`--port must be a number, got "${value}"`);
  return Number(value);
}

function parseDelays(value: string | undefined): number[] | undefined {
  if (value === undefined) return undefined;
  const delays = value.split(',').map((s) => s.trim());
  if (delays.some((d) => !/^\d+$/.test(d)))
    throw new EmulatorOptionError(`--webhook-retry-delays must be milliseconds separated by commas, got "${value}"`);
  return delays.map(Number);
}

/** CLI options (flags first, then environment variables) → emulator options; null for `--help`. */
function optionsFrom(argv: string[], env: NodeJS.ProcessEnv): { options: WorkosEmulatorOptions; json: boolean } | null {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      seed: { type: 'string' },
      'client-id': { type: 'string' },
      'api-key': { type: 'string' },
      'redirect-uri': { type: 'string', multiple: true },
      'webhook-url': { type: 'string' },
      'webhook-secret': { type: 'string' },
      'webhook-retry-delays': { type: 'string' },
      'claims-mode': { type: 'string' },
      'sign-in-mfa': { type: 'string' },
      'mfa-succeeded-session-id': { type: 'boolean' },
      'auth-time-claim': { type: 'boolean' },
      'rate-limits': { type: 'string' },
      issuer: { type: 'string' },
      'sign-out-redirect-uri': { type: 'string', multiple: true },
      'record-traffic': { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) return null;
  const webhookUrl = values['webhook-url'] ?? env.WORKOS_EMULATOR_WEBHOOK_URL;
  const webhookSecret = values['webhook-secret'] ?? env.WORKOS_EMULATOR_WEBHOOK_SECRET;
  if ((webhookUrl === undefined) !== (webhookSecret === undefined))
    throw new EmulatorOptionError('--webhook-url and --webhook-secret go together');
  const options: WorkosEmulatorOptions = {
    port: parsePort(values.port ?? env.WORKOS_EMULATOR_PORT ?? String(DEFAULT_CLI_PORT)),
    host: values.host ?? env.WORKOS_EMULATOR_HOST,
    seed: values.seed ?? env.WORKOS_EMULATOR_SEED,
    clientId: values['client-id'] ?? env.WORKOS_EMULATOR_CLIENT_ID,
    apiKey: values['api-key'] ?? env.WORKOS_EMULATOR_API_KEY,
    redirectUris: values['redirect-uri'] ?? envList(env.WORKOS_EMULATOR_REDIRECT_URIS),
    webhook:
      webhookUrl !== undefined && webhookSecret !== undefined ? { url: webhookUrl, secret: webhookSecret } : null,
    webhookRetryDelaysMs: parseDelays(values['webhook-retry-delays'] ?? env.WORKOS_EMULATOR_WEBHOOK_RETRY_DELAYS),
    claimsMode: (values['claims-mode'] ?? env.WORKOS_EMULATOR_CLAIMS_MODE) as WorkosEmulatorOptions['claimsMode'],
    signInMfa: (values['sign-in-mfa'] ?? env.WORKOS_EMULATOR_SIGN_IN_MFA) as WorkosEmulatorOptions['signInMfa'],
    mfaSucceededSessionId:
      values['mfa-succeeded-session-id'] ?? env.WORKOS_EMULATOR_MFA_SUCCEEDED_SESSION_ID === 'true',
    authTimeClaim: values['auth-time-claim'] ?? env.WORKOS_EMULATOR_AUTH_TIME_CLAIM === 'true',
    rateLimits: (values['rate-limits'] ?? env.WORKOS_EMULATOR_RATE_LIMITS) as WorkosEmulatorOptions['rateLimits'],
    issuer: values.issuer ?? env.WORKOS_EMULATOR_ISSUER,
    signOutRedirectUris: values['sign-out-redirect-uri'] ?? envList(env.WORKOS_EMULATOR_SIGN_OUT_REDIRECT_URIS),
    recordTraffic: values['record-traffic'] ?? env.WORKOS_EMULATOR_RECORD_TRAFFIC === 'true',
  };
  return { options, json: values.json ?? false };
}

/**
 * The app's environment for this emulator. The webhook secret is never printed (it is the one you passed), and the
 * redirect URI only when exactly one is allowed.
 */
function appEnv(emulator: WorkosEmulator, redirectUris: readonly string[] | undefined): Record<string, string> {
  const env = workosApiEnv({
    hostname: new URL(emulator.url).hostname,
    port: emulator.port,
    apiKey: emulator.apiKey,
    clientId: emulator.clientId,
  });
  if (redirectUris?.length === 1) env.NEXT_PUBLIC_WORKOS_REDIRECT_URI = redirectUris[0]!;
  return env;
}

/** The `--json` ready line: everything a script needs to point an app or a test at this emulator. */
function readyLine(emulator: WorkosEmulator, env: Record<string, string>): string {
  const { webhook, ...config } = emulator.control.config();
  return JSON.stringify({
    ready: true,
    service: 'workos-emulator',
    pid: process.pid,
    url: emulator.url,
    host: emulator.host,
    port: emulator.port,
    clientId: emulator.clientId,
    apiKey: emulator.apiKey,
    issuer: emulator.issuer,
    config: { ...config, webhook: webhook === null ? null : { url: webhook.url } },
    env,
  });
}

function humanSummary(emulator: WorkosEmulator, env: Record<string, string>): string {
  const { url, control } = emulator;
  const config = control.config();
  const lines = [
    `WorkOS emulator listening on ${url}`,
    `  claims mode: ${config.claimsMode}   sign-in MFA: ${config.signInMfa}   mfa_succeeded session_id: ${config.mfaSucceededSessionId}`,
    `  auth_time in today-mode tokens: ${config.authTimeClaim}   rate limits: ${config.rateLimits}   iss: ${emulator.issuer}`,
    `  webhooks: ${config.webhook ? `${config.webhook.url} (signed with your --webhook-secret, set it as the app's WORKOS_WEBHOOK_SECRET)` : 'off'}`,
    '',
    'Point the app at it (.env.local):',
    ...Object.entries(env).map(([name, value]) => `${name}=${value}`),
    '',
    'Seeded users:',
  ];
  for (const user of control.users()) {
    const orgs = user.organizations.map((o) => `${o.id} (${o.role})`).join(', ') || 'no organization';
    const login =
      user.password !== null ? `password ${user.password}` : user.sso ? 'SSO (Continue with SSO)' : 'no sign-in';
    lines.push(`  ${user.email.padEnd(20)} ${login.padEnd(28)} ${orgs}`);
    for (const factor of user.totpFactors)
      lines.push(`  ${''.padEnd(20)} TOTP secret ${factor.secret} (factor ${factor.id})`);
  }
  lines.push(
    '',
    `Control routes: ${url}/__emulator/health | reset | config | clock | sessions | users | deliveries | audit-events | throttle | traffic/take`,
  );
  return lines.join('\n');
}

async function main(): Promise<void> {
  let parsed: ReturnType<typeof optionsFrom>;
  try {
    parsed = optionsFrom(process.argv.slice(2), process.env);
  } catch (error) {
    console.error(`workos-emulator: ${(error as Error).message}\n\n${HELP}`);
    process.exit(2);
  }
  if (parsed === null) {
    console.log(HELP);
    return;
  }
  const emulator = await startWorkosEmulator(parsed.options);
  // Before saying it is ready: a script may stop it as soon as it reads the line.
  stopOnSignals(emulator);
  const env = appEnv(emulator, parsed.options.redirectUris);
  console.log(parsed.json ? readyLine(emulator, env) : humanSummary(emulator, env));
}

main().catch((error: unknown) => {
  if (error instanceof SeedError || error instanceof EmulatorOptionError) {
    console.error(`workos-emulator: ${error.message}`);
    process.exit(2);
  }
  console.error(`workos-emulator: could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
