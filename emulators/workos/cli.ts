// `npm run emulator -- --port 4455 --seed FILE …`: starts the emulator and prints how to use it.
import { parseArgs } from 'node:util';
import { DEFAULT_CLI_PORT, EmulatorOptionError, type WorkosEmulatorOptions } from './options';
import { SeedError } from './seed';
import { startWorkosEmulator } from './server';

const HELP = `Local WorkOS API emulator

Usage: npm run emulator -- [options]

  --port N                    port (env WORKOS_EMULATOR_PORT, default ${DEFAULT_CLI_PORT}; 0 = any free port)
  --host ADDR                 loopback address to bind (env WORKOS_EMULATOR_HOST, default 127.0.0.1)
  --seed FILE                 seed JSON (env WORKOS_EMULATOR_SEED, default emulators/workos/seed.json)
  --client-id ID              (env WORKOS_EMULATOR_CLIENT_ID, default client_emulator)
  --api-key KEY               (env WORKOS_EMULATOR_API_KEY, default sk_test_emulator)
  --redirect-uri URI          allowed redirect URI, repeatable (env WORKOS_EMULATOR_REDIRECT_URIS, comma-separated;
                              default: any http(s) URL)
  --webhook-url URL           webhook endpoint (env WORKOS_EMULATOR_WEBHOOK_URL)
  --webhook-secret SECRET     webhook signing secret (env WORKOS_EMULATOR_WEBHOOK_SECRET)
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
  --help                      show this help
`;

function envList(value: string | undefined): string[] | undefined {
  const items = value?.split(',').map((s) => s.trim()).filter(Boolean);
  return items && items.length > 0 ? items : undefined;
}

function parsePort(value: string): number {
  if (!/^\d+$/.test(value)) throw new EmulatorOptionError(`--port must be a number, got "${value}"`);
  return Number(value);
}

function optionsFrom(argv: string[], env: NodeJS.ProcessEnv): WorkosEmulatorOptions | null {
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
      'claims-mode': { type: 'string' },
      'sign-in-mfa': { type: 'string' },
      'mfa-succeeded-session-id': { type: 'boolean' },
      'auth-time-claim': { type: 'boolean' },
      'rate-limits': { type: 'string' },
      issuer: { type: 'string' },
      'sign-out-redirect-uri': { type: 'string', multiple: true },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) return null;
  const webhookUrl = values['webhook-url'] ?? env.WORKOS_EMULATOR_WEBHOOK_URL;
  const webhookSecret = values['webhook-secret'] ?? env.WORKOS_EMULATOR_WEBHOOK_SECRET;
  if ((webhookUrl === undefined) !== (webhookSecret === undefined)) throw new EmulatorOptionError('--webhook-url and --webhook-secret go together');
  return {
    port: parsePort(values.port ?? env.WORKOS_EMULATOR_PORT ?? String(DEFAULT_CLI_PORT)),
    host: values.host ?? env.WORKOS_EMULATOR_HOST,
    seed: values.seed ?? env.WORKOS_EMULATOR_SEED,
    clientId: values['client-id'] ?? env.WORKOS_EMULATOR_CLIENT_ID,
    apiKey: values['api-key'] ?? env.WORKOS_EMULATOR_API_KEY,
    redirectUris: values['redirect-uri'] ?? envList(env.WORKOS_EMULATOR_REDIRECT_URIS),
    webhook: webhookUrl !== undefined && webhookSecret !== undefined ? { url: webhookUrl, secret: webhookSecret } : null,
    claimsMode: (values['claims-mode'] ?? env.WORKOS_EMULATOR_CLAIMS_MODE) as WorkosEmulatorOptions['claimsMode'],
    signInMfa: (values['sign-in-mfa'] ?? env.WORKOS_EMULATOR_SIGN_IN_MFA) as WorkosEmulatorOptions['signInMfa'],
    mfaSucceededSessionId: values['mfa-succeeded-session-id'] ?? env.WORKOS_EMULATOR_MFA_SUCCEEDED_SESSION_ID === 'true',
    authTimeClaim: values['auth-time-claim'] ?? env.WORKOS_EMULATOR_AUTH_TIME_CLAIM === 'true',
    rateLimits: (values['rate-limits'] ?? env.WORKOS_EMULATOR_RATE_LIMITS) as WorkosEmulatorOptions['rateLimits'],
    issuer: values.issuer ?? env.WORKOS_EMULATOR_ISSUER,
    signOutRedirectUris: values['sign-out-redirect-uri'] ?? envList(env.WORKOS_EMULATOR_SIGN_OUT_REDIRECT_URIS),
  };
}

async function main(): Promise<void> {
  let options: WorkosEmulatorOptions | null;
  try {
    options = optionsFrom(process.argv.slice(2), process.env);
  } catch (error) {
    console.error(`workos-emulator: ${(error as Error).message}\n\n${HELP}`);
    process.exit(2);
  }
  if (options === null) {
    console.log(HELP);
    return;
  }
  const emulator = await startWorkosEmulator(options);
  const { url, port, clientId, apiKey, control } = emulator;
  const config = control.config();
  const lines = [
    `WorkOS emulator listening on ${url}`,
    `  claims mode: ${config.claimsMode}   sign-in MFA: ${config.signInMfa}   mfa_succeeded session_id: ${config.mfaSucceededSessionId}`,
    `  auth_time in today-mode tokens: ${config.authTimeClaim}   rate limits: ${config.rateLimits}   iss: ${emulator.issuer}`,
    `  webhooks: ${config.webhook ? config.webhook.url : 'off'}`,
    '',
    'Point the app at it (.env.local):',
    `  WORKOS_API_HOSTNAME=${emulator.host}`,
    '  WORKOS_API_HTTPS=false',
    `  WORKOS_API_PORT=${port}`,
    `  WORKOS_CLIENT_ID=${clientId}`,
    `  WORKOS_API_KEY=${apiKey}`,
    '',
    'Seeded users:',
  ];
  for (const user of control.users()) {
    const orgs = user.organizations.map((o) => `${o.id} (${o.role})`).join(', ') || 'no organization';
    const login = user.password !== null ? `password ${user.password}` : user.sso ? 'SSO (Continue with SSO)' : 'no sign-in';
    lines.push(`  ${user.email.padEnd(20)} ${login.padEnd(28)} ${orgs}`);
    for (const factor of user.totpFactors) lines.push(`  ${''.padEnd(20)} TOTP secret ${factor.secret} (factor ${factor.id})`);
  }
  lines.push('', `Control routes: ${url}/__emulator/health | reset | config | clock | sessions | users | deliveries | audit-events | throttle`);
  console.log(lines.join('\n'));

  const stop = (): void => {
    void emulator.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  if (error instanceof SeedError || error instanceof EmulatorOptionError) {
    console.error(`workos-emulator: ${error.message}`);
    process.exit(2);
  }
  console.error(error);
  process.exit(1);
});
