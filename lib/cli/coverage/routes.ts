/**
 * Route handlers (each exported HTTP method of `app/**\/route.*`) and pages (`app/**\/page.*`), with what
 * their exported values are. Node-only (CLI).
 */
import type * as TS from 'typescript';
import type { Entry } from './model';
import type { Project } from './project';
import { locate, type Value, type Values } from './values';
import { bodyChecks, wrapperOf } from './wrapper';

/** The methods Next calls in a route handler module. */
export const HTTP_METHODS = ['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'DELETE', 'PATCH'] as const;

/** Line (1-based) of a node. */
export function lineOf(node: TS.Node): number {
  const sf = node.getSourceFile();
  return sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
}

/** The node a value was found at, if any. */
function nodeOf(value: Value): TS.Node | undefined {
  return 'node' in value ? value.node : undefined;
}

/** `file:line` of the value when it lives in another module than `file`; else null. */
export function definedElsewhere(project: Project, value: Value, file: string): string | null {
  const node = nodeOf(value);
  return node && node.getSourceFile().fileName !== file ? locate(project, node) : null;
}

/** Exports of a module, each with what it stands for, plus `export *` statements the binder could not follow. */
export function exportsOf(
  project: Project,
  sf: TS.SourceFile,
): { symbols: TS.Symbol[]; unfollowed: TS.ExportDeclaration[] } {
  const { ts, checker } = project;
  const moduleSymbol = checker.getSymbolAtLocation(sf);
  const symbols = moduleSymbol ? checker.getExportsOfModule(moduleSymbol) : [];
  const unfollowed = sf.statements.filter(
    (s): s is TS.ExportDeclaration =>
      ts.isExportDeclaration(s) &&
      !s.exportClause &&
      !s.isTypeOnly &&
      !!s.moduleSpecifier &&
      ts.isStringLiteral(s.moduleSpecifier) &&
      project.resolution(sf.fileName, s.moduleSpecifier.text)?.kind !== 'source',
  );
  return { symbols, unfollowed };
}

/** The export's line in `sf` (its declaration there, else the first `export *` that brought it). */
export function exportLine(project: Project, symbol: TS.Symbol, sf: TS.SourceFile): number {
  const decl = symbol.declarations?.find((d) => d.getSourceFile() === sf);
  if (decl) return lineOf(decl);
  const star = sf.statements.find((s) => project.ts.isExportDeclaration(s) && !s.exportClause);
  return star ? lineOf(star) : 1;
}

/** One entry per exported HTTP method of every route handler module. */
export function routeEntries(project: Project, values: Values): Entry[] {
  const entries: Entry[] = [];
  for (const appFile of project.appFiles.filter((f) => f.kind === 'route')) {
    const sf = project.program.getSourceFile(appFile.path);
    if (!sf) continue;
    const file = project.rel(appFile.path);
    const { symbols, unfollowed } = exportsOf(project, sf);
    for (const symbol of symbols.filter((s) => (HTTP_METHODS as readonly string[]).includes(s.name))) {
      const value = values.symbolValue(symbol, sf);
      const { wrapper, checks } = wrapperOf(values, value);
      entries.push({
        kind: 'route',
        inline: false,
        name: symbol.name,
        file,
        line: exportLine(project, symbol, sf),
        route: appFile.route,
        runsOn: [],
        exportedName: null,
        actionIds: [],
        definedAt: definedElsewhere(project, value, sf.fileName),
        wrapper,
        bodyChecks: checks,
      });
    }
    for (const star of unfollowed) {
      const specifier = (star.moduleSpecifier as TS.StringLiteral).text;
      entries.push({
        kind: 'route',
        inline: false,
        name: '*',
        file,
        line: lineOf(star),
        route: appFile.route,
        runsOn: [],
        exportedName: null,
        actionIds: [],
        definedAt: null,
        wrapper: {
          status: 'unknown',
          why: `export * from '${specifier}' cannot be followed: which methods it adds, and how they are guarded, is unknown`,
        },
        bodyChecks: [],
      });
    }
  }
  return entries;
}

/** One entry per page, with any session-MFA check inside its component. */
export function pageEntries(project: Project, values: Values): Entry[] {
  const entries: Entry[] = [];
  for (const appFile of project.appFiles.filter((f) => f.kind === 'page')) {
    const sf = project.program.getSourceFile(appFile.path);
    if (!sf) continue;
    const { symbols } = exportsOf(project, sf);
    const page = symbols.find((s) => s.name === 'default');
    const value = page ? values.symbolValue(page, sf) : null;
    const checks = value?.t === 'function' ? bodyChecks(values, value.node, ['requireSessionMfa']) : [];
    entries.push({
      kind: 'page',
      inline: false,
      name: 'page',
      file: project.rel(appFile.path),
      line: page ? exportLine(project, page, sf) : 1,
      route: appFile.route,
      runsOn: [appFile.route],
      exportedName: null,
      actionIds: [],
      definedAt: null,
      wrapper: { status: 'n/a' },
      bodyChecks: checks,
    });
  }
  return entries;
}
