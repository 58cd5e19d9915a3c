/**
 * The App Router file conventions: which files under `app/` are pages, route handlers and segment files, and
 * the URL each one serves, following Next's rules — route groups `(x)` and parallel slots `@x` add no URL
 * segment, `_private` folders are not routed, `%5F` escapes a leading underscore, intercepting segments
 * `(.)x` `(..)x` `(...)x` serve the intercepted URL, `[id]` / `[...slug]` / `[[...slug]]` are dynamic.
 * Node-only (CLI).
 */
import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** File extensions of pages and route handlers. */
export const SOURCE_EXTENSIONS = ['ts', 'tsx', 'js', 'jsx', 'mjs'] as const;

/** Segment files that render inside every page below their folder (they share the pages' server bundle). */
const SEGMENT_FILES = new Set([
  'layout',
  'template',
  'error',
  'loading',
  'not-found',
  'forbidden',
  'unauthorized',
  'default',
]);
/** Root-only files rendered for URLs that match no page (their actions run on any path). */
const ROOT_FALLBACK_FILES = new Set(['not-found', 'global-not-found', 'global-error']);

/** One URL segment of a route. */
export type Segment =
  | { readonly kind: 'static'; readonly value: string }
  | { readonly kind: 'dynamic'; readonly name: string }
  | { readonly kind: 'catch-all'; readonly name: string }
  | { readonly kind: 'optional-catch-all'; readonly name: string };

/** The URL a page or route handler serves. */
export interface RoutePattern {
  readonly segments: readonly Segment[];
  /** Next's notation, e.g. `/api/mfa/factors/[factorId]`. */
  readonly display: string;
}

/** A routable file found under the app directory. */
export interface AppFile {
  readonly kind: 'page' | 'route' | 'segment';
  /** Absolute path. */
  readonly path: string;
  /** Folder the file sits in, absolute (segment files apply to every page below it). */
  readonly dir: string;
  readonly route: RoutePattern;
  /** A root `not-found` / `global-error`: rendered for any unmatched URL. */
  readonly anyPath: boolean;
}

function parseSegment(folder: string): Segment | null {
  if (folder.startsWith('(') && folder.endsWith(')')) return null; // route group
  if (folder.startsWith('@')) return null; // parallel slot
  let m = /^\[\[\.\.\.([^\]]+)\]\]$/.exec(folder);
  if (m) return { kind: 'optional-catch-all', name: m[1]! };
  m = /^\[\.\.\.([^\]]+)\]$/.exec(folder);
  if (m) return { kind: 'catch-all', name: m[1]! };
  m = /^\[([^\]]+)\]$/.exec(folder);
  if (m) return { kind: 'dynamic', name: m[1]! };
  return { kind: 'static', value: folder.startsWith('%5F') ? `_${folder.slice(3)}` : folder };
}

/** The URL of a file whose folders (relative to the app directory) are `folders`. */
export function routeOf(folders: readonly string[]): RoutePattern {
  const segments: Segment[] = [];
  for (const folder of folders) {
    // Intercepting routes: `(.)x` same level, `(..)x` one up (repeatable), `(...)x` from the root.
    const intercept = /^((?:\(\.{1,3}\))+)(.+)$/.exec(folder);
    if (intercept) {
      const marker = intercept[1]!;
      if (marker === '(...)') segments.length = 0;
      else for (let ups = (marker.match(/\(\.\.\)/g) ?? []).length; ups > 0; ups--) segments.pop();
      const seg = parseSegment(intercept[2]!);
      if (seg) segments.push(seg);
      continue;
    }
    const seg = parseSegment(folder);
    if (seg) segments.push(seg);
  }
  return { segments, display: displayRoute(segments) };
}

/** `/a/[id]/[...rest]` notation of a segment list. */
export function displayRoute(segments: readonly Segment[]): string {
  const parts = segments.map((s) =>
    s.kind === 'static'
      ? s.value
      : s.kind === 'dynamic'
        ? `[${s.name}]`
        : s.kind === 'catch-all'
          ? `[...${s.name}]`
          : `[[...${s.name}]]`,
  );
  return `/${parts.join('/')}`;
}

/** Pattern that stands for "any URL" (root not-found and error pages). */
export const ANY_PATH: RoutePattern = {
  segments: [{ kind: 'optional-catch-all', name: 'any' }],
  display: '(any unmatched URL)',
};

/**
 * Every page, route handler and segment file under `appDir`. Private folders (`_x`) and their contents are
 * skipped, as Next does.
 */
export function listAppFiles(appDir: string): AppFile[] {
  const found: AppFile[] = [];
  const walk = (dir: string, folders: string[]): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name.startsWith('_') || entry.name === 'node_modules') continue;
        walk(path, [...folders, entry.name]);
        continue;
      }
      const m = /^(.+)\.([a-z]+)$/.exec(entry.name);
      if (!m || !(SOURCE_EXTENSIONS as readonly string[]).includes(m[2]!)) continue;
      const base = m[1]!;
      const route = routeOf(folders);
      if (base === 'page' || base === 'route') found.push({ kind: base, path, dir, route, anyPath: false });
      else if (SEGMENT_FILES.has(base) || (folders.length === 0 && ROOT_FALLBACK_FILES.has(base))) {
        found.push({
          kind: 'segment',
          path,
          dir,
          route,
          anyPath: folders.length === 0 && ROOT_FALLBACK_FILES.has(base),
        });
      }
    }
  };
  walk(appDir, []);
  return found;
}

/** The URL of a build worker name from the server-reference manifest, e.g. `app/admin/[id]/page`. */
export function routeOfWorker(worker: string): RoutePattern {
  const parts = worker.split('/');
  if (parts[0] === 'app') parts.shift();
  const last = parts.at(-1);
  if (last === 'page' || last === 'route') parts.pop();
  if (parts.length === 1 && parts[0] === '_not-found') return ANY_PATH;
  return routeOf(parts);
}

/** `path` relative to `root`, with `/` separators (how files are shown and matched by `--require`). */
export function relativePosix(root: string, path: string): string {
  return relative(root, path).split(sep).join('/');
}
