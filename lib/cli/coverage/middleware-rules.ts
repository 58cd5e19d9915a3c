/**
 * What the app's `middleware.ts` / `proxy.ts` enforces: the `rules` (and authkit's `middlewareAuth`) passed to
 * `createSessionMfaMiddleware`, the `config.matcher` deciding where the middleware runs at all, and whether
 * `next.config` rewrites could bring a URL the rules did not see to a route. Read statically; anything the
 * report cannot read makes the middleware's coverage `unknown`, never assumed. Node-only (CLI).
 */
import type * as TS from 'typescript';
import { policyLabel, type PolicyLabel } from './policies';
import type { Project } from './project';
import { locate, Values } from './values';

/** One `{ path, policy }` rule, in order (the first matching rule applies). */
export interface MiddlewareRule {
  readonly path: string;
  readonly policy: PolicyLabel;
}

/** One entry of `config.matcher`. */
export interface MatcherEntry {
  readonly source: string;
  /** Has `has` / `missing` conditions: whether the middleware runs depends on the request. */
  readonly conditional: boolean;
}

/** The middleware as read from the app. */
export type MiddlewareModel =
  | { readonly state: 'absent'; readonly file: string | null; readonly why: string }
  | {
      readonly state: 'rules';
      readonly file: string;
      readonly rules: readonly MiddlewareRule[];
      /** authkit's `middlewareAuth` (sign-in everywhere but `unauthenticatedPaths`), when on and readable; shown only. */
      readonly signIn: {
        readonly unauthenticatedPaths: readonly string[];
        readonly callbackPath: string | null;
      } | null;
      /** `null`: no matcher, the middleware runs on every path. */
      readonly matcher: readonly MatcherEntry[] | null;
      /** Why rewrites in next.config could route around the rules; null when there are none (or all go off-site). */
      readonly rewrites: string | null;
    }
  | { readonly state: 'unknown'; readonly file: string; readonly why: string };

const EXPORT_NAMES = ['default', 'middleware', 'proxy'];

/**
 * The rules every configuration applies: an array literal's items; for `cond ? [...] : [...]` (a switch read at run
 * time), only the rules both branches start with — the first matching rule decides, so those match the same paths
 * the same way whatever `cond` is, and a rule present in one branch only guards nothing for sure.
 */
function guaranteedRules(ts: Project['ts'], values: Values, node: TS.Expression): readonly TS.Expression[] | null {
  let expr = node;
  while (ts.isParenthesizedExpression(expr)) expr = expr.expression;
  if (!ts.isConditionalExpression(expr)) return values.arrayOf(node);
  const whenTrue = guaranteedRules(ts, values, expr.whenTrue);
  const whenFalse = guaranteedRules(ts, values, expr.whenFalse);
  if (!whenTrue || !whenFalse) return null;
  const common: TS.Expression[] = [];
  for (
    let i = 0;
    i < Math.min(whenTrue.length, whenFalse.length) && whenTrue[i]!.getText() === whenFalse[i]!.getText();
    i++
  )
    common.push(whenTrue[i]!);
  return common;
}

