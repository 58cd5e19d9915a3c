/**
 * The e2e stack, run as its own process (`tsx e2e/stack.ts`; Playwright's loader cannot run the emulators'
 * ES modules): a real redis-server, the Upstash REST stand-in in front of it, the WorkOS emulator with the
 * e2e seed, then the app — built only when its inputs changed — under `next start`. When everything answers
 * it prints one line `E2E_READY {json}`; SIGTERM or SIGINT stops it all.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startUpstashStandIn } from '../emulators/upstash/server';
import { DEFAULT_SEED_PATH, loadSeed, startWorkosEmulator, authkitEnv } from '../emulators/workos';
import { ensureBuild } from '../scripts/build-stamp';
import { DEMO_SECRETS } from '../scripts/demo-env';
import { startRedis } from '../test-support/redis-server';
import { E2E_APP_PORT, E2E_AUDIT_STREAM_KEY, E2E_BASE_URL, E2E_WEBHOOK_SECRET, E2E_WHOLE_SESSION_PORT, E2E_WHOLE_SESSION_URL, E2E_WINDOWS } from './support/env';
import { READY_PREFIX } from './support/stack-protocol';
import { e2eSeed } from './support/users';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST_DIR = '.next-e2e';

async function waitForApp(url: string, exited: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited()) throw new Error('next start exited before it answered.');
    try {
      await fetch(url, { redirect: 'manual' });
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`The app did not answer on ${url} within ${timeoutMs} ms.`, { cause: error });
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

async function start(): Promise<() => Promise<void>> {
  const started = Date.now();
  const cleanups: Array<() => Promise<unknown>> = [];
  const teardown = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => console.error('[e2e teardown]', error));
  };
  try {
    const redis = await startRedis();
    cleanups.push(() => redis.stop());
    const standIn = await startUpstashStandIn({ port: 0, token: DEMO_SECRETS.upstashToken, redisUrl: redis.url });
    cleanups.push(() => standIn.close());
    // Webhooks go to the app (127.0.0.1: `next start` listens on IPv4 only). `authentication.mfa_succeeded`
    // carries no session_id, as WorkOS sends it today; the webhook spec switches that on for its own test.
    const emulator = await startWorkosEmulator({
      port: 0,
      seed: e2eSeed(await loadSeed(DEFAULT_SEED_PATH)),
      apiKey: DEMO_SECRETS.workosApiKey,
      clientId: DEMO_SECRETS.workosClientId,
      redirectUris: [`${E2E_BASE_URL}/callback`, `${E2E_WHOLE_SESSION_URL}/callback`],
      // Like the dashboard's sign-out redirects: the app's /logout returns to its home page only.
      signOutRedirectUris: [`${E2E_BASE_URL}/`, `${E2E_WHOLE_SESSION_URL}/`],
      webhook: { url: `http://127.0.0.1:${E2E_APP_PORT}/api/webhooks/workos`, secret: E2E_WEBHOOK_SECRET },
      mfaSucceededSessionId: false,
    });
    cleanups.push(() => emulator.close());
    const stateDir = await mkdtemp(join(tmpdir(), 'authkit-mfa-e2e-'));
    cleanups.push(() => rm(stateDir, { recursive: true, force: true }));

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      NEXT_DIST_DIR: DIST_DIR,
      ...authkitEnv({ port: emulator.port, apiKey: emulator.apiKey, clientId: emulator.clientId, cookiePassword: DEMO_SECRETS.cookiePassword, redirectUri: `${E2E_BASE_URL}/callback` }),
      UPSTASH_REDIS_REST_URL: standIn.url,
      UPSTASH_REDIS_REST_TOKEN: standIn.token,
      WORKOS_WEBHOOK_SECRET: E2E_WEBHOOK_SECRET,
      MFA_AUDIT_STREAM_KEY: E2E_AUDIT_STREAM_KEY,
      MFA_ROTATE_KEYS_MAX_AGE: E2E_WINDOWS.rotateKeysMaxAge,
      MFA_STEP_UP_ATTEMPTS: String(E2E_WINDOWS.stepUpAttempts),
      MFA_STEP_UP_WINDOW: E2E_WINDOWS.stepUpWindow,
      MFA_RATE_LIMITER: 'ratelimit',
      MFA_ENROLL_MAX_AGE: E2E_WINDOWS.enrollMaxAge,
    };
    const build = await ensureBuild({ distDir: DIST_DIR, env, log: (line) => console.log(`[e2e] ${line}`) });

    const startApp = async (port: number, url: string, appEnv: NodeJS.ProcessEnv) => {
      const app = spawn(join(ROOT, 'node_modules', '.bin', 'next'), ['start', '-p', String(port), '-H', '127.0.0.1'], { cwd: ROOT, env: appEnv, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000));
      app.stdout?.on('data', keep);
      app.stderr?.on('data', keep);
      const exited = new Promise<void>((resolve) => app.once('exit', () => resolve()));
      cleanups.push(async () => {
        if (app.exitCode === null) app.kill('SIGTERM');
        await exited;
        if (process.env.E2E_APP_LOG) console.log(output);
      });
      await waitForApp(url, () => app.exitCode !== null).catch((error: unknown) => {
        throw new Error(`${(error as Error).message}\n${output}`);
      });
    };
    // The same build twice: the demo as configured, and the "MFA for the whole session" recipe (no second build:
    // the switch and the callback address are read at run time).
    await Promise.all([
      startApp(E2E_APP_PORT, E2E_BASE_URL, env),
      startApp(E2E_WHOLE_SESSION_PORT, E2E_WHOLE_SESSION_URL, { ...env, MFA_WHOLE_SESSION: '1', MFA_WHOLE_SESSION_SSO: 'trust', WORKOS_REDIRECT_URI: `${E2E_WHOLE_SESSION_URL}/callback` }),
    ]);

    console.log(`[e2e] app ${E2E_BASE_URL} (${build}) and ${E2E_WHOLE_SESSION_URL} (whole session), WorkOS emulator ${emulator.url}, Upstash stand-in ${standIn.url} → ${redis.url}; ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    // The tests get the app's own settings too, as a team's CI would give its tests (see "Testing your app").
    const shared = ['WORKOS_API_KEY', 'WORKOS_CLIENT_ID', 'WORKOS_COOKIE_PASSWORD', 'WORKOS_API_HOSTNAME', 'WORKOS_API_HTTPS', 'WORKOS_API_PORT', 'UPSTASH_REDIS_REST_URL', 'UPSTASH_REDIS_REST_TOKEN'];
    const appSettings = Object.fromEntries(shared.map((name) => [name, env[name] ?? '']));
    console.log(`${READY_PREFIX}${JSON.stringify({ ...appSettings, E2E_WORKOS_URL: emulator.url, E2E_REDIS_URL: redis.url, E2E_STATE_DIR: stateDir })}`);
    return teardown;
  } catch (error) {
    await teardown();
    throw error;
  }
}

start().then(
  (stop) => {
    let stopping = false;
    const shutdown = () => {
      if (stopping) return;
      stopping = true;
      void stop().then(() => process.exit(0));
    };
    process.on('SIGTERM', shutdown);
    process.on('SIGINT', shutdown);
  },
  (error: unknown) => {
    console.error(`[e2e] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
