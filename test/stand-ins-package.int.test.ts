/**
 * The stand-ins as a team's CI uses them: `npm pack` the stand-ins package, install only that tarball as a dev
 * dependency into a fresh directory outside the repository, start `npx workos-emulator --json` there, run this
 * repository's whole emulator conformance suite against it (by URL; the tests that need an emulator of their own
 * spawn the installed bin), stop it with SIGTERM; then the Upstash stand-in through `npx`, with a real
 * `@upstash/redis` client.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve, sep } from 'node:path';
import { Ratelimit } from '@upstash/ratelimit';
import { Redis } from '@upstash/redis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { spawnReady } from '../test-support/ready-line';
import { waitUntil } from '../test-support/wait-until';

const root = resolve(__dirname, '..');
const project = mkdtempSync(join(tmpdir(), 'stand-ins-consumer-'));
const STAND_INS = 'authkit-session-mfa-stand-ins';
/** Nothing of the library, the demo or this repository's tooling may come with the stand-ins. */
const FOREIGN = [
  'authkit-session-mfa',
  'next',
  'react',
  '@workos-inc/node',
  '@workos-inc/authkit-nextjs',
  '@upstash/redis',
  '@upstash/ratelimit',
  'tsx',
  'vitest',
  'typescript',
  'esbuild',
  'ajv',
  'yaml',
  '@workos/openapi-spec',
];

interface WorkosReady {
  pid: number;
  url: string;
  apiKey: string;
}
interface UpstashReady {
  pid: number;
  url: string;
  token: string;
  backend: string;
  env: Record<string, string>;
}

/**
 * The environment of a CI step in the fresh project: this Node 22 first, nothing of this repository on PATH
 * (its node_modules/.bin), no npm or Vitest state of the run that started us.
 */
function projectEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env))
    if (/^(npm_|VITEST|WORKOS_EMULATOR_|UPSTASH_STANDIN_)/i.test(name) || name === 'INIT_CWD') delete env[name];
  const path = (process.env.PATH ?? '').split(delimiter).filter((dir) => !dir.startsWith(root + sep));
  env.PATH = [dirname(process.execPath), ...path].join(delimiter);
  return env;
}

function run(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, env: projectEnv(), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

const npx = <T>(args: string[]) => spawnReady<T>('npx', args, { cwd: project, env: projectEnv() });
/** The installed bin itself (no npx in between), so its own exit code shows. */
const bin = <T>(name: string, args: string[]) =>
  spawnReady<T>(process.execPath, [join(project, 'node_modules', '.bin', name), ...args], {
    cwd: project,
    env: projectEnv(),
  });

function gone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
}

const refuses = (url: string) =>
  fetch(url).then(
    () => false,
    () => true,
  );

let packedFiles: string[] = [];
let installed: string[] = [];

