/**
 * Cross-check with the build: every server action in Next's server-reference manifest
 * (`.next/server/server-reference-manifest.json`: `{ node: { [id]: { workers, filename, exportedName } },
 * edge: {…}, encryptionKey }`) must be an entry of the report — `filename` + `exportedName`, inline actions
 * as `$$RSC_SERVER_ACTION_<n>` — so nothing the build registered escapes the scan. The manifest's `workers`
 * (the pages whose bundle holds the action) are added to the pages the scan found. Node-only (CLI).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { relativePosix, routeOfWorker, type RoutePattern } from './app-tree';
import { UsageError } from './errors';
import type { Entry } from './model';

/** One action of the build that the scan did not find. */
export interface MissedAction {
  readonly id: string;
  readonly runtime: 'node' | 'edge';
  readonly filename: string;
  readonly exportedName: string;
  readonly workers: readonly string[];
}

/** Result of the cross-check. */
export interface ManifestCheck {
  /** The manifest read, relative to the project root. */
  readonly file: string;
  readonly actions: number;
  readonly matched: number;
  readonly missed: readonly MissedAction[];
}

interface ManifestAction {
  readonly workers: Record<string, unknown>;
  readonly filename: string;
  readonly exportedName: string;
}

function parseManifest(path: string): { runtime: 'node' | 'edge'; id: string; action: ManifestAction }[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError('ERR_COVERAGE_MANIFEST', `${path} cannot be read as JSON (${(error as Error).message}).`);
  }
  const shape = raw as { node?: unknown; edge?: unknown } | null;
  if (typeof shape !== 'object' || shape === null || typeof shape.node !== 'object' || shape.node === null) {
    throw new UsageError('ERR_COVERAGE_MANIFEST', `${path} is not a server-reference manifest (no "node" map).`);
  }
  const out: { runtime: 'node' | 'edge'; id: string; action: ManifestAction }[] = [];
  for (const runtime of ['node', 'edge'] as const) {
    const map = (shape as Record<string, unknown>)[runtime];
    if (map === undefined) continue;
    for (const [id, value] of Object.entries(map as Record<string, unknown>)) {
      const a = value as Partial<ManifestAction> | null;
      if (
        !a ||
        typeof a.filename !== 'string' ||
        typeof a.exportedName !== 'string' ||
        typeof a.workers !== 'object' ||
        a.workers === null
      ) {
        throw new UsageError(
          'ERR_COVERAGE_MANIFEST',
          `${path}: action ${id} has no filename/exportedName/workers (a Next.js version this report does not read).`,
        );
      }
      out.push({ runtime, id, action: a as ManifestAction });
    }
  }
  return out;
}

/** Project-relative path of a manifest `filename` (relative to the build's root, which may be an ancestor). */
function locateFile(root: string, filename: string): string | null {
  for (let dir = root; ; dir = dirname(dir)) {
    const candidate = resolve(dir, filename);
    if (
      existsSync(candidate) &&
      (candidate === root || candidate.startsWith(root + '/') || candidate.startsWith(root + '\\'))
    )
      return relativePosix(root, candidate);
    if (dirname(dir) === dir) return null;
  }
}

/** Matches the manifest's actions to the entries, adding the build's workers to each action's pages. */
export function crossCheck(
  root: string,
  manifestPath: string,
  entries: readonly Entry[],
): { entries: Entry[]; check: ManifestCheck } {
  const actions = parseManifest(manifestPath);
  const byKey = new Map(
    entries.filter((e) => e.kind === 'action' && e.exportedName).map((e) => [`${e.file}#${e.exportedName}`, e]),
  );
  const extraRoutes = new Map<Entry, RoutePattern[]>();
  const ids = new Map<Entry, string[]>();
  const missed: MissedAction[] = [];
  for (const { runtime, id, action } of actions) {
    const file = locateFile(root, action.filename);
    const entry = file ? byKey.get(`${file}#${action.exportedName}`) : undefined;
    if (!entry) {
      missed.push({
        id,
        runtime,
        filename: file ?? action.filename,
        exportedName: action.exportedName,
        workers: Object.keys(action.workers),
      });
      continue;
    }
    ids.set(entry, [...(ids.get(entry) ?? []), id]);
    extraRoutes.set(entry, [...(extraRoutes.get(entry) ?? []), ...Object.keys(action.workers).map(routeOfWorker)]);
  }
  const merged = entries.map((entry) => {
    const extra = extraRoutes.get(entry);
    if (!extra) return entry;
    const routes = new Map([...entry.runsOn, ...extra].map((r) => [r.display, r]));
    return {
      ...entry,
      actionIds: ids.get(entry) ?? [],
      runsOn: [...routes.values()].sort((a, b) => a.display.localeCompare(b.display)),
    };
  });
  return {
    entries: merged,
    check: {
      file: relativePosix(root, resolve(manifestPath)),
      actions: actions.length,
      matched: actions.length - missed.length,
      missed,
    },
  };
}
