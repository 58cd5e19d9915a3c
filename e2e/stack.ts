/**
 * The e2e stack, run as its own process (`tsx e2e/stack.ts`; Playwright's loader cannot run the emulators'
 * ES modules): scripts/stack/stack.ts with a real redis-server behind the Upstash stand-in, the WorkOS emulator
 * with the e2e seed, and the app — built into `.next-e2e` only when its inputs changed — under `next start` on
 * E2E_APP_PORT. When everything answers it prints one line `E2E_READY {json}`; SIGTERM or SIGINT stops it all.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SEED_PATH, loadSeed } from '../emulators/workos';
import { startNextServer } from '../scripts/stack/next-server';
import { startStack } from '../scripts/stack/stack';
import {
  E2E_APP_PORT,
  E2E_AUDIT_STREAM_KEY,
  E2E_BASE_URL,
  E2E_WEBHOOK_SECRET,
  E2E_WHOLE_SESSION_PORT,
  E2E_WHOLE_SESSION_URL,
  E2E_WINDOWS,
} from './support/env';
import { READY_PREFIX } from './support/stack-protocol';
import { e2eSeed } from './support/users';

async function start(): Promise<() => Promise<void>> {
  const started = Date.now();
  const stateDir = await mkdtemp(join(tmpdir(), 'authkit-mfa-e2e-'));
  const stack = await startStack({
    ports: { app: E2E_APP_PORT },
    upstash: { backend: 'redis' },
    workos: {
      seed: e2eSeed(await loadSeed(DEFAULT_SEED_PATH)),
      redirectUris: [`${E2E_BASE_URL}/callback`, `${E2E_WHOLE_SESSION_URL}/callback`],
      // Like the dashboard's sign-out redirects: the app's /logout returns to its home page only.
      signOutRedirectUris: [`${E2E_BASE_URL}/`, `${E2E_WHOLE_SESSION_URL}/`],
      // `authentication.mfa_succeeded` carries no session_id, as WorkOS sends it today; the webhook spec switches it on.
      mfaSucceededSessionId: false,
    },
    app: { distDir: '.next-e2e' },
    windows: E2E_WINDOWS,
    env: {
      WORKOS_WEBHOOK_SECRET: E2E_WEBHOOK_SECRET,
      MFA_AUDIT_STREAM_KEY: E2E_AUDIT_STREAM_KEY,
      MFA_RATE_LIMITER: 'ratelimit',
      MFA_ENROLL_MAX_AGE: E2E_WINDOWS.enrollMaxAge,
    },
    log: (line) => console.log(`[e2e] ${line}`),
  }).catch(async (error: unknown) => {
    await rm(stateDir, { recursive: true, force: true });
    throw error;
  });
  const { emulator, upstash, redis, env } = stack;
  // The same build a second time, as the "MFA for the whole session" recipe (no second build: the switch and
  // the callback address are read at run time).
  const wholeSession = await startNextServer({
    port: E2E_WHOLE_SESSION_PORT,
    env: {
      ...env,
      NODE_ENV: 'production',
      NEXT_DIST_DIR: '.next-e2e',
      MFA_WHOLE_SESSION: '1',
      MFA_WHOLE_SESSION_SSO: 'trust',
      WORKOS_REDIRECT_URI: `${E2E_WHOLE_SESSION_URL}/callback`,
    },
  }).catch(async (error: unknown) => {
    await stack.stop();
    await rm(stateDir, { recursive: true, force: true });
    throw error;
  });
  console.log(
    `[e2e] app ${E2E_BASE_URL} (${stack.build}) and ${E2E_WHOLE_SESSION_URL} (whole session), WorkOS emulator ${emulator!.url}, Upstash stand-in ${upstash!.url} → ${redis!.url}; ready in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  // The tests get the app's own settings too, as a team's CI would give its tests (see "Testing your app").
  const shared = [
    'WORKOS_API_KEY',
    'WORKOS_CLIENT_ID',
    'WORKOS_COOKIE_PASSWORD',
    'WORKOS_API_HOSTNAME',
    'WORKOS_API_HTTPS',
    'WORKOS_API_PORT',
    'UPSTASH_REDIS_REST_URL',
    'UPSTASH_REDIS_REST_TOKEN',
  ];
  const appSettings = Object.fromEntries(shared.map((name) => [name, env[name] ?? '']));
  console.log(
    `${READY_PREFIX}${JSON.stringify({ ...appSettings, E2E_WORKOS_URL: emulator!.url, E2E_REDIS_URL: redis!.url, E2E_STATE_DIR: stateDir })}`,
  );
  return async () => {
    await wholeSession.stop();
    await stack.stop();
    if (process.env.E2E_APP_LOG) console.log(stack.output());
    await rm(stateDir, { recursive: true, force: true });
  };
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
