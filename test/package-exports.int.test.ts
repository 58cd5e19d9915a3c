import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { PUBLIC_ENTRIES } from '../tsup.config';

const root = resolve(__dirname, '..');
const consumer = join(root, '.tmp', 'consumer');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; exports: Record<string, unknown> };
const tsconfig = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8')) as { compilerOptions: { paths: Record<string, string[]> } };
const subpaths = Object.keys(PUBLIC_ENTRIES).map((entry) => (entry === 'index' ? pkg.name : `${pkg.name}/${entry}`));
// Everything third-party stays external: this checks our package, not our dependencies.
const THIRD_PARTY = ['next', 'next/*', 'react', 'react/*', '@workos-inc/*', '@upstash/*', 'jose', 'redis', 'server-only', 'path-to-regexp'];

beforeAll(() => {
  rmSync(join(root, 'dist'), { recursive: true, force: true });
  execFileSync(join(root, 'node_modules', '.bin', 'tsup'), { cwd: root, stdio: 'pipe' });
  rmSync(consumer, { recursive: true, force: true });
  mkdirSync(join(consumer, 'node_modules'), { recursive: true });
  // An app that installed the package: node_modules/authkit-session-mfa → this repository.
  symlinkSync(root, join(consumer, 'node_modules', pkg.name), 'dir');
  writeFileSync(join(consumer, 'package.json'), '{"name":"consumer","private":true,"type":"module"}');
}, 120_000);

describe('the published package', () => {
  it('declares the same subpaths in package.json, tsconfig paths and the build', () => {
    const fromExports = Object.keys(pkg.exports).filter((k) => k !== './package.json').map((k) => (k === '.' ? pkg.name : `${pkg.name}/${k.slice(2)}`));
    expect(fromExports.sort()).toEqual([...subpaths].sort());
    for (const sub of subpaths) expect(tsconfig.compilerOptions.paths[sub], sub).toBeDefined();
  });

  it.each(subpaths)('%s resolves to built type declarations', (specifier) => {
    const resolved = ts.resolveModuleName(specifier, join(consumer, 'index.ts'), { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler }, ts.sys);
    expect(resolved.resolvedModule?.resolvedFileName).toMatch(/\/dist\/.+\.d\.mts$/);
  });

  it.each(subpaths)('%s bundles from an app by its package name', async (specifier) => {
    const result = await build({
      stdin: { contents: `export * from '${specifier}';`, resolveDir: consumer, loader: 'ts' },
      bundle: true, write: false, metafile: true, platform: 'node', format: 'esm', conditions: ['react-server'], external: THIRD_PARTY, logLevel: 'silent',
      tsconfigRaw: '{}', // resolve like an app would, not through this repo's path aliases
    });
    expect(Object.keys(result.metafile.inputs).every((f) => f === '<stdin>' || f.startsWith('dist/'))).toBe(true);
  });

  it.each([
    [pkg.name, 'evaluate'],
    [`${pkg.name}/ledger/memory`, 'memoryStore'],
    [`${pkg.name}/ledger/upstash`, 'upstashStore'],
    [`${pkg.name}/ledger/redis`, 'nodeRedisStore'],
  ])('%s imports in plain Node and exports %s', (specifier, name) => {
    const out = execFileSync(process.execPath, ['--conditions=react-server', '--input-type=module', '-e', `const m = await import('${specifier}'); console.log(typeof m.${name});`], { cwd: consumer, encoding: 'utf8' });
    expect(out.trim()).toBe('function');
  });

  it('the client entry opens with the use-client directive', () => {
    expect(readFileSync(join(root, 'dist', 'client.mjs'), 'utf8').startsWith('"use client";')).toBe(true);
  });

  it('the Node-only ledger refuses to load outside a server context', () => {
    expect(() => execFileSync(process.execPath, ['--input-type=module', '-e', `await import('${pkg.name}/ledger/redis');`], { cwd: consumer, stdio: 'pipe' })).toThrow(/server-only|Client Component/);
  });
});
