import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { PUBLIC_ENTRIES } from '../lib/tsup.config';

const root = resolve(__dirname, '..');
const lib = join(root, 'lib');
const consumer = join(root, '.tmp', 'consumer');
const pkg = JSON.parse(readFileSync(join(lib, 'package.json'), 'utf8')) as {
  name: string;
  exports: Record<string, unknown>;
  files: string[];
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
};
const subpaths = Object.keys(PUBLIC_ENTRIES).map((entry) => (entry === 'index' ? pkg.name : `${pkg.name}/${entry}`));
// Everything third-party stays external: this checks our package, not our dependencies.
const THIRD_PARTY = [
  'next',
  'next/*',
  'react',
  'react/*',
  '@workos-inc/*',
  '@upstash/*',
  'jose',
  'redis',
  'server-only',
  'path-to-regexp',
];

beforeAll(() => {
  // `npm test` builds the library first (`npm run build:lib`); this checks that build as an app sees it.
  if (!existsSync(join(lib, 'dist', 'index.js')))
    throw new Error('lib/dist is missing: run `npm run build:lib` first.');
  rmSync(consumer, { recursive: true, force: true });
  mkdirSync(join(consumer, 'node_modules'), { recursive: true });
  // An app that installed the package: node_modules/authkit-session-mfa → lib/.
  symlinkSync(lib, join(consumer, 'node_modules', pkg.name), 'dir');
  writeFileSync(join(consumer, 'package.json'), '{"name":"consumer","private":true,"type":"module"}');
});

describe('the published package', () => {
  it('declares the same subpaths in package.json and the build', () => {
    const fromExports = Object.keys(pkg.exports)
      .filter((k) => k !== './package.json' && !k.endsWith('.css'))
      .map((k) => (k === '.' ? pkg.name : `${pkg.name}/${k.slice(2)}`));
    expect(fromExports.sort()).toEqual([...subpaths].sort());
  });

  it('ships the step-up stylesheet, marked as a side effect so bundlers keep its import', () => {
    expect(pkg.exports['./step-up.css']).toBe('./dist/step-up.css');
    expect(readFileSync(join(lib, 'dist', 'step-up.css'), 'utf8')).toContain('.mfa-dialog');
    expect((pkg as unknown as { sideEffects: unknown }).sideEffects).toEqual(['*.css']);
  });

  it('ships only what it needs and bundles no framework or client package', () => {
    expect(pkg.files.sort()).toEqual(['LICENSE', 'README.md', 'dist']);
    // Framework and client packages are the app's (peers): a second copy breaks types and singletons.
    for (const peer of [
      'next',
      'react',
      '@workos-inc/authkit-nextjs',
      '@upstash/redis',
      '@upstash/ratelimit',
      'redis',
    ]) {
      expect(pkg.dependencies[peer], peer).toBeUndefined();
      expect(pkg.peerDependencies[peer], peer).toBeDefined();
    }
  });

  it.each(subpaths)('%s resolves to built type declarations', (specifier) => {
    const resolved = ts.resolveModuleName(
      specifier,
      join(consumer, 'index.ts'),
      { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler },
      ts.sys,
    );
    expect(resolved.resolvedModule?.resolvedFileName).toMatch(/\/lib\/dist\/.+\.d\.ts$/);
  });

  // The testing entry is refused under app conditions on purpose (below).
  it.each(subpaths.filter((s) => !s.endsWith('/testing')))(
    '%s bundles from an app by its package name',
    async (specifier) => {
      const result = await build({
        stdin: { contents: `export * from '${specifier}';`, resolveDir: consumer, loader: 'ts' },
        bundle: true,
        write: false,
        metafile: true,
        platform: 'node',
        format: 'esm',
        conditions: ['react-server'],
        external: THIRD_PARTY,
        logLevel: 'silent',
        tsconfigRaw: '{}', // resolve like an app would, not through this repo's path aliases
      });
      expect(Object.keys(result.metafile.inputs).every((f) => f === '<stdin>' || f.includes('lib/dist/'))).toBe(true);
    },
  );

  it.each([
    [pkg.name, 'createSessionMfa'],
    [`${pkg.name}/memory`, 'memoryStore'],
    [`${pkg.name}/upstash`, 'upstashStore'],
    [`${pkg.name}/redis`, 'redisStore'],
  ])('%s imports in plain Node and exports %s', (specifier, name) => {
    const out = execFileSync(
      process.execPath,
      [
        '--conditions=react-server',
        '--input-type=module',
        '-e',
        `const m = await import('${specifier}'); console.log(typeof m.${name});`,
      ],
      { cwd: consumer, encoding: 'utf8' },
    );
    expect(out.trim()).toBe('function');
  });

  it('the client entry opens with the use-client directive', () => {
    expect(readFileSync(join(lib, 'dist', 'client.js'), 'utf8').startsWith('"use client";')).toBe(true);
  });

  it.each([
    ['a server component, route handler or action', { conditions: ['react-server'], platform: 'node' }],
    ['Edge middleware', { conditions: ['edge-light', 'worker'], platform: 'neutral' }],
    ['a client component', { conditions: [], platform: 'browser' }],
  ] as const)('the testing entry cannot be bundled into %s (the build fails)', async (_where, target) => {
    const bundle = build({
      stdin: { contents: `export * from '${pkg.name}/testing';`, resolveDir: consumer, loader: 'ts' },
      bundle: true,
      write: false,
      format: 'esm',
      external: THIRD_PARTY,
      logLevel: 'silent',
      tsconfigRaw: '{}',
      conditions: [...target.conditions],
      platform: target.platform,
    });
    await expect(bundle).rejects.toThrow(/testing/);
  });

  it('the testing entry resolves for tests on Node', async () => {
    const result = await build({
      stdin: { contents: `export * from '${pkg.name}/testing';`, resolveDir: consumer, loader: 'ts' },
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'node',
      external: [...THIRD_PARTY, 'iron-session'],
      logLevel: 'silent',
      tsconfigRaw: '{}',
    });
    expect(result.errors).toEqual([]);
  });

  it('the Node-only entry refuses to load outside a server context', () => {
    expect(() =>
      execFileSync(process.execPath, ['--input-type=module', '-e', `await import('${pkg.name}/redis');`], {
        cwd: consumer,
        stdio: 'pipe',
      }),
    ).toThrow(/server-only|Client Component/);
  });
});
