/**
 * What an expression of the app's code stands for, found by following bindings exactly as the TypeScript
 * binder resolves them: import and export renames, re-exports (`export { x } from`, `export *`), `const`
 * bindings, destructuring, object-literal properties. Nothing is evaluated: a `let`/`var`, a parameter, or
 * anything computed at run time is `unknown`, and calls are described, never entered.
 * Node-only (CLI).
 */
import type * as TS from 'typescript';
import { isLibrarySpecifier, type Project } from './project';

/** The session-MFA helpers `createServerSessionMfa()` returns, by name. */
export type HelperName = 'withSessionMfa' | 'requireSessionMfa' | 'getSessionMfaStatus';

/** What an expression stands for. */
export type Value =
  /** `createServerSessionMfa` itself, imported from the library. */
  | { readonly t: 'factory' }
  /** The object `createServerSessionMfa(...)` returns. */
  | { readonly t: 'helpers' }
  /** One of the helpers (destructured or read from that object). */
  | { readonly t: 'helper'; readonly name: string }
  /** Another export of this library (`mfaPreset`, `createSessionMfaMiddleware`, …), or its namespace (`name` `*`). */
  | { readonly t: 'library'; readonly specifier: string; readonly name: string }
  /** An export of another package, or its namespace (`name` `*`). */
  | { readonly t: 'package'; readonly specifier: string; readonly name: string }
  /** A module of the app's code (`import * as m`). */
  | { readonly t: 'module'; readonly symbol: TS.Symbol }
  /** A function written in the app's code. */
  | { readonly t: 'function'; readonly node: TS.SignatureDeclaration; readonly name: string }
  /** A call of the app's code, with what its callee stands for. */
  | { readonly t: 'call'; readonly node: TS.CallExpression; readonly callee: Value }
  /** Any other expression of the app's code (literal, object, array, …). */
  | { readonly t: 'expression'; readonly node: TS.Expression }
  | { readonly t: 'unknown'; readonly why: string; readonly node?: TS.Node };

const MAX_DEPTH = 40;

/** Source position `file:line` of a node, relative to the project root. */
export function locate(project: Project, node: TS.Node): string {
  const sf = node.getSourceFile();
  return `${project.rel(sf.fileName)}:${sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1}`;
}

/** Follows bindings of the app's code; see the module comment. */
export class Values {
  private readonly ts: Project['ts'];
  constructor(readonly project: Project) {
    this.ts = project.ts;
  }

  /** Removes parentheses, `as`, `satisfies`, `!` and `<T>x` around an expression. */
  unwrap(expr: TS.Expression): TS.Expression {
    const ts = this.ts;
    let e = expr;
    while (
      ts.isParenthesizedExpression(e) ||
      ts.isAsExpression(e) ||
      ts.isSatisfiesExpression(e) ||
      ts.isNonNullExpression(e) ||
      ts.isTypeAssertionExpression(e)
    )
      e = e.expression;
    return e;
  }

  /** What `expr` stands for. */
  valueOf(expr: TS.Expression, depth = 0): Value {
    const ts = this.ts;
    if (depth > MAX_DEPTH) return { t: 'unknown', why: 'too many levels of indirection', node: expr };
    const e = this.unwrap(expr);
    if (ts.isIdentifier(e)) {
      const symbol = this.project.checker.getSymbolAtLocation(e);
      if (!symbol) return { t: 'unknown', why: `\`${e.text}\` is not bound to anything the report can see`, node: e };
      return this.symbolValue(symbol, e, depth + 1);
    }
    if (ts.isPropertyAccessExpression(e)) {
      const base = this.valueOf(e.expression, depth + 1);
      return this.property(base, e.name.text, e, depth + 1);
    }
    if (ts.isElementAccessExpression(e) && ts.isStringLiteralLike(e.argumentExpression)) {
      return this.property(this.valueOf(e.expression, depth + 1), e.argumentExpression.text, e, depth + 1);
    }
    if (ts.isCallExpression(e)) {
      const callee = this.valueOf(e.expression, depth + 1);
      if (callee.t === 'factory') return { t: 'helpers' };
      return { t: 'call', node: e, callee };
    }
    if (ts.isFunctionExpression(e) || ts.isArrowFunction(e))
      return { t: 'function', node: e, name: this.functionName(e) };
    return { t: 'expression', node: e };
  }

