/** The package's bin, as built into lib/dist (`npm run build:lib`) and installed by `npm install authkit-session-mfa`. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture } from './helpers';

const pkg = JSON.parse(readFileSync(join('lib', 'package.json'), 'utf8')) as {
  bin: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
};

describe('the authkit-session-mfa bin', () => {
  it('is the built CLI, with typescript an optional peer', () => {
    expect(pkg.bin).toEqual({ 'authkit-session-mfa': './dist/cli.js' });
    expect(readFileSync(join('lib', pkg.bin['authkit-session-mfa']!), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(
      true,
    );
    expect(pkg.peerDependenciesMeta.typescript).toEqual({ optional: true });
  });

  it('runs the coverage report with plain node and exits 1 on an unguarded required action', () => {
    const run = spawnSync(
      process.execPath,
      [join('lib', 'dist', 'cli.js'), 'coverage', fixture('unguarded-action'), '--require', 'app/settings/actions.ts'],
      { encoding: 'utf8' },
    );
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/NONE {2}deleteAccount {2}app\/settings\/actions\.ts:5/);
  });
});
