import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REQUIRED_ENV } from './env-check';

const root = resolve(__dirname, '..');
// A directory without .env files, so only the variables given here count.
const cwd = mkdtempSync(join(tmpdir(), 'env-check-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

/** Runs the check in front of `echo started` (standing in for `next start`) with exactly `env`. */
function run(env: Record<string, string>) {
  return spawnSync(
    join(root, 'node_modules', '.bin', 'tsx'),
    [join(root, 'scripts', 'with-env-check.ts'), 'echo', 'started'],
    { cwd, env: { PATH: process.env.PATH ?? '', ...env } as unknown as NodeJS.ProcessEnv, encoding: 'utf8' },
  );
}

const complete = {
  WORKOS_API_KEY: 'sk_test_x',
  WORKOS_CLIENT_ID: 'client_x',
  WORKOS_COOKIE_PASSWORD: 'x'.repeat(32),
  NEXT_PUBLIC_WORKOS_REDIRECT_URI: 'https://app.example/callback',
  UPSTASH_REDIS_REST_URL: 'https://db.upstash.io',
  UPSTASH_REDIS_REST_TOKEN: 'token',
};

describe('npm run build / npm start without the app environment', () => {
  it('exits 1 naming every missing variable, and runs nothing', () => {
    const result = run({});
    expect(result.status).toBe(1);
    expect(result.stdout).not.toContain('started');
    for (const name of Object.keys(REQUIRED_ENV)) expect(result.stderr).toContain(`${name} is not set`);
    expect(result.stderr).toContain('.env.example');
  });

  it('names only what is missing, and never prints a value', () => {
    const result = run({ ...complete, WORKOS_COOKIE_PASSWORD: 'short-secret-value' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('WORKOS_COOKIE_PASSWORD is shorter than 32 characters');
    expect(result.stderr).not.toContain('short-secret-value');
    expect(result.stderr).not.toContain('WORKOS_API_KEY');
  });

  it('reads .env.local as Next does, then runs the command', () => {
    writeFileSync(
      join(cwd, '.env.local'),
      Object.entries(complete)
        .map(([k, v]) => `${k}=${v}`)
        .join('\n'),
    );
    const result = run({});
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe('started');
  });
});
