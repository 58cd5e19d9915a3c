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
import type { Value, Values } from './values';
import { bodyChecks, wrapperOf } from './wrapper';

/** The server-function directive a statement list opens with: `use server`, `use cache` (any `use cache: x`), or null. */
export function directiveOf(ts: Project['ts'], statements: readonly TS.Statement[]): 'use server' | 'use cache' | null {
  for (const s of statements) {
    if (!ts.isExpressionStatement(s) || !ts.isStringLiteral(s.expression)) return null;
    const text = s.expression.text;
    if (text === 'use server') return 'use server';
    if (text === 'use cache' || text.startsWith('use cache:')) return 'use cache';
  }
  return null;
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
    else
      for (const page of project.appFiles)
        if (page.kind === 'page' && (page.dir === appFile.dir || page.dir.startsWith(appFile.dir + '/')))
          routes.set(page.route.display, page.route);
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
    // 'use cache' functions are server references too: Next lists them in the same manifest.
    const moduleDirective = directiveOf(ts, sf.statements);
    const moduleExports: { symbol: TS.Symbol; value: Value }[] = [];
    if (moduleDirective) {
      for (const symbol of exportsOf(project, sf).symbols) {
        const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
        if (target.flags & ts.SymbolFlags.Value) moduleExports.push({ symbol, value: values.symbolValue(symbol, sf) }); // types are not actions
      }
    }
    // Next names the functions of a 'use cache' module, and inline server functions, by one counter per file in
    // source order across both directives ($$RSC_SERVER_ACTION_0, $$RSC_SERVER_CACHE_1, …), as a real build's
    // manifest shows; a 'use server' module's exports keep their names.
    const cachedExports = new Set(
      moduleDirective === 'use cache'
        ? moduleExports.flatMap(({ value }) =>
            value.t === 'function' && value.node.getSourceFile() === sf ? [value.node] : [],
          )
        : [],
    );
    const numbered = new Map<TS.Node, string>();
    const inline: { node: TS.SignatureDeclaration; directive: 'use server' | 'use cache' }[] = [];
    let index = 0;
    const visit = (node: TS.Node): void => {
      const isFunction =
        ts.isFunctionDeclaration(node) ||
        ts.isFunctionExpression(node) ||
        ts.isArrowFunction(node) ||
        ts.isMethodDeclaration(node);
      const directive = isFunction && node.body && ts.isBlock(node.body) ? directiveOf(ts, node.body.statements) : null;
      if (isFunction && directive) {
        numbered.set(node, `$$RSC_SERVER_${directive === 'use cache' ? 'CACHE' : 'ACTION'}_${index++}`);
        inline.push({ node, directive });
      } else if (cachedExports.has(node as TS.SignatureDeclaration)) {
        numbered.set(node, `$$RSC_SERVER_CACHE_${index++}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);

    if (moduleDirective) {
      const pages = runsOn(project, reverse, sf.fileName);
      for (const { symbol, value } of moduleExports) {
        const { wrapper, checks } = wrapperOf(values, value);
        const exportedName =
          moduleDirective === 'use server'
            ? symbol.name
            : value.t === 'function'
              ? (numbered.get(value.node) ?? null)
              : null;
        entries.push({
          kind: 'action',
          directive: moduleDirective,
          inline: false,
          name: symbol.name,
          file,
          line: exportLine(project, symbol, sf),
          route: null,
          runsOn: pages,
          exportedName,
          actionIds: [],
          definedAt: definedElsewhere(project, value, sf.fileName),
          wrapper,
          bodyChecks: checks,
        });
      }
      for (const star of exportsOf(project, sf).unfollowed) {
        entries.push({
          kind: 'action',
          directive: moduleDirective,
          inline: false,
          name: '*',
          file,
          line: lineOf(star),
          route: null,
          runsOn: pages,
          exportedName: null,
          actionIds: [],
          definedAt: null,
          wrapper: {
            status: 'unknown',
            why: `export * from '${(star.moduleSpecifier as TS.StringLiteral).text}' cannot be followed: which actions it adds is unknown`,
          },
          bodyChecks: [],
        });
      }
    }
    for (const { node, directive } of inline) {
      const wrapped =
        ts.isCallExpression(node.parent) &&
        (() => {
          const callee = values.valueOf((node.parent as TS.CallExpression).expression);
          return callee.t === 'helper' && callee.name === 'withSessionMfa';
        })();
      entries.push({
        kind: 'action',
        directive,
        inline: true,
        name: values.functionName(node),
        file,
        line: lineOf(node),
        route: null,
        runsOn: runsOn(project, reverse, sf.fileName),
        exportedName: numbered.get(node)!,
        actionIds: [],
        definedAt: null,
        wrapper: wrapped
          ? {
              status: 'none',
              detail:
                'wrapped in withSessionMfa, but the action Next registers is the inner function: its endpoint runs unguarded',
            }
          : { status: 'none' },
        bodyChecks: bodyChecks(values, node),
      });
    }
  }
  return entries;
}
