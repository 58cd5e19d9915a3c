import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCoverage } from '../../lib/cli/coverage/index';
import { entry, fixture } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'coverage-manifest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a manifest in the shape `next build` writes (checked against a real build in next-build.int.test.ts). */
function manifest(
  node: Record<string, { workers: Record<string, unknown>; filename: string; exportedName: string }>,
): string {
  const path = join(dir, `${Object.keys(node).join('-') || 'empty'}.json`);
  writeFileSync(path, JSON.stringify({ node, edge: {}, encryptionKey: 'k' }));
  return path;
}
const worker = { moduleId: 1, async: false };

describe('cross-check with the server-reference manifest', () => {
  it('matches every action of the build to an entry and adds the build workers to where the action runs', async () => {
    const path = manifest({
      '40aa': {
        workers: { 'app/settings/page': worker },
        filename: 'app/settings/actions.ts',
        exportedName: 'deleteAccount',
      },
      // The build says exportData also runs on /admin/x: that page is added to the scan's /settings.
      '00bb': {
        workers: { 'app/settings/page': worker, 'app/admin/(t)/x/page': worker },
        filename: 'app/settings/actions.ts',
        exportedName: 'exportData',
      },
    });
    const report = await runCoverage({ root: fixture('unguarded-action'), require: [], manifest: path });
    expect(report.manifest).toMatchObject({ actions: 2, matched: 2, missed: [] });
    expect(report.exitCode).toBe(0);
    expect(entry(report, 'action deleteAccount').actionIds).toEqual(['40aa']);
    expect(entry(report, 'action exportData').runsOn.map((r) => r.display)).toEqual(['/admin/x', '/settings']);
  });

  it('fails (exit code 1) when the build has an action the scan did not find, and names it', async () => {
    const path = manifest({
      '40aa': {
        workers: { 'app/settings/page': worker },
        filename: 'app/settings/actions.ts',
        exportedName: 'deleteAccount',
      },
      '60cc': { workers: { 'app/settings/page': worker }, filename: 'app/settings/hidden.ts', exportedName: 'purge' },
      '00dd': {
        workers: { 'app/settings/page': worker },
        filename: 'app/settings/page.tsx',
        exportedName: '$$RSC_SERVER_ACTION_0',
      },
    });
    const report = await runCoverage({ root: fixture('unguarded-action'), require: [], manifest: path });
    expect(report.exitCode).toBe(1);
    expect(report.manifest?.missed.map((m) => `${m.filename}#${m.exportedName}`)).toEqual([
      'app/settings/hidden.ts#purge',
      'app/settings/page.tsx#$$RSC_SERVER_ACTION_0',
    ]);
  });

  it('matches inline actions by their number in the file', async () => {
    const path = manifest({
      '40ee': {
        workers: { 'app/profile/page': worker },
        filename: 'app/profile/page.tsx',
        exportedName: '$$RSC_SERVER_ACTION_2',
      },
    });
    const report = await runCoverage({ root: fixture('inline-action'), require: [], manifest: path });
    expect(report.manifest?.missed).toEqual([]);
    expect(entry(report, 'action wipe (inline)').actionIds).toEqual(['40ee']);
  });

  it('refuses a file that is not a server-reference manifest (usage error, nothing reported)', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ node: { x: { workers: {} } } }));
    await expect(runCoverage({ root: fixture('unguarded-action'), require: [], manifest: bad })).rejects.toMatchObject({
      code: 'ERR_COVERAGE_MANIFEST',
    });
    writeFileSync(bad, '{ not json');
    await expect(runCoverage({ root: fixture('unguarded-action'), require: [], manifest: bad })).rejects.toMatchObject({
      code: 'ERR_COVERAGE_MANIFEST',
    });
  });
});