beforeAll(() => {
  // `npm pack` runs the package's `prepack` (a fresh tsup build), as `npm publish` would; the build's log comes first.
  const packOutput = run('npm', ['pack', '--json', '--pack-destination', project], join(root, 'emulators'));
  const [packed] = JSON.parse(packOutput.slice(packOutput.search(/^\[$/m))) as [
    { filename: string; files: { path: string }[] },
  ];
  packedFiles = packed.files.map((f) => f.path).sort();
  writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'a-teams-ci', private: true }, null, 2)}\n`);
  run(
    'npm',
    [
      'install',
      '--save-dev',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      '--loglevel=error',
      `./${packed.filename}`,
    ],
    project,
  );
  installed = run('npm', ['ls', '--all', '--parseable'], project)
    .trim()
    .split('\n')
    .filter((path) => path.includes(`${sep}node_modules${sep}`))
    .map((path) => path.slice(path.lastIndexOf(`${sep}node_modules${sep}`) + `${sep}node_modules${sep}`.length));
}, 300_000);

afterAll(() => rmSync(project, { recursive: true, force: true }));

describe('the packed stand-ins in a fresh project', () => {
  it('pack the two bundles, the default seed, the READMEs and the license: no sources, no tests', () => {
    expect(packedFiles).toEqual([
      'LICENSE',
      'README.md',
      'dist/seed.json',
      'dist/upstash-stand-in.mjs',
      'dist/upstash-stand-in.mjs.map',
      'dist/workos-emulator.mjs',
      'dist/workos-emulator.mjs.map',
      'package.json',
      'upstash/README.md',
      'workos/README.md',
    ]);
  });

  it('install as one dev dependency, bringing nothing of the library or the demo', () => {
    const manifest = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    expect(Object.keys(manifest.devDependencies)).toEqual([STAND_INS]);
    expect(installed).toContain(STAND_INS);
    expect(installed.filter((name) => FOREIGN.includes(name))).toEqual([]);
    // `qrcode` (which draws the emulator's enrollment QR codes) brings its own CLI along.
    expect(readdirSync(join(project, 'node_modules', '.bin')).sort()).toEqual([
      'qrcode',
      'upstash-stand-in',
      'workos-emulator',
    ]);
  });

  it('`npx workos-emulator --json` passes the repository’s emulator conformance suite, and stops on SIGTERM', async () => {
    const emulator = await npx<WorkosReady>(['workos-emulator', '--port', '0', '--json', '--record-traffic']);
    const { ready } = emulator;
    const report = join(project, 'conformance.json');
    const vitest = spawn(
      process.execPath,
      [
        join(root, 'node_modules', 'vitest', 'vitest.mjs'),
        'run',
        '--project',
        'integration',
        '--no-file-parallelism',
        '--reporter=json',
        `--outputFile=${report}`,
        'emulators/workos/',
      ],
      {
        cwd: root,
        env: {
          ...projectEnv(),
          PATH: process.env.PATH,
          WORKOS_EMULATOR_URL: ready.url,
          WORKOS_EMULATOR_API_KEY: ready.apiKey,
          WORKOS_EMULATOR_BIN: join(project, 'node_modules', '.bin', 'workos-emulator'),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let log = '';
    vitest.stdout.on('data', (chunk: Buffer) => void (log += chunk.toString()));
    vitest.stderr.on('data', (chunk: Buffer) => void (log += chunk.toString()));
    const code = await new Promise<number | null>((done) => vitest.once('close', done));
    expect(code, log.slice(-4000)).toBe(0);

    const results = JSON.parse(readFileSync(report, 'utf8')) as {
      numTotalTests: number;
      numPassedTests: number;
      numPendingTests: number;
      numTodoTests: number;
      testResults: { name: string }[];
    };
    const suite = readdirSync(join(root, 'emulators', 'workos')).filter((f) => f.endsWith('.int.test.ts'));
    expect(results.testResults.map((r) => r.name.slice(r.name.lastIndexOf('/') + 1)).sort()).toEqual(suite.sort());
    expect(results.numPassedTests).toBe(results.numTotalTests);
    expect(results.numPendingTests + results.numTodoTests).toBe(0);
    expect(results.numTotalTests).toBeGreaterThan(90);
    // The suite talked to this process: every test makes WorkOS requests to it (the others spawn their own bin).
    const health = (await (await fetch(`${ready.url}/__emulator/health`)).json()) as { requestsServed: number };
    expect(health.requestsServed).toBeGreaterThan(results.numTotalTests);

    // npx hands SIGTERM to a shell that does not pass it on; the bin notices its parent is gone and stops.
    await emulator.stop('SIGTERM');
    await waitUntil(() => gone(ready.pid), { timeoutMs: 10_000, what: 'the emulator behind npx to exit' });
    expect(await refuses(`${ready.url}/__emulator/health`)).toBe(true);
  }, 600_000);

  it.each(['SIGTERM', 'SIGINT'] as const)('the installed workos-emulator bin exits 0 on %s', async (signal) => {
    const emulator = await bin<WorkosReady>('workos-emulator', ['--port', '0', '--json']);
    const { url } = emulator.ready;
    expect((await fetch(`${url}/sso/jwks/client_emulator`)).status).toBe(200);
    expect(await emulator.stop(signal)).toEqual({ code: 0, signal: null });
    expect(await refuses(url)).toBe(true);
  });

  it('`npx upstash-stand-in --memory --json`: a real @upstash/redis client sets and gets through it; stops on SIGTERM', async () => {
    const standIn = await npx<UpstashReady>(['upstash-stand-in', '--memory', '--port', '0', '--json']);
    const { ready } = standIn;
    expect(ready.backend).toBe('memory');
    const redis = new Redis({ url: ready.env.UPSTASH_REDIS_REST_URL!, token: ready.env.UPSTASH_REDIS_REST_TOKEN! });
    expect(await redis.set('ci:greeting', { text: 'grüß dich', n: 1 }, { ex: 60 })).toBe('OK');
    expect(await redis.get('ci:greeting')).toEqual({ text: 'grüß dich', n: 1 });
    expect(await redis.ttl('ci:greeting')).toBeGreaterThan(0);
    await standIn.stop('SIGTERM');
    await waitUntil(() => gone(ready.pid), { timeoutMs: 10_000, what: 'the stand-in behind npx to exit' });
    expect(await refuses(ready.url)).toBe(true);
  });

  it('the installed upstash-stand-in bin forwards to Redis (Lua included: @upstash/ratelimit) and exits 0 on SIGTERM', async () => {
    const standIn = await bin<UpstashReady>('upstash-stand-in', [
      '--redis-url',
      inject('redisUrl'),
      '--port',
      '0',
      '--json',
    ]);
    const { ready } = standIn;
    expect(ready.backend).toBe('redis');
    const redis = new Redis({ url: ready.url, token: ready.token });
    await redis.set('ci:redis-backed', 'yes');
    expect(await redis.get('ci:redis-backed')).toBe('yes');
    const limiter = new Ratelimit({ redis, limiter: Ratelimit.slidingWindow(2, '60 s'), prefix: `ci-${Date.now()}` });
    expect([
      (await limiter.limit('k')).success,
      (await limiter.limit('k')).success,
      (await limiter.limit('k')).success,
    ]).toEqual([true, true, false]);
    expect(await standIn.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  });
});
