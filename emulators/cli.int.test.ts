/**
 * The two commands of the stand-ins package, run from source as separate processes: seed file, claims mode,
 * webhooks to the caller's endpoint, the `.env` lines, the `--json` ready line, exit codes, and stopping on
 * SIGTERM/SIGINT or when the parent goes away. (test/stand-ins-package.int.test.ts runs the packed build.)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Redis } from '@upstash/redis';
import { WorkOS } from '@workos-inc/node';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { closedPort } from '../test-support/free-port';
import { spawnReady } from '../test-support/ready-line';
import { waitUntil } from '../test-support/wait-until';
import {
  controlRequest,
  signInAndExchange,
  startWebhookReceiver,
  verifyAccessToken,
} from './workos/conformance-helpers';
import type { Seed } from './workos/seed';

const root = resolve(__dirname, '..');
const WORKOS_CLI = ['--import', 'tsx', 'emulators/workos/cli.ts'];
const UPSTASH_CLI = ['--import', 'tsx', 'emulators/upstash/cli.ts'];
const dir = mkdtempSync(join(tmpdir(), 'stand-ins-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface WorkosReady {
  ready: true;
  service: string;
  pid: number;
  url: string;
  port: number;
  clientId: string;
  apiKey: string;
  issuer: string;
  config: Record<string, unknown>;
  env: Record<string, string>;
}

interface UpstashReady {
  ready: true;
  service: string;
  pid: number;
  url: string;
  port: number;
  token: string;
  backend: 'redis' | 'memory';
  env: Record<string, string>;
}

/** Environment without the emulator's own fallbacks, so only the flags under test count. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env))
    if (name.startsWith('WORKOS_EMULATOR_') || name.startsWith('UPSTASH_STANDIN_') || name === 'REDIS_URL')
      delete env[name];
  return env;
}

function start<T>(cli: string[], args: string[], parse?: (line: string) => T) {
  return spawnReady<T>(process.execPath, [...cli, ...args], {
    cwd: root,
    env: cleanEnv(),
    ...(parse ? { parse } : {}),
  });
}

/** Runs a command that is expected to stop on its own; resolves with its exit code and output. */
function runToExit(cli: string[], args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [...cli, ...args], {
    cwd: root,
    env: cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => void (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
  return new Promise((done) => child.once('close', (code) => done({ code, stdout, stderr })));
}

async function refusesConnections(url: string): Promise<boolean> {
  return fetch(url).then(
    () => false,
    () => true,
  );
}

function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
}

const SEED: Seed = {
  organizations: [{ id: 'org_ci', name: 'CI' }],
  users: [
    {
      id: 'user_dana',
      email: 'dana@ci.test',
      password: 'dana-password-1',
      memberships: [{ organizationId: 'org_ci', role: 'admin' }],
      totpFactors: [{ id: 'auth_factor_dana', secret: 'KRSXG5CTMVRXEZLU' }],
    },
    {
      id: 'user_erin',
      email: 'erin@ci.test',
      sso: { amr: ['pwd', 'hwk', 'mfa'] },
      memberships: [{ organizationId: 'org_ci', role: 'member' }],
    },
  ],
};

describe('workos-emulator', () => {
  it('starts from a seed file in tomorrow mode, signs webhooks for the given endpoint, prints one JSON ready line, stops on SIGTERM', async () => {
    const seedPath = join(dir, 'seed.json');
    writeFileSync(seedPath, JSON.stringify(SEED));
    const receiver = await startWebhookReceiver();
    const secret = 'whsec_cli_test';
    const emulator = await start<WorkosReady>(WORKOS_CLI, [
      ...['--port', '0', '--json', '--seed', seedPath, '--claims-mode', 'tomorrow'],
      ...[
        '--webhook-url',
        receiver.url,
        '--webhook-secret',
        secret,
        '--webhook-retry-delays',
        '5',
        '--redirect-uri',
        'http://localhost:3000/callback',
      ],
    ]);
    try {
      const { ready } = emulator;
      expect(ready).toMatchObject({
        ready: true,
        service: 'workos-emulator',
        pid: emulator.child.pid,
        url: `http://127.0.0.1:${ready.port}`,
        clientId: 'client_emulator',
        apiKey: 'sk_test_emulator',
      });
      expect(ready.config).toEqual({
        claimsMode: 'tomorrow',
        signInMfa: 'off',
        mfaSucceededSessionId: false,
        authTimeClaim: false,
        rateLimits: 'workos',
        webhook: { url: receiver.url },
      });
      expect(ready.env).toEqual({
        WORKOS_API_HOSTNAME: '127.0.0.1',
        WORKOS_API_HTTPS: 'false',
        WORKOS_API_PORT: String(ready.port),
        WORKOS_API_KEY: 'sk_test_emulator',
        WORKOS_CLIENT_ID: 'client_emulator',
        NEXT_PUBLIC_WORKOS_REDIRECT_URI: 'http://localhost:3000/callback',
      });

      // An app configured from the printed environment alone: the SSO user's IdP amr reaches the token.
      const workos = new WorkOS(ready.env.WORKOS_API_KEY, {
        apiHostname: ready.env.WORKOS_API_HOSTNAME,
        https: ready.env.WORKOS_API_HTTPS === 'true',
        port: Number(ready.env.WORKOS_API_PORT),
        clientId: ready.env.WORKOS_CLIENT_ID,
      });
      const auth = await signInAndExchange(ready, workos, { email: 'erin@ci.test', intent: 'sso' });
      expect((await verifyAccessToken(ready, workos, auth.accessToken)).payload).toMatchObject({
        sub: 'user_erin',
        org_id: 'org_ci',
        amr: ['pwd', 'hwk', 'mfa'],
        acr: 'urn:workos:acr:mfa',
      });
      const hook = await receiver.waitFor((event) => event.event === 'session.created');
      await expect(
        workos.webhooks.constructEvent({
          payload: hook.body,
          sigHeader: String(hook.headers['workos-signature']),
          secret,
        }),
      ).resolves.toMatchObject({ data: { userId: 'user_erin' } });
      const users = (await controlRequest(ready, 'GET', 'users')).json.data;
      expect(users).toEqual([
        expect.objectContaining({
          email: 'dana@ci.test',
          totpFactors: [expect.objectContaining({ id: 'auth_factor_dana' })],
        }),
        expect.objectContaining({ email: 'erin@ci.test', sso: true }),
      ]);
      // Not started with --record-traffic: nothing is kept.
      expect(await controlRequest(ready, 'POST', 'traffic/take')).toMatchObject({
        status: 409,
        json: { code: 'traffic_not_recorded' },
      });
    } finally {
      await receiver.close();
    }
    expect(await emulator.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(emulator.output().trim().split('\n')).toHaveLength(1);
    expect(emulator.output()).not.toContain(secret);
    expect(await refusesConnections(`${emulator.ready.url}/__emulator/health`)).toBe(true);
  });

  it('prints the .env lines and the seeded users for a person, and stops on SIGINT', async () => {
    const emulator = await start(
      WORKOS_CLI,
      ['--port', '0', '--webhook-url', 'http://127.0.0.1:9/hook', '--webhook-secret', 'whsec_not_printed'],
      (line) => {
        const url = /^WorkOS emulator listening on (http:\/\/\S+)$/.exec(line)?.[1];
        if (url === undefined) throw new Error(line);
        return { url };
      },
    );
    const port = new URL(emulator.ready.url).port;
    expect(await emulator.stop('SIGINT')).toEqual({ code: 0, signal: null });
    const lines = emulator.output().split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        'WORKOS_API_HOSTNAME=127.0.0.1',
        'WORKOS_API_HTTPS=false',
        `WORKOS_API_PORT=${port}`,
        'WORKOS_API_KEY=sk_test_emulator',
        'WORKOS_CLIENT_ID=client_emulator',
      ]),
    );
    expect(emulator.output()).toMatch(/alice@acme\.test +password alice-password-1/);
    expect(emulator.output()).toContain('TOTP secret JBSWY3DPEHPK3PXP');
    expect(emulator.output()).not.toContain('whsec_not_printed');
  });

  it('stops when its parent goes away (npx runs it under a shell that does not pass SIGTERM on)', async () => {
    const shell = await spawnReady<WorkosReady>(
      'sh',
      ['-c', `"${process.execPath}" ${WORKOS_CLI.join(' ')} --port 0 --json; true`],
      { cwd: root, env: cleanEnv() },
    );
    const { pid, url } = shell.ready;
    expect(pid).not.toBe(shell.child.pid);
    await shell.stop('SIGKILL');
    await waitUntil(() => processGone(pid), { timeoutMs: 10_000, what: 'the orphaned emulator to exit' });
    expect(await refusesConnections(`${url}/__emulator/health`)).toBe(true);
  });

  it.each([
    [['--claims-mode', 'yesterday'], /claimsMode must be one of 'today', 'tomorrow', got "yesterday"/],
    [['--webhook-url', 'http://127.0.0.1:9/hook'], /--webhook-url and --webhook-secret go together/],
    [['--webhook-retry-delays', '5,soon'], /--webhook-retry-delays must be milliseconds/],
    [['--port', 'any'], /--port must be a number/],
    [['--no-such-flag'], /Unknown option '--no-such-flag'/],
  ])('exits 2 with the reason for %j, starting nothing', async (args, reason) => {
    const { code, stdout, stderr } = await runToExit(WORKOS_CLI, ['--port', '0', ...args]);
    expect(code).toBe(2);
    expect(stderr).toMatch(reason);
    expect(stdout).toBe('');
  });

  it('exits 2 naming the offending path of a bad seed file', async () => {
    const seedPath = join(dir, 'bad-seed.json');
    writeFileSync(seedPath, JSON.stringify({ organizations: [], users: [{ id: 'user_x', email: 'not-an-email' }] }));
    const { code, stderr } = await runToExit(WORKOS_CLI, ['--port', '0', '--seed', seedPath]);
    expect(code).toBe(2);
    expect(stderr).toContain('users[0].email');
  });

  it('exits 1 when it cannot listen (port in use)', async () => {
    const first = await start<WorkosReady>(WORKOS_CLI, ['--port', '0', '--json']);
    try {
      const { code, stderr } = await runToExit(WORKOS_CLI, ['--port', String(first.ready.port)]);
      expect(code).toBe(1);
      expect(stderr).toMatch(/could not start: .*EADDRINUSE/);
    } finally {
      await first.stop();
    }
  });
});

