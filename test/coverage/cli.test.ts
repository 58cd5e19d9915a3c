import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixture, runCli } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'coverage-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Each case spawns the real CLI (tsx on this Node), so they run side by side.
describe.concurrent('authkit-session-mfa coverage: exit codes', { timeout: 60_000 }, () => {
  it('0: the report is written; unguarded entries that nobody requires do not fail', async () => {
    const { code, stdout } = await runCli(['coverage', fixture('unguarded-action'), '--no-manifest']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/NONE\s+deleteAccount on \/settings/);
    expect(stdout).toMatch(/withSessionMfa\s+exportData on \/settings\s+—\s+strict \(policies\.destructive\)/);
  });

  it('0: every required entry guarded (several patterns after one --require, an exact [param] path)', async () => {
    const { code, stdout } = await runCli([
      'coverage',
      fixture('protected-segment'),
      '--no-manifest',
      '--require',
      'src/app/admin/users/**',
      'src/app/admin/(tools)/reports/[reportId]/page.tsx',
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain('every matching entry is guarded');
  });

  it('1: a required entry is unguarded', async () => {
    const { code, stdout } = await runCli([
      'coverage',
      fixture('unguarded-action'),
      '--no-manifest',
      '--require',
      'app/settings/**',
    ]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/NONE {2}deleteAccount {2}app\/settings\/actions\.ts:5/);
  });

  it('1: a required entry is unknown (the tool cannot tell), from a config file', async () => {
    const config = join(dir, 'aliased.json');
    writeFileSync(config, JSON.stringify({ require: ['app/api/helper/**'] }));
    const { code, stdout } = await runCli([
      'coverage',
      fixture('aliased-wrapper'),
      '--no-manifest',
      '--config',
      config,
    ]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/UNKNOWN {2}GET \/api\/helper/);
  });

  it('1: the build has an action the scan did not find', async () => {
    const path = join(dir, 'manifest.json');
    writeFileSync(
      path,
      JSON.stringify({
        node: { '40ff': { workers: { 'app/page': {} }, filename: 'app/ghost.ts', exportedName: 'boo' } },
        edge: {},
      }),
    );
    const { code, stdout } = await runCli(['coverage', fixture('public-route'), '--manifest', path]);
    expect(code).toBe(1);
    expect(stdout).toContain('1 of 1 server actions of the build are NOT in this report');
    expect(stdout).toContain('app/ghost.ts boo (id 40ff');
  });

  it.each([
    [['coverage', '--bogus'], 'ERR_COVERAGE_USAGE'],
    [['nonsense'], 'ERR_COVERAGE_USAGE'],
    [['coverage', fixture('public-route'), '--require', 'app/typo/**'], 'ERR_COVERAGE_REQUIRE_UNMATCHED'],
    [['coverage', 'test/fixtures'], 'ERR_COVERAGE_NO_APP'],
    [['coverage', fixture('public-route'), '--config', 'test/fixtures/coverage/nope.json'], 'ERR_COVERAGE_CONFIG'],
    [['coverage', fixture('public-route'), '--manifest', 'x.json', '--no-manifest'], 'ERR_COVERAGE_USAGE'],
  ])('2: usage or configuration error %j, nothing on stdout', async (args, errorCode) => {
    const { code, stdout, stderr } = await runCli(args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(`[${errorCode}]`);
  });

  it('--json prints the report as JSON, with the same exit code', async () => {
    const { code, stdout } = await runCli([
      'coverage',
      fixture('public-route'),
      '--no-manifest',
      '--json',
      '--require',
      'app/api/health/route.ts',
    ]);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as {
      version: number;
      exitCode: number;
      entries: { label: string; guard: string; route: string }[];
      required: { failures: { label: string }[] };
    };
    expect(report).toMatchObject({ version: 1, exitCode: 1 });
    expect(report.entries.map((e) => [e.label, e.guard, e.route])).toEqual([
      ['GET /api/admin/report', 'withSessionMfa', '/api/admin/report'],
      ['GET /api/health', 'none', '/api/health'],
      ['GET /callback', 'none', '/callback'],
    ]);
    expect(report.required.failures.map((f) => f.label)).toEqual(['GET /api/health']);
  });
});
