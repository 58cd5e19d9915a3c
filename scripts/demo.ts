/**
 * `npm run demo`: the whole demo on one machine with no accounts — the WorkOS emulator (4455), the Upstash
 * REST stand-in keeping data in memory (8079), and the app (`next start`, 3000), built first when needed.
 * The emulator delivers signed webhooks to the app's `/api/webhooks/workos` with the app's
 * WORKOS_WEBHOOK_SECRET. Like WorkOS today, its `authentication.mfa_succeeded` events carry no `session_id`
 * (so they only leave an uncorrelated audit record); `WORKOS_EMULATOR_MFA_SUCCEEDED_SESSION_ID=true` adds it.
 * Variables from the environment, `.env.local` or `.env` win; setting `WORKOS_API_HOSTNAME` or
 * `UPSTASH_REDIS_REST_URL` uses the real service instead of the stand-in. Ctrl-C stops everything.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { WorkosEmulator } from '../emulators/workos';
import { DEMO_PORTS, withDemoDefaults } from './demo-env';
import { startStack, type Stack } from './stack/stack';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
let stack: Stack | null = null;

function loadEnvFiles(): void {
  for (const file of ['.env.local', '.env']) if (existsSync(join(ROOT, file))) process.loadEnvFile(join(ROOT, file));
}

function banner(
  appUrl: string,
  emulator: WorkosEmulator | null,
  standInUrl: string | null,
  webhookUrl: string,
): string {
  const lines = ['', `  Acme Console (session-MFA demo) is running: ${appUrl}`, ''];
  lines.push(
    emulator
      ? `  WorkOS:  local emulator at ${emulator.url} (hosted sign-in, MFA API, signed webhooks to ${webhookUrl})`
      : '  WorkOS:  the real API (WORKOS_API_HOSTNAME is set)',
  );
  lines.push(
    standInUrl
      ? `  Redis:   Upstash REST stand-in at ${standInUrl}, data IN MEMORY (lost on exit)`
      : '  Redis:   UPSTASH_REDIS_REST_URL from your environment',
  );
  if (emulator) {
    lines.push('', '  Seeded users:');
    for (const user of emulator.control.users()) {
      const how = user.sso ? 'Continue with SSO (no password)' : `password ${user.password ?? '—'}`;
      const totp =
        user.totpFactors.length > 0
          ? `TOTP secret ${user.totpFactors.map((f) => f.secret).join(', ')}`
          : 'no authenticator';
      lines.push(`    ${user.email.padEnd(20)} ${how.padEnd(34)} ${totp}`);
    }
    lines.push(
      '',
      '  Current TOTP codes: GET ' +
        `${emulator.url}/__emulator/users (codeNow), or any authenticator app with the secret.`,
    );
  }
  lines.push(
    '',
    `  Try: sign in as alice, open ${appUrl}/admin, enter her code on the step-up page.`,
    `  Then ${appUrl}/audit (org admins) lists every MFA decision; bob sees a 403 there.`,
    '  Ctrl-C stops everything.',
    '',
  );
  return lines.join('\n');
}

async function main(): Promise<void> {
  loadEnvFiles();
  const useEmulator = !process.env.WORKOS_API_HOSTNAME;
  const useStandIn = !process.env.UPSTASH_REDIS_REST_URL;
  const appPort = Number(process.env.PORT ?? DEMO_PORTS.app);
  // The in-memory stand-in has no Lua, which @upstash/ratelimit needs: count attempts with plain commands.
  const env: NodeJS.ProcessEnv = {
    ...withDemoDefaults(process.env, { ...DEMO_PORTS, app: appPort }),
    ...(useStandIn && !process.env.MFA_RATE_LIMITER ? { MFA_RATE_LIMITER: 'counter' } : {}),
  };

  const started = (stack = await startStack({
    ports: { app: appPort, workos: DEMO_PORTS.workos, upstash: DEMO_PORTS.upstash },
    workos: useEmulator && { mfaSucceededSessionId: env.WORKOS_EMULATOR_MFA_SUCCEEDED_SESSION_ID === 'true' },
    upstash: useStandIn && { backend: 'memory' },
    app: { distDir: '.next', output: 'inherit' },
    env,
  }));
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await started.stop();
    process.exit(code);
  };
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));
  void started.appExited.then((code) => stop(code ?? 1));

  // localhost for people (the callback URL names it); the server itself listens on 127.0.0.1.
  const appUrl = `http://localhost:${appPort}`;
  console.log(banner(appUrl, started.emulator, started.upstash?.url ?? null, `${started.appUrl}/api/webhooks/workos`));
}

main().catch(async (error: unknown) => {
  console.error(`[demo] ${error instanceof Error ? error.message : String(error)}`);
  await stack?.stop();
  process.exit(1);
});
