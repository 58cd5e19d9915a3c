/** The report as JSON and as a readable table. Node-only (CLI). */
import type { RoutePattern } from './app-tree';
import type { ManifestCheck } from './manifest';
import type { MiddlewareModel } from './middleware-rules';
import type { Guard, GuardedEntry } from './model';
import { formatPolicy, type PolicyLabel } from './policies';

/** Everything the CLI prints (the `--json` output). */
export interface CoverageReport {
  /** Version of this JSON shape. */
  readonly version: 1;
  /** The project directory as given. */
  readonly root: string;
  readonly appDir: string;
  readonly middleware: MiddlewareModel;
  readonly entries: readonly GuardedEntry[];
  readonly manifest: ManifestCheck | null;
  readonly required: { readonly patterns: readonly string[]; readonly failures: readonly GuardedEntry[] } | null;
  readonly exitCode: 0 | 1;
}

/** How the entry is named in the table: `GET /api/x`, `rotateApiKey`, `/admin`. */
export function labelOf(entry: GuardedEntry): string {
  if (entry.kind === 'route') return `${entry.name} ${entry.route!.display}`;
  if (entry.kind === 'page') return entry.route!.display;
  const tags = [entry.inline ? 'inline' : null, entry.directive === 'use cache' ? 'use cache' : null].filter(Boolean);
  return tags.length > 0 ? `${entry.name} (${tags.join(', ')})` : entry.name;
}

function runsOnText(routes: readonly RoutePattern[]): string {
  if (routes.length === 0) return 'on no page';
  const shown = routes
    .slice(0, 2)
    .map((r) => r.display)
    .join(', ');
  return `on ${shown}${routes.length > 2 ? ` +${routes.length - 2}` : ''}`;
}

function middlewareText(entry: GuardedEntry): string {
  const m = entry.middleware;
  if (m.status === 'covered')
    return m.rules.map((r) => `${r.path} → ${r.policy.name ?? r.policy.expression}`).join(', ');
  if (m.status === 'unknown') return 'unknown';
  return m.signInOnly ? 'sign-in only' : '—';
}

function wrapperText(entry: GuardedEntry): string {
  const w = entry.wrapper;
  if (w.status === 'guarded') return formatPolicy(w.policy);
  if (w.status === 'unknown') return 'unknown';
  const check = entry.bodyChecks[0];
  if (check) return `${check.helper} in body`;
  return w.status === 'n/a' ? '' : '—';
}

const GUARD_TEXT: Record<Guard, string> = {
  both: 'both',
  middleware: 'middleware',
  withSessionMfa: 'withSessionMfa',
  none: 'NONE',
  unknown: 'UNKNOWN',
};

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map(
    (r) =>
      '  ' +
      r
        .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd(),
  );
}

function policyList(rules: readonly { path: string; policy: PolicyLabel }[]): string {
  return rules.map((r) => `${r.path} → ${formatPolicy(r.policy)}`).join('; ');
}

/** The readable report. */
export function renderTable(report: CoverageReport): string {
  const out: string[] = [];
  const m = report.middleware;
  out.push(`Session-MFA coverage of ${report.root} (${report.appDir}/)`);
  if (m.state === 'rules') {
    out.push(`Middleware ${m.file}: ${m.rules.length > 0 ? policyList(m.rules) : 'no MFA rules'}`);
    if (m.signIn)
      out.push(
        `  sign-in (middlewareAuth): every path but ${[...m.signIn.unauthenticatedPaths, m.signIn.callbackPath ?? 'the AuthKit callback (NEXT_PUBLIC_WORKOS_REDIRECT_URI not set here)'].join(', ')}`,
      );
    out.push(
      `  runs on: ${m.matcher ? m.matcher.map((x) => x.source + (x.conditional ? ' (with has/missing)' : '')).join(', ') : 'every path (no config.matcher)'}`,
    );
    if (m.rewrites) out.push(`  ! ${m.rewrites}`);
  } else {
    out.push(`Middleware: ${m.state === 'absent' ? 'none' : 'UNKNOWN'} — ${m.why}`);
  }
  const notes: string[] = [];
  const sections: [string, GuardedEntry[]][] = [
    ['Route handlers', report.entries.filter((e) => e.kind === 'route')],
    ['Server actions', report.entries.filter((e) => e.kind === 'action')],
    ['Pages', report.entries.filter((e) => e.kind === 'page')],
  ];
  for (const [title, entries] of sections) {
    out.push('', `${title} (${entries.length})`);
    if (entries.length === 0) continue;
    const rows = [['GUARD', 'ENTRY', 'MIDDLEWARE', 'withSessionMfa', 'FILE']];
    for (const e of entries) {
      let marker = '';
      if (e.note) {
        notes.push(`[${notes.length + 1}] ${labelOf(e)} (${e.file}:${e.line}): ${e.note}`);
        marker = ` [${notes.length}]`;
      }
      const entry = e.kind === 'action' ? `${labelOf(e)} ${runsOnText(e.runsOn)}` : labelOf(e);
      const file = `${e.file}:${e.line}${e.definedAt ? ` → ${e.definedAt}` : ''}`;
      rows.push([GUARD_TEXT[e.guard] + marker, entry, middlewareText(e), wrapperText(e), file]);
    }
    out.push(...table(rows));
  }
  if (notes.length > 0) out.push('', 'Notes', ...notes.map((n) => `  ${n}`));
  const count = (g: Guard) => report.entries.filter((e) => e.guard === g).length;
  out.push(
    '',
    `${report.entries.length} entries: ${count('both')} both, ${count('withSessionMfa')} withSessionMfa, ${count('middleware')} middleware, ${count('unknown')} unknown, ${count('none')} none`,
  );
  if (report.manifest) {
    const c = report.manifest;
    out.push(
      c.missed.length === 0
        ? `Build cross-check (${c.file}): all ${c.actions} server actions of the build are in this report.`
        : `Build cross-check (${c.file}): ${c.missed.length} of ${c.actions} server actions of the build are NOT in this report:`,
    );
    for (const a of c.missed)
      out.push(
        `  ${a.filename} ${a.exportedName} (id ${a.id}, ${a.runtime}, on ${a.workers.join(', ') || 'no page'}) — rebuild if the source changed, else the scan cannot see it`,
      );
  } else {
    out.push('Build cross-check: no server-reference manifest (build the app, or pass --manifest).');
  }
  if (report.required) {
    const { patterns, failures } = report.required;
    out.push(
      failures.length === 0
        ? `Required (${patterns.join(' ')}): every matching entry is guarded.`
        : `Required (${patterns.join(' ')}): ${failures.length} not guarded:`,
    );
    for (const f of failures)
      out.push(
        `  ${f.guard === 'unknown' ? 'UNKNOWN' : 'NONE'}  ${labelOf(f)}  ${f.file}:${f.line}${f.note ? ` — ${f.note}` : ''}`,
      );
  }
  return out.join('\n');
}

/** The `--json` output: the report with route patterns as their display strings. */
export function renderJson(report: CoverageReport): string {
  const labelled = (entries: readonly GuardedEntry[]) => entries.map((e) => ({ label: labelOf(e), ...e }));
  const shown = {
    ...report,
    entries: labelled(report.entries),
    required: report.required && { ...report.required, failures: labelled(report.required.failures) },
  };
  return JSON.stringify(
    shown,
    (key, value: unknown) => {
      if ((key === 'route' || key === 'runsOn') && value !== null)
        return Array.isArray(value) ? value.map((r: RoutePattern) => r.display) : (value as RoutePattern).display;
      return value;
    },
    2,
  );
}
