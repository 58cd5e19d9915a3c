/**
 * `npm run bench`: what the session-MFA check costs, side by side with authkit alone (issue 6).
 * Builds the two bench apps, starts Redis, the Upstash stand-in and the WorkOS emulator, takes the micro and
 * macro figures, prints them and rewrites docs/benchmarks.md. Exits 1 when a load run saw a non-200.
 *
 * Knobs (environment): BENCH_ROUNDS (default 10); BENCH_LEG_SECONDS per throughput leg (default 1, four legs a
 * round); BENCH_SECONDS per mixed latency run (default 2); BENCH_CONNECTIONS (default 8); BENCH_SKIP_BUILD=1 to
 * reuse existing builds; BENCH_NO_DOCS=1 to leave the docs alone.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { Redis } from '@upstash/redis';
import { createSessionLedger } from '../lib/ledger/ledger';
import { upstashStore } from '../lib/ledger/upstash';
import { measureApp, type ComparisonResult, type InvalidRun } from './support/macro';
import { decideThroughput, evaluateThroughput, ledgerMemory, ledgerRoundTrips } from './support/micro';
import { buildApp } from './support/next-app';
import { consoleSummary, markdown, type Figures } from './support/report';
import { signInWithMfaClaims, signInWithoutMfaClaims } from './support/sessions';
import { startStack } from '../scripts/stack/stack';
import { APP_DIRS, COMPARISONS, type AppName } from './support/comparisons';

function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number ≥ 1, got ${raw}.`);
  return value;
}

const started = performance.now();
const log = (line: string) =>
  console.log(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${line}`);

function versionOf(pkg: string): string {
  return (JSON.parse(readFileSync(`node_modules/${pkg}/package.json`, 'utf8')) as { version: string }).version;
}

function redisVersion(): string {
  try {
    return /v=(\S+)/.exec(execFileSync('redis-server', ['--version'], { encoding: 'utf8' }))?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<number> {
  const options = {
    rounds: intEnv('BENCH_ROUNDS', 10),
    legSeconds: intEnv('BENCH_LEG_SECONDS', 1),
    seconds: intEnv('BENCH_SECONDS', 2),
    connections: intEnv('BENCH_CONNECTIONS', 8),
  };
  const loadBefore = loadavg();
  // The stand-in in its own process: in this one it would share an event loop with the load generator.
  const stack = await startStack({ upstash: { backend: 'redis', ownProcess: true }, app: false });
  const emulator = stack.emulator!;
  const redis = stack.redis!;
  const upstashConfig = { url: stack.upstash!.url, token: stack.upstash!.token };
  const appEnv = { ...stack.env, REDIS_URL: redis.url };
  const cookiePassword = stack.env.WORKOS_COOKIE_PASSWORD!;
  try {
    const buildSeconds: Record<string, number> = {};
    for (const app of Object.keys(APP_DIRS) as AppName[]) {
      if (process.env.BENCH_SKIP_BUILD === '1') continue;
      log(`next build ${APP_DIRS[app]} …`);
      buildSeconds[app] = await buildApp(APP_DIRS[app], appEnv);
    }

    log('signing in (claims session: password + TOTP, tomorrow’s tokens; ledger session: password, today’s tokens)');
    const sessions = {
      claims: await signInWithMfaClaims(emulator, cookiePassword),
      ledger: await signInWithoutMfaClaims(emulator, cookiePassword),
    };
    if (!sessions.claims.amr?.includes('mfa') || sessions.ledger.amr !== null)
      throw new Error('Unexpected amr claims on the bench sessions.');
    // The entry the step-up page would write for the ledger session, through the library's own ledger.
    const upstash = new Redis({ ...upstashConfig, automaticDeserialization: false });
    const ledger = createSessionLedger({ store: upstashStore(upstash) });
    await ledger.record({
      sessionId: sessions.ledger.sessionId,
      userId: sessions.ledger.userId,
      organizationId: 'org_acme',
      verifiedAt: Math.floor(Date.now() / 1000),
      methods: ['otp'],
      factorId: 'auth_factor_01JBENCHSTEPUP000000000000',
      challengeId: 'auth_challenge_01JBENCHSTEPUP000000000',
      source: 'step_up',
    });

    log('micro: evaluate(), decide(), ledger round trips, ledger memory');
    const micro = {
      evaluate: evaluateThroughput(),
      decide: await decideThroughput(),
      roundTrips: await ledgerRoundTrips(redis.url, upstashConfig, sessions.ledger.sessionId),
      memory: await ledgerMemory(redis.url, sessions.ledger.sessionId),
    };

    const macro: ComparisonResult[] = [];
    const invalid: InvalidRun[] = [];
    for (const app of Object.keys(APP_DIRS) as AppName[]) {
      const comparisons = COMPARISONS.filter((c) => c.app === app);
      log(
        `macro: ${APP_DIRS[app]} (${comparisons.length} comparisons × ${options.rounds} rounds × (4 × ${options.legSeconds} s + ${options.seconds} s))`,
      );
      const measured = await measureApp(APP_DIRS[app], appEnv, comparisons, sessions, options, log);
      macro.push(...measured.results);
      invalid.push(...measured.invalid);
    }

    const cpuModel = cpus()[0]?.model ?? 'unknown';
    const figures: Figures = {
      machine: {
        date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
        cpus: Number(execFileSync('nproc', { encoding: 'utf8' }).trim()),
        cpuModel,
        node: process.version,
        next: versionOf('next'),
        authkit: versionOf('@workos-inc/authkit-nextjs'),
        redis: redisVersion(),
        loadBefore,
        loadAfter: loadavg(),
        ...options,
        buildSeconds,
        totalSeconds: (performance.now() - started) / 1000,
      },
      micro,
      macro,
      invalid,
    };
    console.log(consoleSummary(figures));
    if (process.env.BENCH_NO_DOCS !== '1') {
      mkdirSync('docs', { recursive: true });
      writeFileSync('docs/benchmarks.md', markdown(figures));
      log('wrote docs/benchmarks.md');
    }
    return invalid.length > 0 ? 1 : 0;
  } finally {
    await stack.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
