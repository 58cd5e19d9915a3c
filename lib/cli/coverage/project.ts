/**
 * The app as a TypeScript program: its first-party source files (everything under the app directory and the
 * middleware, plus every file they import that is not a package), parsed and bound by the TypeScript compiler,
 * with the app's own `tsconfig.json` / `jsconfig.json` paths for import resolution. Packages are not loaded:
 * a guard comes from the app's code, and the library's own specifiers are recognised by name.
 * Node-only (CLI).
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type * as TS from 'typescript';
import { listAppFiles, relativePosix, SOURCE_EXTENSIONS, type AppFile } from './app-tree';
import { UsageError } from './errors';
import type { TypeScript } from './typescript';

/** How one import specifier of one file resolved. */
export type Resolution =
  | { readonly kind: 'source'; readonly file: string }
  | { readonly kind: 'package'; readonly specifier: string }
  | { readonly kind: 'unresolved'; readonly specifier: string };

/** The parsed app. */
export interface Project {
  readonly ts: TypeScript;
  /** Absolute project root (where `package.json` / `next.config.*` are). */
  readonly root: string;
  readonly appDir: string;
  /** `middleware.*` or `proxy.*`, if any. */
  readonly middlewareFile: string | null;
  /** `next.config.*`, if any. */
  readonly nextConfigFile: string | null;
  readonly appFiles: readonly AppFile[];
  readonly program: TS.Program;
  readonly checker: TS.TypeChecker;
  /** Resolution of `specifier` as imported by `file`. */
  resolution(file: string, specifier: string): Resolution | undefined;
  /** First-party files `file` imports (static, dynamic `import()` and re-exports). */
  importsOf(file: string): ReadonlySet<string>;
  /** Path relative to the root, `/`-separated. */
  rel(path: string): string;
}

/** The package whose specifiers (`authkit-session-mfa`, `authkit-session-mfa/server`, …) mark library imports. */
export const LIBRARY = 'authkit-session-mfa';

/** Whether `specifier` names this library (never followed into its source, even inside this repository). */
export function isLibrarySpecifier(specifier: string): boolean {
  return specifier === LIBRARY || specifier.startsWith(`${LIBRARY}/`);
}

function firstExisting(dir: string, base: string, extensions: readonly string[]): string | null {
  for (const ext of extensions) {
    const path = join(dir, `${base}.${ext}`);
    if (existsSync(path)) return path;
  }
  return null;
}

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

function compilerOptions(ts: TypeScript, root: string): TS.CompilerOptions {
  const configPath = [join(root, 'tsconfig.json'), join(root, 'jsconfig.json')].find((p) => existsSync(p));
  let options: TS.CompilerOptions = { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler };
  if (configPath) {
    const read = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p));
    if (read.error)
      throw new UsageError(
        'ERR_COVERAGE_TSCONFIG',
        `${configPath}: ${ts.flattenDiagnosticMessageText(read.error.messageText, '\n')}`,
      );
    options = ts.parseJsonConfigFileContent(read.config, ts.sys, dirname(configPath), undefined, configPath).options;
  }
  // Only the app's own files are parsed: no default library, no @types, JavaScript included.
  return {
    ...options,
    allowJs: true,
    checkJs: false,
    noLib: true,
    types: [],
    noEmit: true,
    skipLibCheck: true,
    jsx: ts.JsxEmit.Preserve,
    incremental: false,
    composite: false,
    plugins: [],
  };
}

/** Parses the app at `root` (the folder holding `app/` or `src/app/`). */
export function loadProject(ts: TypeScript, rootArg: string): Project {
  const root = resolve(rootArg);
  if (!isDirectory(root)) throw new UsageError('ERR_COVERAGE_USAGE', `${rootArg} is not a directory.`);
  // Next uses `app/` at the root, else `src/app/`; middleware/proxy sits beside that folder.
  const base = isDirectory(join(root, 'app')) ? root : isDirectory(join(root, 'src', 'app')) ? join(root, 'src') : null;
  if (!base)
    throw new UsageError(
      'ERR_COVERAGE_NO_APP',
      `No App Router directory in ${rootArg} (looked for app/ and src/app/).`,
    );
  const appDir = join(base, 'app');
  const middleware = firstExisting(base, 'middleware', SOURCE_EXTENSIONS);
  const proxy = firstExisting(base, 'proxy', SOURCE_EXTENSIONS);
  if (middleware && proxy)
    throw new UsageError(
      'ERR_COVERAGE_TWO_MIDDLEWARES',
      `Both ${relativePosix(root, middleware)} and ${relativePosix(root, proxy)} exist; Next.js accepts only one.`,
    );
  const middlewareFile = proxy ?? middleware;
  const nextConfigFile = firstExisting(root, 'next.config', ['ts', 'mjs', 'js', 'cjs', 'mts']);

  const options = compilerOptions(ts, root);
  const appFiles = listAppFiles(appDir);
  const resolutions = new Map<string, Map<string, Resolution>>();
  const imports = new Map<string, Set<string>>();
  const host = ts.createCompilerHost(options, true);
  host.resolveModuleNameLiterals = (literals, containingFile) =>
    literals.map((literal) => {
      const specifier = literal.text;
      const byFile = resolutions.get(containingFile) ?? new Map<string, Resolution>();
      resolutions.set(containingFile, byFile);
      if (isLibrarySpecifier(specifier)) {
        byFile.set(specifier, { kind: 'package', specifier });
        return { resolvedModule: undefined };
      }
      const { resolvedModule } = ts.resolveModuleName(specifier, containingFile, options, host);
      const file = resolvedModule?.resolvedFileName;
      if (!file) {
        byFile.set(specifier, { kind: 'unresolved', specifier });
        return { resolvedModule: undefined };
      }
      if (resolvedModule.isExternalLibraryImport || /[\\/]node_modules[\\/]/.test(file) || /\.d\.[cm]?ts$/.test(file)) {
        byFile.set(specifier, { kind: 'package', specifier });
        return { resolvedModule: undefined };
      }
      byFile.set(specifier, { kind: 'source', file });
      const edges = imports.get(containingFile) ?? new Set<string>();
      edges.add(file);
      imports.set(containingFile, edges);
      return { resolvedModule };
    });

  const rootNames = [...appFiles.map((f) => f.path), ...(middlewareFile ? [middlewareFile] : [])];
  // Every source file in the app folder is a root too (components, actions modules), routed or not.
  const walk = (dir: string): void => {
    for (const entry of ts.sys.readDirectory(
      dir,
      SOURCE_EXTENSIONS.map((e) => `.${e}`),
      ['**/node_modules/**'],
      undefined,
    ))
      rootNames.push(entry);
  };
  walk(appDir);
  const program = ts.createProgram({ rootNames: [...new Set(rootNames)], options, host });
  const broken = program.getSyntacticDiagnostics();
  if (broken.length > 0) {
    const d = broken[0]!;
    const where = d.file
      ? `${relativePosix(root, d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}`
      : 'a source file';
    throw new UsageError(
      'ERR_COVERAGE_PARSE',
      `${where}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')} (fix the syntax error; the report cannot be trusted on a file it cannot parse)`,
    );
  }
  const checker = program.getTypeChecker();
  const norm = (p: string) => resolve(p);
  return {
    ts,
    root,
    appDir,
    middlewareFile,
    nextConfigFile,
    appFiles,
    program,
    checker,
    resolution: (file, specifier) =>
      resolutions.get(file)?.get(specifier) ?? resolutions.get(norm(file))?.get(specifier),
    importsOf: (file) => imports.get(file) ?? new Set(),
    rel: (path) => relativePosix(root, path),
  };
}