describe('upstash-stand-in', () => {
  it('in memory: a JSON ready line whose env a real @upstash/redis client uses; stops on SIGTERM', async () => {
    const standIn = await start<UpstashReady>(UPSTASH_CLI, [
      '--memory',
      '--port',
      '0',
      '--json',
      '--token',
      'ci-token',
    ]);
    const { ready } = standIn;
    expect(ready).toEqual({
      ready: true,
      service: 'upstash-stand-in',
      pid: standIn.child.pid,
      url: `http://127.0.0.1:${ready.port}`,
      port: ready.port,
      token: 'ci-token',
      backend: 'memory',
      env: { UPSTASH_REDIS_REST_URL: ready.url, UPSTASH_REDIS_REST_TOKEN: 'ci-token' },
    });
    const redis = new Redis({ url: ready.env.UPSTASH_REDIS_REST_URL, token: ready.env.UPSTASH_REDIS_REST_TOKEN });
    await redis.set('cli:k', { n: 1, s: 'ü' }, { ex: 60 });
    expect(await redis.get('cli:k')).toEqual({ n: 1, s: 'ü' });
    expect(await standIn.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(standIn.output()).toContain('IN-MEMORY MODE'); // the warning goes to stderr; stdout is the one line
    expect(await refusesConnections(ready.url)).toBe(true);
  });

  it('in front of Redis: the client reaches the real server; stops on SIGINT', async () => {
    const standIn = await start<UpstashReady>(UPSTASH_CLI, [
      '--redis-url',
      inject('redisUrl'),
      '--port',
      '0',
      '--json',
    ]);
    expect(standIn.ready).toMatchObject({ backend: 'redis', token: 'local-dev-token' });
    const redis = new Redis({ url: standIn.ready.url, token: standIn.ready.token });
    await redis.set('cli:redis', 'v');
    expect(await redis.get('cli:redis')).toBe('v');
    expect(await redis.eval('return redis.call("GET", KEYS[1])', ['cli:redis'], [])).toBe('v');
    expect(await standIn.stop('SIGINT')).toEqual({ code: 0, signal: null });
  });

  it('prints the .env lines for a person', async () => {
    const standIn = await start(UPSTASH_CLI, ['--memory', '--port', '0'], (line) => {
      const url = /listening on (http:\/\/\S+) \(IN MEMORY\)$/.exec(line)?.[1];
      if (url === undefined) throw new Error(line);
      return { url };
    });
    expect(await standIn.stop()).toEqual({ code: 0, signal: null });
    expect(standIn.output().split('\n')).toEqual(
      expect.arrayContaining([
        `UPSTASH_REDIS_REST_URL=${standIn.ready.url}`,
        'UPSTASH_REDIS_REST_TOKEN=local-dev-token',
      ]),
    );
  });

  it.each([
    [[], /pass --redis-url <url> \(or set REDIS_URL\), or --memory/],
    [['--memory', '--redis-url', 'redis://127.0.0.1:6379'], /--memory and --redis-url exclude each other/],
    [['--memory', '--port', '70000'], /--port must be 0–65535/],
    [['--memory', '--bogus'], /Unknown option '--bogus'/],
  ])('exits 2 with the reason for %j', async (args, reason) => {
    const { code, stderr, stdout } = await runToExit(UPSTASH_CLI, args);
    expect(code).toBe(2);
    expect(stderr).toMatch(reason);
    expect(stdout).toBe('');
  });

  it('exits 1 when Redis is unreachable, without printing the password of its URL', async () => {
    const { code, stderr } = await runToExit(UPSTASH_CLI, [
      '--redis-url',
      `redis://:hunter2-secret@127.0.0.1:${await closedPort()}`,
      '--port',
      '0',
    ]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/cannot connect to Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+/);
    expect(stderr).not.toContain('hunter2-secret');
  });
});
