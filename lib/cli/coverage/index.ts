/**
 * `authkit-session-mfa coverage`: every route handler, server action and page of a Next.js App Router app,
 * each with its session-MFA guard. Node-only (CLI): never imported by the library's runtime entry points.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { actionEntries } from './actions';
import { evaluateGuards } from './guards';
import { crossCheck, type ManifestCheck } from './manifest';
import { readMiddleware } from './middleware-rules';
import { loadProject } from './project';
import { requiredFailures } from './require';
import type { CoverageReport } from './report';
import { coverageOf } from './route-match';
import { pageEntries, routeEntries } from './routes';
import { loadTypeScript } from './typescript';
import { Values } from './values';

/** What to report on. */
export interface CoverageOptions {
  /** The app's directory (holding `app/` or `src/app/`). */
  readonly root: string;
  /** Patterns of files whose entries must be guarded. */
  readonly require: readonly string[];
  /** Server-reference manifest to cross-check: a path, `auto` (`.next/server/…` when it exists) or `null` (skip). */
  readonly manifest: string | 'auto' | null;
}

/** Default location of the manifest under a project root. */
export const DEFAULT_MANIFEST = join('.next', 'server', 'server-reference-manifest.json');

/** Builds the report; throws `UsageError` for problems of the input. */
export async function runCoverage(options: CoverageOptions): Promise<CoverageReport> {
  const ts = await loadTypeScript(resolve(options.root));
  const project = loadProject(ts, options.root);
  const values = new Values(project);
  const middleware = readMiddleware(project, values);
  let entries = [...routeEntries(project, values), ...actionEntries(project, values), ...pageEntries(project, values)];

  let manifest: ManifestCheck | null = null;
  const manifestPath =
    options.manifest === 'auto'
      ? existsSync(join(project.root, DEFAULT_MANIFEST))
        ? join(project.root, DEFAULT_MANIFEST)
        : null
      : options.manifest && resolve(options.manifest);
  if (manifestPath) ({ entries, check: manifest } = crossCheck(project.root, manifestPath, entries));

  const guarded = evaluateGuards(entries, coverageOf(middleware));
  const failures = options.require.length > 0 ? requiredFailures(guarded, options.require) : null;
  const failed = (failures?.length ?? 0) > 0 || (manifest?.missed.length ?? 0) > 0;
  return {
    version: 1,
    root: options.root,
    appDir: project.rel(project.appDir),
    middleware,
    entries: guarded,
    manifest,
    required: failures && { patterns: options.require, failures },
    exitCode: failed ? 1 : 0,
  };
}
