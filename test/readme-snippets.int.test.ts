/**
 * Every code block of the library's README compiles as the file it says it is, against the built package,
 * in an app laid out as `create-next-app` makes one. A snippet that stops compiling fails `npm test`.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readmeFiles, readmeStates } from '../scripts/readme-files';
import { writeNextApp } from '../test-support/next-app';

const root = resolve(__dirname, '..');
const files = readmeFiles(readFileSync(join(root, 'lib', 'README.md'), 'utf8'));
const states = readmeStates(files);

describe('the library README', () => {
  it('shows the quick start as complete files: config, proxy, server module, a protected route, the step-up page and dialog', () => {
    const quickStart = files.filter((f) => f.section.startsWith('Quick start')).map((f) => f.path);
    expect(quickStart).toEqual(
      expect.arrayContaining([
        'mfa.config.ts',
        'proxy.ts',
        'mfa.ts',
        'app/api/admin/report/route.ts',
        'mfa-step-up.ts',
        'app/step-up/page.tsx',
        'app/step-up/verify/route.ts',
        'app/layout.tsx',
      ]),
    );
  });

  it("the Playwright example is the repository's own e2e spec, so `npm test` runs it", () => {
    const example = files.find((f) => f.path === 'e2e/session-mfa.spec.ts');
    expect(example?.text).toBe(readFileSync(join(root, 'e2e', 'session-mfa.spec.ts'), 'utf8'));
  });

  it.each(states.map((state, i) => [i + 1, state] as const))(
    'app state %i typechecks against the built package',
    (n, state) => {
      // Inside the repository, so `authkit-session-mfa` resolves as in an app: node_modules → lib/ → its exports → dist.
      const dir = join(root, '.tmp', 'readme', `state-${n}`);
      rmSync(dir, { recursive: true, force: true });
      writeNextApp(dir, Object.fromEntries(state.map((f) => [f.path, f.text])));
      const tsc = spawnSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', join(dir, 'tsconfig.json')], {
        encoding: 'utf8',
      });
      const where = state.map((f) => `${f.path} (README line ${f.line})`).join(', ');
      expect(tsc.stdout + tsc.stderr, `files: ${where}`).toBe('');
      expect(tsc.status).toBe(0);
    },
    60_000,
  );
});
