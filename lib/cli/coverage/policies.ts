/**
 * Names of policies, read from the code that builds them (`mfaPreset('strict', { name })`,
 * `defineMfaPolicy({ name })`, `perOrganization(...)`), following `const`s and object properties such as
 * `policies.admin`. The name only labels the report: a guard is a guard whatever its policy is called.
 * Node-only (CLI).
 */
import type * as TS from 'typescript';
import type { Values } from './values';

/** A policy argument as the report shows it. */
export interface PolicyLabel {
  /** The expression as written, e.g. `policies.admin`. */
  readonly expression: string;
  /** The policy's name when the code states it, e.g. `admin-area`; null when it is computed at run time. */
  readonly name: string | null;
}

function nameOf(values: Values, expr: TS.Expression, depth: number): string | null {
  if (depth > 20) return null;
  const v = values.valueOf(expr);
  if (v.t === 'expression' && v.node !== values.unwrap(expr)) return nameOf(values, v.node, depth + 1);
  if (v.t !== 'call' || v.callee.t !== 'library') return null;
  const args = v.node.arguments;
  switch (v.callee.name) {
    case 'mfaPreset': {
      const options = args[1] ? values.objectOf(args[1]) : null;
      const named = options ? values.propertyOf(options, 'name') : undefined;
      if (named !== undefined) return named.t === 'expression' ? values.stringOf(named.node) : null;
      if (args[1] && !options) return null; // options the report cannot read may rename it
      return args[0] ? values.stringOf(args[0]) : null;
    }
    case 'defineMfaPolicy': {
      if (!args[0]) return 'custom';
      const options = values.objectOf(args[0]);
      if (!options) return null;
      const named = values.propertyOf(options, 'name');
      if (named === undefined) return 'custom';
      return named.t === 'expression' ? values.stringOf(named.node) : null;
    }
    case 'perOrganization': {
      const fallback = args[0] ? nameOf(values, args[0], depth + 1) : null;
      return `perOrganization(${fallback ?? '?'}, …)`;
    }
    default:
      return null;
  }
}

/** Label of the policy argument `expr` (the second argument of `withSessionMfa`, a rule's `policy`). */
export function policyLabel(values: Values, expr: TS.Expression | undefined): PolicyLabel {
  if (!expr) return { expression: '(none)', name: null };
  const text = expr.getText().replace(/\s+/g, ' ');
  return { expression: text.length > 60 ? `${text.slice(0, 57)}…` : text, name: nameOf(values, expr, 0) };
}

/** `name (expression)`, or the expression alone when they agree or the name is unknown. */
export function formatPolicy(label: PolicyLabel): string {
  if (!label.name) return label.expression;
  return label.name === label.expression ? label.name : `${label.name} (${label.expression})`;
}
