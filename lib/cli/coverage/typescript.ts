/**
 * Loads the `typescript` package lazily, so the library itself never needs it: the coverage report is the only
 * user, and every Next.js TypeScript app already has it. The app's own copy is preferred (same version as its
 * code), then the one installed beside this package. Node-only (CLI).
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as TS from 'typescript';
import { UsageError } from './errors';

/** The TypeScript compiler API, as this report uses it. */
export type TypeScript = typeof TS;

/** Returns the TypeScript compiler API from `projectRoot` or from beside this module. */
export async function loadTypeScript(projectRoot: string): Promise<TypeScript> {
  for (const from of [join(projectRoot, 'package.json'), import.meta.url]) {
    try {
      const path = createRequire(from).resolve('typescript');
      const loaded = (await import(pathToFileURL(path).href)) as TypeScript & { default?: TypeScript };
      return loaded.default ?? loaded;
    } catch {
      // try the next location
    }
  }
  throw new UsageError(
    'ERR_COVERAGE_TYPESCRIPT_MISSING',
    'The coverage report parses your app with the TypeScript compiler, and `typescript` is not installed. Add it: npm install --save-dev typescript',
  );
}
