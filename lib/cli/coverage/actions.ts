/**
 * Server actions: every value export of a `'use server'` module and every inline `'use server'` function, with
 * the pages whose server bundle holds them — an action POST is handled on those pages' paths, so that is where
 * the middleware has to cover it (Next forwards an action POSTed elsewhere to the first such page).
 * Node-only (CLI).
 */
import type * as TS from 'typescript';
import { ANY_PATH, type RoutePattern } from './app-tree';
import type { Entry } from './model';
import type { Project } from './project';
import { definedElsewhere, exportLine, exportsOf, lineOf } from './routes';
import type { Values } from './values';
import { bodyChecks, wrapperOf } from './wrapper';

/** Whether a statement list opens with the directive `text` (`'use server'`). */
export function hasDirective(ts: Project['ts'], statements: readonly TS.Statement[], text: string): boolean {
  for (const s of statements) {
    if (!ts.isExpressionStatement(s) || !ts.isStringLiteral(s.expression)) return false;
    if (s.expression.text === text) return true;
  }
  return false;
}

/** Pages (by URL) whose bundle reaches `file` through first-party imports, from any page, layout or route. */
function runsOn(project: Project, reverse: ReadonlyMap<string, ReadonlySet<string>>, file: string): RoutePattern[] {
  const reached = new Set([file]);
  const queue = [file];
  while (queue.length > 0) {
    for (const importer of reverse.get(queue.pop()!) ?? []) {
      if (reached.has(importer)) continue;
      reached.add(importer);
      queue.push(importer);
    }
  }
  const routes = new Map<string, RoutePattern>();
  for (const appFile of project.appFiles) {
    if (!reached.has(appFile.path)) continue;
    if (appFile.anyPath) routes.set(ANY_PATH.display, ANY_PATH);
    else if (appFile.kind !== 'segment') routes.set(appFile.route.display, appFile.route);
    else for (const page of project.appFiles) if (page.kind === 'page' && (page.dir === appFile.dir || page.dir.startsWith(appFile.dir + '/'))) routes.set(page.route.display, page.route);
  }
  return [...routes.values()].sort((a, b) => a.display.localeCompare(b.display));
}

function reverseImports(project: Project): Map<string, Set<string>> {
  const reverse = new Map<string, Set<string>>();
  for (const sf of project.program.getSourceFiles()) {
    for (const target of project.importsOf(sf.fileName)) {
      const set = reverse.get(target) ?? new Set<string>();
      set.add(sf.fileName);
      reverse.set(target, set);
    }
  }
  return reverse;
}

/** One entry per server action the app defines. */
export function actionEntries(project: Project, values: Values): Entry[] {
  const { ts, checker } = project;
  const reverse = reverseImports(project);
  const entries: Entry[] = [];
  for (const sf of project.program.getSourceFiles()) {
    const file = project.rel(sf.fileName);
    if (hasDirective(ts, sf.statements, 'use server')) {
      const pages = runsOn(project, reverse, sf.fileName);
      const { symbols, unfollowed } = exportsOf(project, sf);
      for (const symbol of symbols) {
        const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
        if (!(target.flags & ts.SymbolFlags.Value)) continue; // types and interfaces are not actions
        const value = values.symbolValue(symbol, sf);
        const { wrapper, checks } = wrapperOf(values, value);
        entries.push({ kind: 'action', inline: false, name: symbol.name, file, line: exportLine(project, symbol, sf), route: null, runsOn: pages, exportedName: symbol.name, actionIds: [], definedAt: definedElsewhere(project, value, sf.fileName), wrapper, bodyChecks: checks });
      }
      for (const star of unfollowed) {
        entries.push({
          kind: 'action', inline: false, name: '*', file, line: lineOf(star), route: null, runsOn: pages, exportedName: null, actionIds: [], definedAt: null,
          wrapper: { status: 'unknown', why: `export * from '${(star.moduleSpecifier as TS.StringLiteral).text}' cannot be followed: which actions it adds is unknown` },
          bodyChecks: [],
        });
      }
    }
    // Inline actions: Next numbers them per file in source order ($$RSC_SERVER_ACTION_0, _1, …).
    let index = 0;
    const visit = (node: TS.Node): void => {
      if ((ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node) || ts.isMethodDeclaration(node)) && node.body && ts.isBlock(node.body) && hasDirective(ts, node.body.statements, 'use server')) {
        const wrapped = ts.isCallExpression(node.parent) && (() => {
          const callee = values.valueOf(node.parent.expression);
          return callee.t === 'helper' && callee.name === 'withSessionMfa';
        })();
        entries.push({
          kind: 'action', inline: true, name: values.functionName(node), file, line: lineOf(node), route: null, runsOn: runsOn(project, reverse, sf.fileName),
          exportedName: `$$RSC_SERVER_ACTION_${index++}`, actionIds: [], definedAt: null,
          wrapper: wrapped
            ? { status: 'none', detail: 'wrapped in withSessionMfa, but the action Next registers is the inner function: its endpoint runs unguarded' }
            : { status: 'none' },
          bodyChecks: bodyChecks(values, node),
        });
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return entries;
}
