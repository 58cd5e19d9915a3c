/**
 * The one place that starts the whole local stack: the WorkOS emulator, the Upstash REST stand-in (in memory,
 * or in front of a throwaway `redis-server`), and the demo app under `next start` — built first when its
 * sources changed (scripts/build-stamp.ts). `npm run demo`, the e2e run (e2e/stack.ts), `npm run test:load`
 * and `npm run bench` each start it with their own options. Everything listens on 127.0.0.1.
 *
 * The app gets the stand-ins' embedded settings (scripts/demo-env.ts): only the demo and the test harnesses
 * come here; `npm run build` / `npm start` never do (scripts/with-env-check.ts).
 */
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startUpstashStandIn, type StandInFault } from '../../emulators/upstash/server';
import { startWorkosEmulator, type WorkosEmulator, type WorkosEmulatorOptions } from '../../emulators/workos';
import { freePort } from '../../test-support/free-port';
import { startRedis, type RedisProcess } from '../../test-support/redis-server';
import { ensureBuild } from '../build-stamp';
import { DEMO_SECRETS, demoEnv } from '../demo-env';
import { startNextServer, type NextServer } from './next-server';
import { startUpstashProcess } from './upstash-process';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Variables, as `process.env` holds them. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Emulator settings a caller may choose; keys and ports come from the stack. */
export type StackEmulatorOptions = Pick<
  WorkosEmulatorOptions,
  'seed' | 'claimsMode' | 'rateLimits' | 'mfaSucceededSessionId' | 'redirectUris' | 'signOutRedirectUris'
>;

/** The Upstash stand-in: where it keeps data, and whether it runs in its own process. */
export interface StackUpstashOptions {
  /** `memory`: nothing to install, no Lua (the one-command demo). `redis`: a throwaway `redis-server` behind it. */
  readonly backend: 'memory' | 'redis';
  /** In a child process, so its work stays off the caller's event loop (load generators). @default false */
  readonly ownProcess?: boolean;
}

/** The demo app under `next start`. */
export interface StackAppOptions {
  /** Build directory (`NEXT_DIST_DIR`); built there when its stamp does not match. @default '.next' */
  readonly distDir?: string;
  /**
   * Environment of the build when it differs from the app's, e.g. the demo's own (port 3000 compiled in) for a
   * server on a free port. @default the app's environment
   */
  readonly buildEnv?: Env;
  /** Serve a private copy of the build (removed on stop), so a rebuild elsewhere cannot pull files from under the server. */
  readonly privateCopy?: boolean;
  /** `inherit` prints the server's output here; `keep` keeps its tail for {@link Stack.output}; `errors` keeps stderr only. @default 'keep' */
  readonly output?: 'inherit' | 'keep' | 'errors';
}

/** The app's shortened policy windows, for tests that watch them pass (variables the app reads). */
export interface StackWindows {
  /** `MFA_ROTATE_KEYS_MAX_AGE` (10 minutes in the demo). */
  readonly rotateKeysMaxAge?: string;
  /** `MFA_STEP_UP_ATTEMPTS` (5 in the demo). */
  readonly stepUpAttempts?: number;
  /** `MFA_STEP_UP_WINDOW` (15 minutes in the demo). */
  readonly stepUpWindow?: string;
}

/** Options of {@link startStack}. */
export interface StackOptions {
  /** Fixed ports (the demo's 3000/4455/8079, the e2e app's port compiled into its build); omitted or 0: a free one. */
  readonly ports?: { readonly app?: number; readonly workos?: number; readonly upstash?: number };
  /** The WorkOS emulator, or `false` to leave `WORKOS_*` to {@link StackOptions.env} (the real WorkOS). @default {} */
  readonly workos?: StackEmulatorOptions | false;
  /** The Upstash stand-in, or `false` to leave `UPSTASH_*` to {@link StackOptions.env}. @default { backend: 'redis' } */
  readonly upstash?: StackUpstashOptions | false;
  /** The demo app; `false` for the stand-ins only (the bench serves its own apps). @default false */
  readonly app?: StackAppOptions | false;
  readonly windows?: StackWindows;
  /** Variables the app gets on top of the stand-ins' settings (these win). */
  readonly env?: Env;
  /** Progress lines (building…). @default console.log */
  readonly log?: (line: string) => void;
}

/** The running stand-in, however it runs. */
export interface StackUpstash {
  /** `http://127.0.0.1:<port>`: `new Redis({ url, token })`. */
  readonly url: string;
  readonly token: string;
  /** Fault injection (`POST /__standin/fault`): `{ mode: 'error500' }` is a ledger outage, `{ mode: 'none' }` ends it. */
  setFault(fault: StandInFault): Promise<void>;
}

/** A running stack. */
export interface Stack {
  /** `http://127.0.0.1:<port>` of the app, or `null` without one. */
  readonly appUrl: string | null;
  readonly appPort: number;
  /** The in-process emulator (its `control` drives it), or `null` with the real WorkOS. */
  readonly emulator: WorkosEmulator | null;
  readonly upstash: StackUpstash | null;
  /** The `redis-server` behind the stand-in, or `null` with the memory backend. */
  readonly redis: RedisProcess | null;
  /** The app's environment: what `next start` got (and what a harness needs to mint its sessions). */
  readonly env: Readonly<Record<string, string>>;
  /** Whether the app was built now, found up to date, or not started. */
  readonly build: 'built' | 'up-to-date' | null;
  /** Process id of `next start`, when running. */
  readonly appPid: number | null;
  /** Resolves with the exit code if `next start` exits before {@link Stack.stop}. */
  readonly appExited: Promise<number | null>;
  /** The tail of the app's output (with `output: 'keep'`, or its stderr with `'errors'`). */
  output(): string;
  /** Stops the app, the stand-ins and Redis, and removes a private build copy. Idempotent. */
  stop(): Promise<void>;
}

