/**
 * The guard of each entry, all facts considered. An entry is guarded when `withSessionMfa` provably wraps it
 * or the middleware provably covers every URL it is reached on; otherwise it is `unknown` when anything the
 * report could not follow might guard it, and `none` when nothing does.
 *
 * `requireSessionMfa(...)` inside a body counts as `unknown`, not guarded: it returns a decision, and whether
 * every path of the handler acts on it before doing anything is not something a reader of the syntax can
 * prove. Wrap the handler with `withSessionMfa` instead, or require its path with a middleware rule.
 * Node-only (CLI).
 */
import { formatPolicy } from './policies';
import type { Entry, Guard, GuardedEntry } from './model';
import type { MiddlewareFact, RouteCoverage } from './route-match';

/** The middleware's verdict for an entry: its route, or every page an action runs on. */
function middlewareFor(entry: Entry, coverage: RouteCoverage): MiddlewareFact {
  if (entry.kind !== 'action') return coverage(entry.route!);
  if (entry.runsOn.length === 0) return { status: 'none', why: 'no page imports it, so no path is known to reach it' };
  const facts = entry.runsOn.map((route) => ({ route, fact: coverage(route) }));
  const none = facts.find((f) => f.fact.status === 'none');
  if (none) {
    const partial = facts.some(
      (f) => f.fact.status === 'covered' || (f.fact.status === 'none' && f.fact.partial === true),
    );
    return {
      status: 'none',
      why: `runs on ${none.route.display}, where ${(none.fact as { why: string }).why}`,
      partial,
    };
  }
  const unknown = facts.find((f) => f.fact.status === 'unknown');
  if (unknown)
    return { status: 'unknown', why: `runs on ${unknown.route.display}: ${(unknown.fact as { why: string }).why}` };
  const rules = new Map(
    facts.flatMap((f) => (f.fact.status === 'covered' ? f.fact.rules : [])).map((r) => [r.path, r]),
  );
  return { status: 'covered', rules: [...rules.values()] };
}

/** Adds middleware coverage and the overall guard to each entry. */
export function evaluateGuards(entries: readonly Entry[], coverage: RouteCoverage): GuardedEntry[] {
  return entries.map((entry) => {
    const middleware = middlewareFor(entry, coverage);
    const wrapped = entry.wrapper.status === 'guarded';
    const covered = middleware.status === 'covered';
    let guard: Guard;
    let note: string | null = null;
    if (wrapped && covered) guard = 'both';
    else if (wrapped) guard = 'withSessionMfa';
    else if (covered) guard = 'middleware';
    else {
      const reasons: string[] = [];
      if (entry.wrapper.status === 'unknown') reasons.push(entry.wrapper.why);
      if (middleware.status === 'unknown') reasons.push(middleware.why);
      for (const check of entry.bodyChecks)
        reasons.push(
          `${check.helper}(${formatPolicy(check.policy)}) is called in the body (${check.at}); whether every path acts on its decision is not checked`,
        );
      guard = reasons.length > 0 ? 'unknown' : 'none';
      note = reasons.length > 0 ? reasons.join('; ') : null;
    }
    if (guard === 'none')
      note =
        [
          middleware.status === 'none' && middleware.partial ? middleware.why : null,
          entry.wrapper.status === 'none' ? entry.wrapper.detail : null,
        ]
          .filter(Boolean)
          .join('; ') || null;
    return { ...entry, middleware, guard, note };
  });
}

/** Whether a guard satisfies `--require`. */
export function isGuarded(guard: Guard): boolean {
  return guard === 'both' || guard === 'middleware' || guard === 'withSessionMfa';
}
