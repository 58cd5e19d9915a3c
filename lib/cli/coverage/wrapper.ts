/**
 * Whether an exported value is a `withSessionMfa(...)` call: recognised only when its callee is followed, by
 * the binder, to a `withSessionMfa` taken from `createServerSessionMfa(...)` of `authkit-session-mfa/server`.
 * A call of the app's own function (a helper that may wrap) is `unknown`; a call of another package's
 * function that is not handed the wrapper is `none`. Node-only (CLI).
 */
import type * as TS from 'typescript';
import type { BodyCheck, WrapperFact } from './model';
import { policyLabel } from './policies';
import { locate, type Value, type Values } from './values';

/**
 * Calls of session-MFA helpers inside a function body (nested functions included): `requireSessionMfa`, and for
 * handlers also `withSessionMfa` (a wrapper applied at call time instead of at export).
 */
export function bodyChecks(
  values: Values,
  fn: TS.Node,
  helpers: readonly string[] = ['requireSessionMfa', 'withSessionMfa'],
): BodyCheck[] {
  const ts = values.project.ts;
  const found: BodyCheck[] = [];
  const visit = (node: TS.Node): void => {
    if (
      ts.isCallExpression(node) &&
      (ts.isIdentifier(node.expression) || ts.isPropertyAccessExpression(node.expression))
    ) {
      const callee = values.valueOf(node.expression);
      if (callee.t === 'helper' && helpers.includes(callee.name)) {
        const policy = callee.name === 'withSessionMfa' ? node.arguments[1] : node.arguments[0];
        found.push({ helper: callee.name, policy: policyLabel(values, policy), at: locate(values.project, node) });
      }
    }
    ts.forEachChild(node, visit);
  };
  const body = (fn as TS.FunctionLikeDeclaration).body;
  if (body) visit(body);
  return found;
}

function mentionsWrapper(values: Values, nodes: readonly TS.Node[]): boolean {
  const ts = values.project.ts;
  let seen = false;
  const visit = (node: TS.Node): void => {
    if (seen) return;
    if (ts.isIdentifier(node)) {
      const v = values.valueOf(node);
      if (v.t === 'helper' || v.t === 'helpers' || v.t === 'factory') seen = true;
    }
    ts.forEachChild(node, visit);
  };
  nodes.forEach(visit);
  return seen;
}

/** The wrapper fact of an entry's value, plus its body checks when it is a function. */
export function wrapperOf(values: Values, value: Value): { wrapper: WrapperFact; checks: BodyCheck[] } {
  const project = values.project;
  switch (value.t) {
    case 'function':
      return { wrapper: { status: 'none' }, checks: bodyChecks(values, value.node) };
    case 'call': {
      const { callee, node } = value;
      if (callee.t === 'helper' && callee.name === 'withSessionMfa') {
        return {
          wrapper: { status: 'guarded', policy: policyLabel(values, node.arguments[1]), at: locate(project, node) },
          checks: [],
        };
      }
      if (callee.t === 'function') {
        return {
          wrapper: {
            status: 'unknown',
            why: `built by your function \`${callee.name}\` (${locate(project, callee.node)}); the report does not look inside wrappers`,
          },
          checks: [],
        };
      }
      if (callee.t === 'package' || callee.t === 'library') {
        const what = `${callee.name === '*' ? '(namespace)' : callee.name}() from ${callee.specifier}`;
        if (mentionsWrapper(values, node.arguments))
          return {
            wrapper: {
              status: 'unknown',
              why: `the session-MFA helpers are handed to ${what}, which the report does not follow`,
            },
            checks: [],
          };
        return { wrapper: { status: 'none', detail: `built by ${what}` }, checks: [] };
      }
      if (callee.t === 'unknown') return { wrapper: { status: 'unknown', why: callee.why }, checks: [] };
      return {
        wrapper: { status: 'unknown', why: `built by a call the report cannot follow (${locate(project, node)})` },
        checks: [],
      };
    }
    case 'package':
    case 'library':
      return { wrapper: { status: 'none', detail: `defined in the package ${value.specifier}` }, checks: [] };
    case 'unknown':
      return { wrapper: { status: 'unknown', why: value.why }, checks: [] };
    case 'expression':
      return {
        wrapper: { status: 'unknown', why: `not a function the report can read (${locate(project, value.node)})` },
        checks: [],
      };
    default:
      return { wrapper: { status: 'unknown', why: 'a session-MFA helper object, not a handler' }, checks: [] };
  }
}