function findCall(ts: Project['ts'], values: Values, root: TS.Node): TS.CallExpression | null {
  let found: TS.CallExpression | null = null;
  const visit = (node: TS.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node)) {
      const callee = values.valueOf(node.expression);
      if (callee.t === 'library' && callee.name === 'createSessionMfaMiddleware') {
        found = node;
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(root);
  return found;
}

function readMatcher(
  ts: Project['ts'],
  values: Values,
  sf: TS.SourceFile,
  exports: readonly TS.Symbol[],
): readonly MatcherEntry[] | null | string {
  const config = exports.find((s) => s.name === 'config');
  if (!config) return null;
  const value = values.symbolValue(config, sf);
  if (value.t !== 'expression' || !ts.isObjectLiteralExpression(value.node)) return '`config` is not an object literal';
  const matcher = values.propertyOf(value.node, 'matcher');
  if (matcher === undefined) return null;
  if (matcher.t !== 'expression') return '`config.matcher` cannot be read';
  const items = ts.isArrayLiteralExpression(matcher.node) ? values.arrayOf(matcher.node) : [matcher.node];
  if (!items) return '`config.matcher` is not a plain array';
  const entries: MatcherEntry[] = [];
  for (const item of items) {
    const text = values.stringOf(item);
    if (text !== null) {
      entries.push({ source: text, conditional: false });
      continue;
    }
    const object = values.objectOf(item);
    const source = object ? values.propertyOf(object, 'source') : undefined;
    const sourceText = source?.t === 'expression' ? values.stringOf(source.node) : null;
    if (!object || sourceText === null)
      return `a \`config.matcher\` entry cannot be read (${locate(values.project, item)})`;
    const conditional =
      values.propertyOf(object, 'has') !== undefined || values.propertyOf(object, 'missing') !== undefined;
    entries.push({ source: sourceText, conditional });
  }
  return entries;
}

/** Why next.config's rewrites could reach a route without its URL passing the middleware; null if none. */
function readRewrites(project: Project): string | null {
  const { ts, nextConfigFile } = project;
  if (!nextConfigFile) return null;
  const text = ts.sys.readFile(nextConfigFile) ?? '';
  const sf = ts.createSourceFile(nextConfigFile, text, ts.ScriptTarget.Latest, true);
  let rewrites: TS.Node | null = null;
  const visit = (node: TS.Node): void => {
    if (
      (ts.isPropertyAssignment(node) || ts.isMethodDeclaration(node) || ts.isShorthandPropertyAssignment(node)) &&
      ts.isIdentifier(node.name) &&
      node.name.text === 'rewrites'
    )
      rewrites = node;
    if (!rewrites) ts.forEachChild(node, visit);
  };
  visit(sf);
  if (!rewrites) return null;
  // Rewrites to other sites (https://…) cannot reach this app's routes; any other destination can.
  let internal = false;
  const destinations = (node: TS.Node): void => {
    if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && node.name.text === 'destination') {
      const d = node.initializer;
      if (!(ts.isStringLiteralLike(d) && /^https?:\/\//.test(d.text))) internal = true;
    }
    ts.forEachChild(node, destinations);
  };
  destinations(rewrites);
  const sawDestination = /destination/.test((rewrites as TS.Node).getText(sf));
  if (internal || !sawDestination)
    return `${project.rel(nextConfigFile)} defines rewrites to this app's own paths (or ones the report cannot read); a rewritten URL reaches a route without passing the middleware's rules for that route's path`;
  return null;
}

/** `middlewareAuth: { enabled: true, unauthenticatedPaths }` when it reads statically; else null (sign-in is only shown). */
function readSignIn(
  values: Values,
  options: TS.ObjectLiteralExpression,
): { unauthenticatedPaths: string[]; callbackPath: string | null } | null {
  const auth = values.propertyOf(options, 'middlewareAuth');
  const object = auth?.t === 'expression' && values.project.ts.isObjectLiteralExpression(auth.node) ? auth.node : null;
  const enabled = object ? values.propertyOf(object, 'enabled') : undefined;
  if (!object || enabled?.t !== 'expression' || enabled.node.kind !== values.project.ts.SyntaxKind.TrueKeyword)
    return null;
  const paths = values.propertyOf(object, 'unauthenticatedPaths');
  const items = paths === undefined ? [] : paths.t === 'expression' ? values.arrayOf(paths.node) : null;
  const strings = (items ?? []).map((i) => values.stringOf(i));
  if (!items || strings.some((p) => p === null)) return null;
  // Like the middleware, never ask for sign-in on the AuthKit callback: `redirectUri`, else the same variable it reads.
  const redirect = values.propertyOf(options, 'redirectUri');
  const uri =
    redirect?.t === 'expression'
      ? values.stringOf(redirect.node)
      : redirect === undefined
        ? (process.env.NEXT_PUBLIC_WORKOS_REDIRECT_URI ?? null)
        : null;
  let callbackPath: string | null = null;
  try {
    callbackPath = uri ? new URL(uri).pathname : null;
  } catch {
    callbackPath = null;
  }
  return { unauthenticatedPaths: strings as string[], callbackPath };
}

/** Reads the app's middleware. */
export function readMiddleware(project: Project, values: Values): MiddlewareModel {
  const { ts, checker, middlewareFile } = project;
  if (!middlewareFile) return { state: 'absent', file: null, why: 'the app has no middleware.ts / proxy.ts' };
  const file = project.rel(middlewareFile);
  const sf = project.program.getSourceFile(middlewareFile);
  const moduleSymbol = sf && checker.getSymbolAtLocation(sf);
  if (!sf || !moduleSymbol) return { state: 'absent', file, why: `${file} exports nothing` };
  const exports = checker.getExportsOfModule(moduleSymbol);
  const handler = exports.find((s) => EXPORT_NAMES.includes(s.name));
  const value = handler ? values.symbolValue(handler, sf) : null;
  if (
    !value ||
    !(value.t === 'call' && value.callee.t === 'library' && value.callee.name === 'createSessionMfaMiddleware')
  ) {
    // Its own function (or a composition) may or may not run the MFA middleware on every request: not followed.
    const call = project.program
      .getSourceFiles()
      .map((f) => findCall(ts, values, f))
      .find((c) => c !== null);
    if (call)
      return {
        state: 'unknown',
        file,
        why: `${file} does not export createSessionMfaMiddleware(...) itself; it is called at ${locate(project, call)}, inside code the report does not follow`,
      };
    if (value?.t === 'unknown') return { state: 'unknown', file, why: `${file}: ${value.why}` };
    return { state: 'absent', file, why: `${file} does not use createSessionMfaMiddleware` };
  }
  const options = value.node.arguments[0] ? values.objectOf(value.node.arguments[0]) : null;
  if (!options)
    return {
      state: 'unknown',
      file,
      why: `the options of createSessionMfaMiddleware cannot be read (${locate(project, value.node)})`,
    };
  const rulesValue = values.propertyOf(options, 'rules');
  const ruleItems = rulesValue?.t === 'expression' ? guaranteedRules(ts, values, rulesValue.node) : null;
  if (!ruleItems)
    return {
      state: 'unknown',
      file,
      why: `\`rules\` is not an array literal the report can read (${locate(project, options)})`,
    };
  const rules: MiddlewareRule[] = [];
  for (const item of ruleItems) {
    const rule = values.objectOf(item);
    const path = rule ? values.propertyOf(rule, 'path') : undefined;
    const policy = rule ? values.propertyOf(rule, 'policy') : undefined;
    const pathText = path?.t === 'expression' ? values.stringOf(path.node) : null;
    if (!rule || pathText === null)
      return { state: 'unknown', file, why: `a rule's path cannot be read (${locate(project, item)})` };
    const policyExpr = rule.properties.find((p) => p.name && values.propertyName(p.name) === 'policy');
    const expr =
      policyExpr && ts.isPropertyAssignment(policyExpr)
        ? policyExpr.initializer
        : policyExpr && ts.isShorthandPropertyAssignment(policyExpr)
          ? policyExpr.name
          : undefined;
    if (!policy || !expr) return { state: 'unknown', file, why: `a rule without a policy (${locate(project, item)})` };
    rules.push({ path: pathText, policy: policyLabel(values, expr) });
  }
  const signIn = readSignIn(values, options);
  const matcher = readMatcher(ts, values, sf, exports);
  if (typeof matcher === 'string') return { state: 'unknown', file, why: `${file}: ${matcher}` };
  return { state: 'rules', file, rules, signIn, matcher, rewrites: readRewrites(project) };
}