  /** Name to show for a function: its own, else the variable or property it is assigned to. */
  functionName(fn: TS.SignatureDeclaration): string {
    const ts = this.ts;
    if (fn.name && ts.isIdentifier(fn.name)) return fn.name.text;
    const parent = fn.parent;
    if (parent && (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) && ts.isIdentifier(parent.name))
      return parent.name.text;
    // `const wipe = wrapper(async () => { … })`: named after the variable the call is assigned to.
    const holder = parent && ts.isCallExpression(parent) ? parent.parent : undefined;
    if (holder && ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name)) return holder.name.text;
    return '(anonymous)';
  }

  private property(base: Value, name: string, at: TS.Node, depth: number): Value {
    const ts = this.ts;
    switch (base.t) {
      case 'helpers':
        return { t: 'helper', name };
      case 'module': {
        const exported = this.project.checker.getExportsOfModule(base.symbol).find((s) => s.name === name);
        return exported
          ? this.symbolValue(exported, at, depth)
          : { t: 'unknown', why: `the module has no export \`${name}\``, node: at };
      }
      case 'library':
      case 'package':
        return base.name === '*'
          ? { ...base, name }
          : { t: 'unknown', why: `a property of ${base.name} from ${base.specifier}`, node: at };
      case 'call':
        // The drop-in step-up (`createStepUp(…)`): its page and route handlers are the library's own.
        if (base.callee.t === 'library' && base.callee.name === 'createStepUp')
          return { t: 'library', specifier: base.callee.specifier, name: `createStepUp().${name}` };
        return { t: 'unknown', why: `\`.${name}\` of a value the report cannot read`, node: at };
      case 'expression': {
        if (!ts.isObjectLiteralExpression(base.node))
          return { t: 'unknown', why: `\`.${name}\` of a value the report cannot read`, node: at };
        for (const prop of base.node.properties) {
          if (ts.isSpreadAssignment(prop))
            return { t: 'unknown', why: `\`.${name}\` of an object built with a spread`, node: at };
          if (!prop.name || this.propertyName(prop.name) !== name) continue;
          if (ts.isPropertyAssignment(prop)) return this.valueOf(prop.initializer, depth);
          if (ts.isShorthandPropertyAssignment(prop)) {
            const symbol = this.project.checker.getShorthandAssignmentValueSymbol(prop);
            return symbol
              ? this.symbolValue(symbol, prop, depth)
              : { t: 'unknown', why: `\`${name}\` is not bound`, node: prop };
          }
          if (ts.isMethodDeclaration(prop)) return { t: 'function', node: prop, name };
          return { t: 'unknown', why: `\`.${name}\` is an accessor`, node: prop };
        }
        return { t: 'unknown', why: `the object has no property \`${name}\``, node: at };
      }
      default:
        return { t: 'unknown', why: `\`.${name}\` of a value the report cannot read`, node: at };
    }
  }

  /** The literal name of a property (identifier, string or numeric literal), else null. */
  propertyName(name: TS.PropertyName): string | null {
    const ts = this.ts;
    if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name))
      return name.text;
    if (ts.isComputedPropertyName(name) && ts.isStringLiteralLike(name.expression)) return name.expression.text;
    return null;
  }

  /** What a symbol (a variable, function, import or export) stands for. */
  symbolValue(start: TS.Symbol, at: TS.Node, depth = 0): Value {
    const ts = this.ts;
    const { checker } = this.project;
    let symbol = start;
    for (let hops = 0; symbol.flags & ts.SymbolFlags.Alias; hops++) {
      if (hops > MAX_DEPTH) return { t: 'unknown', why: 'too many re-exports', node: at };
      const next = checker.getImmediateAliasedSymbol(symbol);
      if (next?.declarations?.length) {
        symbol = next;
        continue;
      }
      return this.external(symbol, at);
    }
    const decl = symbol.valueDeclaration ?? symbol.declarations?.[0];
    if (decl && ts.isSourceFile(decl)) return { t: 'module', symbol };
    if (!decl) return { t: 'unknown', why: `\`${symbol.name}\` has no declaration the report can see`, node: at };
    if (ts.isVariableDeclaration(decl)) {
      if (!(ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const))
        return {
          t: 'unknown',
          why: `\`${symbol.name}\` is declared with let/var and may be reassigned (${locate(this.project, decl)})`,
          node: decl,
        };
      if (!decl.initializer) return { t: 'unknown', why: `\`${symbol.name}\` has no initializer`, node: decl };
      return this.valueOf(decl.initializer, depth + 1);
    }
    if (ts.isBindingElement(decl)) return this.destructured(decl, depth + 1);
    if (ts.isFunctionDeclaration(decl) || ts.isMethodDeclaration(decl))
      return { t: 'function', node: decl, name: symbol.name };
    if (ts.isExportAssignment(decl)) return this.valueOf(decl.expression, depth + 1);
    if (ts.isParameter(decl)) return { t: 'unknown', why: `\`${symbol.name}\` is a parameter`, node: decl };
    return { t: 'unknown', why: `\`${symbol.name}\` is a ${ts.SyntaxKind[decl.kind]}`, node: decl };
  }

  private destructured(element: TS.BindingElement, depth: number): Value {
    const ts = this.ts;
    const pattern = element.parent;
    const declaration = pattern.parent;
    if (!ts.isObjectBindingPattern(pattern) || !ts.isVariableDeclaration(declaration) || element.dotDotDotToken) {
      return { t: 'unknown', why: 'a nested or rest destructuring', node: element };
    }
    if (!(ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const))
      return { t: 'unknown', why: `destructured with let/var (${locate(this.project, element)})`, node: element };
    const key = element.propertyName
      ? this.propertyName(element.propertyName)
      : ts.isIdentifier(element.name)
        ? element.name.text
        : null;
    if (key === null || !declaration.initializer)
      return { t: 'unknown', why: 'a computed destructuring', node: element };
    return this.property(this.valueOf(declaration.initializer, depth), key, element, depth);
  }

  /** An import the binder could not follow: a package, this library, or an import that does not resolve. */
  private external(alias: TS.Symbol, at: TS.Node): Value {
    const ts = this.ts;
    const decl = alias.declarations?.[0];
    if (!decl) return { t: 'unknown', why: `\`${alias.name}\` cannot be followed`, node: at };
    let importedName: string;
    let moduleSpecifier: TS.Expression | undefined;
    if (ts.isImportSpecifier(decl) || ts.isExportSpecifier(decl)) {
      importedName = (decl.propertyName ?? decl.name).text;
      moduleSpecifier = ts.isImportSpecifier(decl)
        ? decl.parent.parent.parent.moduleSpecifier
        : decl.parent.parent.moduleSpecifier;
    } else if (ts.isImportClause(decl)) {
      importedName = 'default';
      moduleSpecifier = decl.parent.moduleSpecifier;
    } else if (ts.isNamespaceImport(decl)) {
      importedName = '*';
      moduleSpecifier = decl.parent.parent.moduleSpecifier;
    } else if (ts.isNamespaceExport(decl)) {
      importedName = '*';
      moduleSpecifier = decl.parent.moduleSpecifier;
    } else {
      return { t: 'unknown', why: `\`${alias.name}\` (${ts.SyntaxKind[decl.kind]}) cannot be followed`, node: decl };
    }
    if (!moduleSpecifier || !ts.isStringLiteral(moduleSpecifier))
      return { t: 'unknown', why: `\`${alias.name}\` has no module to follow`, node: decl };
    const specifier = moduleSpecifier.text;
    const file = decl.getSourceFile().fileName;
    const resolution = this.project.resolution(file, specifier);
    if (isLibrarySpecifier(specifier))
      return importedName === 'createServerSessionMfa'
        ? { t: 'factory' }
        : { t: 'library', specifier, name: importedName };
    if (resolution?.kind === 'package') return { t: 'package', specifier, name: importedName };
    if (resolution?.kind === 'source') {
      return {
        t: 'unknown',
        why: `${this.project.rel(resolution.file)} has no export \`${importedName}\` the report can see (imported at ${locate(this.project, decl)})`,
        node: decl,
      };
    }
    return {
      t: 'unknown',
      why: `'${specifier}' cannot be resolved from ${this.project.rel(file)} (check tsconfig paths)`,
      node: decl,
    };
  }

  /** A string the expression statically is, else null. */
  stringOf(expr: TS.Expression): string | null {
    const ts = this.ts;
    const e = this.unwrap(expr);
    if (ts.isStringLiteralLike(e)) return e.text;
    if (ts.isIdentifier(e) || ts.isPropertyAccessExpression(e)) {
      const v = this.valueOf(e);
      if (v.t === 'expression' && v.node !== e) return this.stringOf(v.node);
    }
    return null;
  }

  /** Elements of an array the expression statically is (no spreads), else null. */
  arrayOf(expr: TS.Expression): readonly TS.Expression[] | null {
    const ts = this.ts;
    const v = this.valueOf(expr);
    if (v.t !== 'expression' || !ts.isArrayLiteralExpression(v.node)) return null;
    if (v.node.elements.some((el) => ts.isSpreadElement(el) || ts.isOmittedExpression(el))) return null;
    return v.node.elements;
  }

  /** An object literal the expression statically is, else null. */
  objectOf(expr: TS.Expression): TS.ObjectLiteralExpression | null {
    const v = this.valueOf(expr);
    return v.t === 'expression' && this.ts.isObjectLiteralExpression(v.node) ? v.node : null;
  }

  /** What property `name` of an object literal stands for; `undefined` when absent. */
  propertyOf(object: TS.ObjectLiteralExpression, name: string): Value | undefined {
    const ts = this.ts;
    const has = object.properties.some(
      (p) => ts.isSpreadAssignment(p) || (p.name && this.propertyName(p.name) === name),
    );
    return has ? this.property({ t: 'expression', node: object }, name, object, 0) : undefined;
  }
}
