/**
 * Whether the middleware's rules cover every URL a route serves, with the matcher the middleware itself uses
 * (`path-to-regexp` 6.3.0 `match`, as in `lib/next/middleware.ts`) and Next's compilation of `config.matcher`
 * (`pathToRegexp(source)` with its default options, as Next's `tryToParsePath` does).
 *
 * A static route is one URL, tested exactly. A dynamic one (`[id]`, `[...slug]`, `[[...slug]]`) is tested
 * with sample values: plain ones, long ones, numbers, and every literal word of the patterns themselves (so a
 * `(?!_next/static)` exclusion is tried). "Covered" needs every sample to hit a rule; any sample that misses
 * proves the route is not covered everywhere. A pattern with a custom regular expression beyond `.*`,
 * `.+` and literal `(?!a|b).*` exclusions could reject a value no sample tried, so a dynamic route whose
 * verdict depends on one is `unknown`. Node-only (CLI).
 */
import { match, parse, pathToRegexp } from 'path-to-regexp';
import type { RoutePattern, Segment } from './app-tree';
import type { MiddlewareModel, MiddlewareRule } from './middleware-rules';

/** How the middleware treats every URL of one route. */
export type MiddlewareFact =
  | { readonly status: 'covered'; readonly rules: readonly MiddlewareRule[] }
  /** `partial`: some URLs of the route are covered, so the gap is easy to miss (the report explains it). */
  | { readonly status: 'none'; readonly why: string; readonly signInOnly?: boolean; readonly partial?: boolean }
  | { readonly status: 'unknown'; readonly why: string };

const SEGMENT_PATTERN = '[^\\/#\\?]+?';
const PLAIN_PATTERNS = new Set([SEGMENT_PATTERN, '.*', '.+', '.*?', '.+?']);
const LITERAL_EXCLUSION = /^\(\?!((?:[\w.~/-]|\\.)+(?:\|(?:[\w.~/-]|\\.)+)*)\)\.[*+]\??$/;

/** Whether every parameter of `pattern` accepts any value or only excludes literal prefixes. */
function isPlain(pattern: string): boolean {
  try {
    return parse(pattern).every(
      (t) => typeof t === 'string' || PLAIN_PATTERNS.has(t.pattern) || LITERAL_EXCLUSION.test(t.pattern),
    );
  } catch {
    return false;
  }
}

/** Literal runs of the patterns, split into segments: `/((?!_next/static|favicon.ico).*)` → `_next/static`, … */
function literalRuns(patterns: readonly string[]): string[][] {
  const runs: string[][] = [];
  for (const p of patterns)
    for (const run of p.replace(/\\./g, (m) => m.slice(1)).split(/[^\w.~/-]+/)) {
      const segs = run.split('/').filter((s) => s.length > 0);
      if (segs.length > 0) runs.push(segs);
    }
  return runs;
}

function samples(patterns: readonly string[]): { single: string[]; many: string[][] } {
  const runs = literalRuns(patterns);
  const words = [...new Set(runs.flat())];
  const single = [...new Set(['x', 'Y', '0', '123', 'a-b.c_d~e', 'z'.repeat(150), ...words])];
  const many = [
    ['x'],
    ['x', 'y'],
    ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'],
    ...runs,
    ...runs.map((r) => [...r, 'x']),
    ...words.map((w) => [w]),
  ];
  return { single, many };
}

/** Concrete URLs standing for `route`: one base URL, then each dynamic segment varied over the samples. */
export function sampleUrls(route: RoutePattern, patterns: readonly string[]): string[] {
  const { single, many } = samples(patterns);
  const options = (s: Segment): string[][] => {
    switch (s.kind) {
      case 'static':
        return [[s.value]];
      case 'dynamic':
        return single.map((v) => [v]);
      case 'catch-all':
        return many;
      case 'optional-catch-all':
        return [[], ...many];
    }
  };
  const choices = route.segments.map(options);
  const url = (picked: number[]): string => '/' + choices.flatMap((c, i) => c[picked[i]!]!).join('/');
  const base = choices.map(() => 0);
  const urls = new Set([url(base)]);
  choices.forEach((c, i) => c.forEach((_, j) => urls.add(url(base.map((b, k) => (k === i ? j : b))))));
  return [...urls];
}

