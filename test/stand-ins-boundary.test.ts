/**
 * The library and the stand-ins are separate packages: the library never depends on the stand-ins, and the
 * stand-ins' commands reach nothing of the library or the demo — only their own files, Node and their declared
 * dependencies.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { BINS } from '../emulators/tsup.config';

const root = resolve(__dirname, '..');
const STAND_INS = 'authkit-session-mfa-stand-ins';
type Manifest = { name: string; private?: boolean; bin?: Record<string, string>; files?: string[] } & Partial<
  Record<'dependencies' | 'devDependencies' | 'peerDependencies' | 'optionalDependencies', Record<string, string>>
>;
const read = (path: string) => JSON.parse(readFileSync(join(root, path), 'utf8')) as Manifest;
const libPkg = read('lib/package.json');
const standInsPkg = read('emulators/package.json');
const rootPkg = read('package.json') as Manifest & { workspaces: string[] };

/** Every .ts/.tsx file under `dir` except tests and build output. */
function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter(
      (f) =>
        /\.tsx?$/.test(f) &&
        !/\.test\.tsx?$/.test(f) &&
        !f.split('/').includes('dist') &&
        !f.split('/').includes('node_modules'),
    )
    .map((f) => join(dir, f));
}

describe('the library does not depend on the stand-ins', () => {
  it('lists them in no dependency field of lib/package.json', () => {
    for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'] as const) {
      expect(Object.keys(libPkg[field] ?? {}), field).not.toContain(STAND_INS);
    }
  });

  it('imports nothing from emulators/ or the stand-ins package in any shipped source', () => {
    const offenders = sources('lib').filter((file) =>
      /from\s+['"]([^'"]*\/emulators\/|authkit-session-mfa-stand-ins)/.test(readFileSync(join(root, file), 'utf8')),
    );
    expect(offenders).toEqual([]);
  });

  it('keeps tests that need the stand-ins, a Redis server or a harness out of lib/ (pure test helpers allowed)', () => {
    const tests = readdirSync(join(root, 'lib'), { recursive: true, encoding: 'utf8' })
      .filter((f) => /\.test\.tsx?$/.test(f) && !f.split('/').includes('node_modules'))
      .map((f) => join('lib', f));
    const reachesOut = (file: string) =>
      [...readFileSync(join(root, file), 'utf8').matchAll(/from\s+['"](\.[^'"]*)['"]/g)].some(([, spec]) => {
        const target = relative(root, resolve(root, file, '..', spec!));
        return !target.startsWith('lib/') && !target.startsWith('test/helpers/');
      });
    expect(tests.length).toBeGreaterThan(0);
    expect(tests.filter(reachesOut)).toEqual([]);
  });
});

describe('the stand-ins package', () => {
  it('is a publishable workspace of the root with one bin per stand-in, built from the CLIs', () => {
    expect(rootPkg.workspaces).toContain('emulators');
    expect(standInsPkg).toMatchObject({
      name: STAND_INS,
      files: expect.arrayContaining(['dist', 'README.md', 'LICENSE']),
    });
    expect(standInsPkg.private).toBeUndefined();
    expect(standInsPkg.bin).toEqual(Object.fromEntries(Object.keys(BINS).map((name) => [name, `./dist/${name}.mjs`])));
  });

  it('declares exactly its runtime dependencies, nothing of the demo or the library', () => {
    expect(Object.keys(standInsPkg.dependencies ?? {}).sort()).toEqual(['jose', 'otpauth', 'qrcode', 'redis']);
    for (const field of ['devDependencies', 'peerDependencies', 'optionalDependencies'] as const)
      expect(standInsPkg[field], field).toBeUndefined();
  });

  /** What a bin's bundle reaches: source files and the packages it leaves as imports. */
  async function reach(entry: string): Promise<{ files: string[]; packages: string[] }> {
    const result = await build({
      entryPoints: [join(root, 'emulators', entry)],
      bundle: true,
      write: false,
      metafile: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      logLevel: 'silent',
    });
    const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
    const external = Object.values(result.metafile.outputs).flatMap((o) =>
      o.imports.filter((i) => i.external && !builtins.has(i.path)).map((i) => i.path.split('/')[0]!),
    );
    return {
      files: Object.keys(result.metafile.inputs).map((f) => relative(root, resolve(root, f))),
      packages: [...new Set(external)].sort(),
    };
  }

  it.each(Object.entries(BINS))(
    '%s reaches only files under emulators/ and declared dependencies',
    async (_bin, entry) => {
      const { files, packages } = await reach(entry);
      expect(files.filter((f) => !f.startsWith('emulators/'))).toEqual([]);
      expect(packages.filter((p) => !(p in (standInsPkg.dependencies ?? {})))).toEqual([]);
    },
  );

  it('uses every dependency it declares', async () => {
    const used = new Set((await Promise.all(Object.values(BINS).map(reach))).flatMap((r) => r.packages));
    expect([...used].sort()).toEqual(Object.keys(standInsPkg.dependencies ?? {}).sort());
  });
});
