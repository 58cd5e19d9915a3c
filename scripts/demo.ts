/**
 * `npm run demo`: the whole demo on one machine with no accounts — the WorkOS emulator (4455), the Upstash
 * REST stand-in keeping data in memory (8079), and the app (`next start`, 3000), built first when needed.
 * The emulator delivers signed webhooks to the app's `/api/webhooks/workos` with the app's
 * WORKOS_WEBHOOK_SECRET. Like WorkOS today, its `authentication.mfa_succeeded` events carry no `session_id`
 * (so they only leave an uncorrelated audit record); `WORKOS_EMULATOR_MFA_SUCCEEDED_SESSION_ID=true` adds it.
 * Variables from the environment, `.env.local` or `.env` win; setting `WORKOS_API_HOSTNAME` or
 * `UPSTASH_REDIS_REST_URL` uses the real service instead of the stand-in. Ctrl-C stops everything.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { startUpstashStandIn, type UpstashStandIn } from '../emulators/upstash/server';
import { startWorkosEmulator, type WorkosEmulator } from '../emulators/workos';
import { ensureBuild } from './build-stamp';
import { DEMO_PORTS, DEMO_SECRETS, withDemoDefaults } from './demo-env';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
let app: ChildProcess | null = null;

function loadEnvFiles(): void {
  for (const file of ['.env.local', '.env']) if (existsSync(join(ROOT, file))) process.loadEnvFile(join(ROOT, file));
}

async function waitForApp(url: string, child: ChildProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited with code ${child.exitCode}.`);
    try {
      await fetch(url, { redirect: 'manual' });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`The app did not answer on ${url} within ${timeoutMs / 1000} s.`);
}

function banner(appUrl: string, emulator: WorkosEmulator | null, standIn: UpstashStandIn | null, webhookUrl: string): string {
  const lines = ['', `  Acme Console (session-MFA demo) is running: ${appUrl}`, ''];
  lines.push(emulator ? `  WorkOS:  local emulator at ${emulator.url} (hosted sign-in, MFA API, signed webhooks to ${webhookUrl})` : '  WorkOS:  the real API (WORKOS_API_HOSTNAME is set)');
  lines.push(standIn ? `  Redis:   Upstash REST stand-in at ${standIn.url}, data IN MEMORY (lost on exit)` : '  Redis:   UPSTASH_REDIS_REST_URL from your environment');
  if (emulator) {
    lines.push('', '  Seeded users:');
    for (const user of emulator.control.users()) {
      const how = user.sso ? 'Continue with SSO (no password)' : `password ${user.password ?? '—'}`;
      const totp = user.totpFactors.length > 0 ? `TOTP secret ${user.totpFactors.map((f) => f.secret).join(', ')}` : 'no authenticator';
      lines.push(`    ${user.email.padEnd(20)} ${how.padEnd(34)} ${totp}`);
    }
    lines.push('', '  Current TOTP codes: GET ' + `${emulator.url}/__emulator/users (codeNow), or any authenticator app with the secret.`);
  }
  lines.push('', `  Try: sign in as alice, open ${appUrl}/admin, enter her code on the step-up page.`, `  Then ${appUrl}/audit (org admins) lists every MFA decision; bob sees a 403 there.`, '  Ctrl-C stops everything.', '');
  return lines.join('\n');
}

async function main(): Promise<void> {
  loadEnvFiles();
  const useEmulator = !process.env.WORKOS_API_HOSTNAME;
  const useStandIn = !process.env.UPSTASH_REDIS_REST_URL;
  // The in-memory stand-in has no Lua, which @upstash/ratelimit needs: count attempts with plain commands.
  const env: NodeJS.ProcessEnv = { ...withDemoDefaults(process.env), ...(useStandIn && !process.env.MFA_RATE_LIMITER ? { MFA_RATE_LIMITER: 'counter' } : {}) };
  const appPort = Number(process.env.PORT ?? DEMO_PORTS.app);

  await ensureBuild({ distDir: '.next', env });

  // 127.0.0.1, not localhost: `next start` listens on IPv4 only.
  const webhook = { url: `http://127.0.0.1:${appPort}/api/webhooks/workos`, secret: env.WORKOS_WEBHOOK_SECRET ?? DEMO_SECRETS.webhookSecret };
  const emulator = useEmulator
    ? await startWorkosEmulator({
        port: DEMO_PORTS.workos,
        apiKey: env.WORKOS_API_KEY ?? DEMO_SECRETS.workosApiKey,
        clientId: env.WORKOS_CLIENT_ID ?? DEMO_SECRETS.workosClientId,
        webhook,
        mfaSucceededSessionId: env.WORKOS_EMULATOR_MFA_SUCCEEDED_SESSION_ID === 'true',
      })
    : null;
  const standIn = useStandIn ? await startUpstashStandIn({ port: DEMO_PORTS.upstash, token: env.UPSTASH_REDIS_REST_TOKEN ?? DEMO_SECRETS.upstashToken, memory: true }) : null;

  const next = (app = spawn(join(ROOT, 'node_modules', '.bin', 'next'), ['start', '-p', String(appPort), '-H', '127.0.0.1'], { cwd: ROOT, env, stdio: ['ignore', 'inherit', 'inherit'] }));
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    next.kill('SIGTERM');
    await Promise.allSettled([emulator?.close(), standIn?.close()]);
    process.exit(code);
  };
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));
  next.once('exit', (code) => void stop(code ?? 1));

  const appUrl = `http://localhost:${appPort}`;
  await waitForApp(appUrl, next);
  console.log(banner(appUrl, emulator, standIn, webhook.url));
}

main().catch((error: unknown) => {
  console.error(`[demo] ${error instanceof Error ? error.message : String(error)}`);
  app?.kill('SIGTERM');
  process.exit(1);
});