/** The middleware's verdict for every URL of one route. */
export type RouteCoverage = (route: RoutePattern) => MiddlewareFact;

/** Builds the coverage test of a middleware (compiled once). */
export function coverageOf(model: MiddlewareModel): RouteCoverage {
  if (model.state === 'absent') return () => ({ status: 'none', why: model.why });
  if (model.state === 'unknown') return () => ({ status: 'unknown', why: model.why });
  let rules: { rule: MiddlewareRule; test: (pathname: string) => boolean }[];
  let signIn: (pathname: string) => boolean;
  let matchers: { source: string; conditional: boolean; regexp: RegExp }[] | null;
  try {
    rules = model.rules.map((rule) => ({ rule, test: compileRule(rule.path) }));
    const open = model.signIn?.unauthenticatedPaths.map(compileRule) ?? [];
    const callback = model.signIn?.callbackPath ?? null;
    signIn = model.signIn ? (pathname) => pathname !== callback && !open.some((t) => t(pathname)) : () => false;
    matchers = model.matcher?.map((m) => ({ ...m, regexp: pathToRegexp(m.source) })) ?? null;
  } catch (error) {
    const why = `${model.file}: a path pattern does not compile (${(error as Error).message})`;
    return () => ({ status: 'unknown', why });
  }
  const patterns = [...model.rules.map((r) => r.path), ...(model.matcher ?? []).map((m) => m.source)];
  const plain = new Map(patterns.map((p) => [p, isPlain(p)]));

  return (route) => {
    const dynamic = route.segments.some((s) => s.kind !== 'static');
    const urls = dynamic ? sampleUrls(route, patterns) : [sampleUrls(route, [])[0]!];
    const used = new Set<number>();
    const usedPatterns = new Set<string>();
    const misses: string[] = [];
    const skipped: string[] = [];
    let conditional = false;
    let signInOnly = true;
    for (const url of urls) {
      if (matchers) {
        const hits = matchers.filter((m) => m.regexp.test(url));
        if (hits.length === 0) {
          skipped.push(url);
          continue;
        }
        hits.forEach((h) => usedPatterns.add(h.source));
        if (hits.every((h) => h.conditional)) conditional = true;
      }
      const index = rules.findIndex((r) => r.test(url));
      if (index < 0) {
        misses.push(url);
        if (!signIn(url)) signInOnly = false;
        continue;
      }
      used.add(index);
      usedPatterns.add(rules[index]!.rule.path);
    }
    const example = (list: string[]) => (dynamic ? ` (e.g. ${list[0]})` : '');
    if (skipped.length > 0) {
      const why =
        skipped.length === urls.length
          ? 'config.matcher excludes this path: the middleware does not run'
          : `config.matcher skips some URLs of this route${example(skipped)}`;
      return { status: 'none', why, partial: skipped.length < urls.length };
    }
    if (misses.length > 0) {
      const why =
        misses.length === urls.length
          ? signInOnly
            ? 'sign-in only (middlewareAuth), no MFA rule'
            : 'no rule matches this path'
          : `rules cover only some URLs of this route${example(misses)}`;
      if (misses.length < urls.length) return { status: 'none', why, partial: true };
      return signInOnly ? { status: 'none', why, signInOnly: true } : { status: 'none', why };
    }
    if (conditional)
      return {
        status: 'unknown',
        why: 'the matcher entry for this path has has/missing conditions: whether the middleware runs depends on the request',
      };
    if (dynamic && [...usedPatterns].some((p) => !plain.get(p))) {
      return {
        status: 'unknown',
        why: `a pattern with a custom regular expression decides a dynamic route; every value of ${route.display} cannot be proven to match`,
      };
    }
    if (model.rewrites) return { status: 'unknown', why: model.rewrites };
    return { status: 'covered', rules: [...used].sort((a, b) => a - b).map((i) => rules[i]!.rule) };
  };
}

/** The middleware's own path test (`lib/next/middleware.ts`): path-to-regexp `match` with decoding. */
function compileRule(path: string): (pathname: string) => boolean {
  const fn = match(path, { decode: decodeURIComponent });
  return (pathname) => {
    try {
      return fn(pathname) !== false;
    } catch {
      return false;
    }
  };
}
