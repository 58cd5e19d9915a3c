/**
 * The cross-check against a real `next build`: a tiny fixture app is built with the repository's `next`, and
 * every server action in the server-reference manifest it writes must be found by the scan. Then a source
 * change the build has not seen (a file losing its 'use server') makes the CLI fail and name the action.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers';

// Inside the repository, so the fixture resolves `next` and `react` from its node_modules.
const app = join('.tmp', `coverage-build-${process.pid}`);
const manifest = join(app, '.next', 'server', 'server-reference-manifest.json');

function nextBuild(cwd: string): Promise<{ code: number | null; output: string }> {
  const nextBin = createRequire(import.meta.url).resolve('next/dist/bin/next');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [nextBin, 'build'], {
      cwd,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

beforeAll(async () => {
  mkdirSync('.tmp', { recursive: true });
  cpSync('test/fixtures/coverage/build-app', app, { recursive: true });
  const started = Date.now();
  const { code, output } = await nextBuild(app);
  console.log(`next build of the coverage fixture: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (code !== 0) throw new Error(`next build failed:\n${output}`);
}, 300_000);
afterAll(() => rmSync(app, { recursive: true, force: true }));

describe('cross-check with a real next build', () => {
  it('the manifest Next wrote has the shape the report reads, and every action in it is in the report', async () => {
    const built = JSON.parse(readFileSync(manifest, 'utf8')) as {
      node: Record<string, { workers: Record<string, unknown>; filename: string; exportedName: string }>;
      edge: object;
    };
    const actions = Object.values(built.node)
      .map((a) => `${a.filename.replace(`${app}/`, '')}#${a.exportedName}`)
      .sort();
    // One counter per file for inline functions of both directives, in source order.
    expect(actions).toEqual([
      'app/admin/actions.js#default',
      'app/admin/actions.js#removeUser',
      'app/admin/stats.js#$$RSC_SERVER_CACHE_0', // the functions of a 'use cache' module are numbered too
      'app/page.jsx#$$RSC_SERVER_ACTION_0',
      'app/page.jsx#$$RSC_SERVER_ACTION_2',
      'app/page.jsx#$$RSC_SERVER_CACHE_1',
    ]);

    const { code, stdout } = await runCli(['coverage', app, '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as {
      manifest: { actions: number; matched: number; missed: unknown[] };
      entries: { kind: string; name: string; actionIds: string[]; runsOn: string[] }[];
    };
    expect(report.manifest).toMatchObject({ actions: 6, matched: 6, missed: [] });
    const ids = Object.fromEntries(
      report.entries.filter((e) => e.kind === 'action').map((e) => [e.name, e.actionIds.length]),
    );
    expect(ids).toEqual({ removeUser: 1, default: 1, userCount: 1, subscribe: 1, Visitors: 1, unsubscribe: 1 });
    expect(report.entries.find((e) => e.name === 'removeUser')?.runsOn).toEqual(['/admin']);
  });

  it('an action the build has but the scan does not find fails the run (exit 1) and is named', async () => {
    const actions = join(app, 'app', 'admin', 'actions.js');
    writeFileSync(actions, readFileSync(actions, 'utf8').replace("'use server';", ''));
    const { code, stdout } = await runCli(['coverage', app]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/2 of 6 server actions of the build are NOT in this report/);
    expect(stdout).toMatch(/app\/admin\/actions\.js removeUser \(id [0-9a-f]+, node, on app\/admin\/page\)/);
  });
});
