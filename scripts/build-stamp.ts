/**
 * Builds the Next app only when needed: the build directory holds a stamp of what it was built from (source
 * files and the build-time environment), and a build runs when the stamp is missing or differs.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, relative } from 'node:path';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SOURCE_DIRS = ['app', 'lib'];
const SOURCE_FILES = [
  'middleware.ts',
  'mfa.config.ts',
  'mfa.ts',
  'mfa-step-up.ts',
  'next.config.ts',
  'tsconfig.json',
  'package-lock.json',
];
const STAMP_FILE = 'authkit-session-mfa-build.json';

function walk(dir: string, out: string[]): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (!/\.test\.tsx?$/.test(name)) out.push(path);
  }
}

/** Hash of everything a build depends on, plus the variables Next inlines at build time. */
export function buildFingerprint(env: NodeJS.ProcessEnv): string {
  const files: string[] = [];
  for (const dir of SOURCE_DIRS) walk(join(ROOT, dir), files);
  for (const file of SOURCE_FILES) if (existsSync(join(ROOT, file))) files.push(join(ROOT, file));
  const hash = createHash('sha256');
  for (const file of files.sort())
    hash.update(relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  for (const key of Object.keys(env)
    .filter((k) => k.startsWith('NEXT_PUBLIC_'))
    .sort())
    hash.update(`${key}=${env[key] ?? ''}\0`);
  return hash.digest('hex');
}

/** Runs `next build` into `distDir` with `env` unless the last build there came from the same inputs. */
export async function ensureBuild(options: {
  distDir: string;
  env: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}): Promise<'built' | 'up-to-date'> {
  const log = options.log ?? console.log;
  const env = {
    ...options.env,
    NEXT_TELEMETRY_DISABLED: '1',
    NEXT_SKIP_TYPECHECK: '1',
    ...(options.distDir === '.next' ? {} : { NEXT_DIST_DIR: options.distDir }),
  };
  const fingerprint = buildFingerprint(env);
  const stampPath = join(ROOT, options.distDir, STAMP_FILE);
  const built =
    existsSync(join(ROOT, options.distDir, 'BUILD_ID')) &&
    existsSync(stampPath) &&
    readFileSync(stampPath, 'utf8') === fingerprint;
  if (built) return 'up-to-date';
  log(`Building the app into ${options.distDir} (next build, about half a minute)…`);
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(join(ROOT, 'node_modules', '.bin', 'next'), ['build'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('exit', resolve);
  });
  if (code !== 0) throw new Error(`next build failed (exit code ${code}).`);
  writeFileSync(stampPath, fingerprint);
  return 'built';
}