function windowsEnv(windows: StackWindows = {}): Record<string, string> {
  const env: Record<string, string> = {};
  if (windows.rotateKeysMaxAge !== undefined) env.MFA_ROTATE_KEYS_MAX_AGE = windows.rotateKeysMaxAge;
  if (windows.stepUpAttempts !== undefined) env.MFA_STEP_UP_ATTEMPTS = String(windows.stepUpAttempts);
  if (windows.stepUpWindow !== undefined) env.MFA_STEP_UP_WINDOW = windows.stepUpWindow;
  return env;
}

function definedOnly(env: Env): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}

/**
 * Starts the stack; on any failure stops whatever had started and rethrows.
 * @example
 * ```ts
 * const stack = await startStack({ upstash: { backend: 'redis' }, workos: { rateLimits: 'off' }, app: {} });
 * try { await fetch(`${stack.appUrl}/api/session-mfa`); } finally { await stack.stop(); }
 * ```
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const log = options.log ?? console.log;
  const overrides = definedOnly(options.env ?? {});
  const cleanups: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const cleanup of cleanups.splice(0).reverse())
      await cleanup().catch((error: unknown) => console.error('[stack] stopping:', error));
  };
  try {
    const upstashOptions = options.upstash === undefined ? ({ backend: 'redis' } as const) : options.upstash;
    const token = overrides.UPSTASH_REDIS_REST_TOKEN ?? DEMO_SECRETS.upstashToken;
    let redis: RedisProcess | null = null;
    let upstash: StackUpstash | null = null;
    if (upstashOptions) {
      if (upstashOptions.backend === 'redis') {
        const started = await startRedis();
        redis = started;
        cleanups.push(() => started.stop());
      }
      if (upstashOptions.ownProcess) {
        if (!redis) throw new Error('startStack: a stand-in in its own process needs the redis backend.');
        const child = await startUpstashProcess({ redisUrl: redis.url, token });
        cleanups.push(() => child.close());
        upstash = child;
      } else {
        const standIn = await startUpstashStandIn({
          port: options.ports?.upstash ?? 0,
          token,
          ...(redis ? { redisUrl: redis.url } : { memory: true }),
        });
        cleanups.push(() => standIn.close());
        upstash = { url: standIn.url, token, setFault: async (fault) => standIn.setFault(fault) };
      }
    }

    const app = options.app || null;
    const appPort = options.ports?.app || (app ? await freePort() : 3000);
    const webhookSecret = overrides.WORKOS_WEBHOOK_SECRET ?? DEMO_SECRETS.webhookSecret;
    let emulator: WorkosEmulator | null = null;
    if (options.workos !== false) {
      const started = await startWorkosEmulator({
        ...options.workos,
        port: options.ports?.workos ?? 0,
        apiKey: overrides.WORKOS_API_KEY ?? DEMO_SECRETS.workosApiKey,
        clientId: overrides.WORKOS_CLIENT_ID ?? DEMO_SECRETS.workosClientId,
        // Signed webhooks to the app (127.0.0.1: `next start` listens on IPv4 only).
        webhook: app ? { url: `http://127.0.0.1:${appPort}/api/webhooks/workos`, secret: webhookSecret } : null,
      });
      emulator = started;
      cleanups.push(() => started.close());
    }

    const standInEnv = demoEnv({
      app: appPort,
      workos: emulator?.port ?? 0,
      upstash: upstash ? Number(new URL(upstash.url).port) : 0,
    });
    const env: Record<string, string> = {
      ...definedOnly(process.env),
      ...standInEnv,
      ...windowsEnv(options.windows),
      ...overrides,
      NEXT_TELEMETRY_DISABLED: '1',
    };

    let build: Stack['build'] = null;
    let server: NextServer | null = null;
    if (app) {
      const distDir = app.distDir ?? '.next';
      build = await ensureBuild({ distDir, env: { ...(app.buildEnv ?? env) } as NodeJS.ProcessEnv, log });
      let served = distDir;
      if (app.privateCopy) {
        served = join('.tmp', `next-stack-${process.pid}`);
        const copy = join(ROOT, served);
        rmSync(copy, { recursive: true, force: true });
        cpSync(join(ROOT, distDir), copy, {
          recursive: true,
          filter: (src) => !/^[/\\](cache|types|dev)([/\\]|$)/.test(src.slice(join(ROOT, distDir).length)),
        });
        cleanups.push(async () => rmSync(copy, { recursive: true, force: true }));
      }
      const started = await startNextServer({
        port: appPort,
        env: { ...env, NODE_ENV: 'production', ...(served === '.next' ? {} : { NEXT_DIST_DIR: served }) },
        output: app.output ?? 'keep',
      });
      server = started;
      cleanups.push(() => started.stop());
    }

    return {
      appUrl: server?.url ?? null,
      appPort,
      emulator,
      upstash,
      redis,
      env,
      build,
      appPid: server?.pid ?? null,
      appExited: server?.exited ?? new Promise<never>(() => undefined),
      output: () => server?.output() ?? '',
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
