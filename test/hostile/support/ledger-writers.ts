/**
 * Static inventory of every place that can write or remove session-MFA evidence, using the TypeScript type
 * checker (so an alias such as `const l = sessionMfa.ledger; l.record(…)` is found too), and a taint check:
 * the session identity handed to those places from app code must come from the verified session
 * (`withAuth()` / `currentStepUpSession()`), never from a form field, a URL, a header or a body.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';
import { PUBLIC_ENTRIES } from '../../../lib/tsup.config';

/** What a call does to the ledger. */
export type Effect = 'write' | 'remove';

/** A ledger-changing API, named `<file>#<Container>.<member>` or `<file>#<function>`. */
interface Sink {
  readonly effect: Effect;
  /** Identity arguments whose origin must be the verified session when called from app code (`session`, `sid`, `userId`). */
  readonly identity: readonly string[];
  /** A primitive writes the store itself; an entry point reaches a primitive inside the library. */
  readonly primitive: boolean;
}

export const SINKS: Readonly<Record<string, Sink>> = {
  'lib/ledger/types.ts#LedgerStore.set': { effect: 'write', identity: [], primitive: true },
  'lib/ledger/types.ts#LedgerStore.delete': { effect: 'remove', identity: [], primitive: true },
  'lib/ledger/ledger.ts#SessionLedger.record': { effect: 'write', identity: ['sessionId', 'userId'], primitive: true },
  'lib/ledger/ledger.ts#SessionLedger.remove': { effect: 'remove', identity: ['sid'], primitive: true },
  'lib/session-mfa.ts#SessionMfa.recordVerification': {
    effect: 'write',
    identity: ['sessionId', 'userId'],
    primitive: true,
  },
  'lib/session-mfa.ts#SessionMfa.removeVerification': {
    effect: 'remove',
    identity: ['sessionId', 'userId'],
    primitive: true,
  },
  'lib/step-up/totp.ts#TotpStepUp.verify': { effect: 'write', identity: ['session'], primitive: false },
  'lib/webhooks/factor-removal.ts#deleteFactorAndRevoke': {
    effect: 'remove',
    identity: ['sessionId', 'userId'],
    primitive: false,
  },
  'lib/webhooks/handler.ts#createWorkosWebhookHandler': { effect: 'write', identity: [], primitive: false },
  // Enrollment records decide which factors may verify a session: `$0` is the positional session argument.
  'lib/ledger/enrollments.ts#FactorEnrollmentRecords.write': { effect: 'write', identity: [], primitive: true },
  'lib/ledger/enrollments.ts#FactorEnrollmentRecords.remove': { effect: 'remove', identity: [], primitive: true },
  'lib/ledger/enrollments.ts#FactorEnrollmentRecords.begin': { effect: 'write', identity: [], primitive: true },
  'lib/ledger/enrollments.ts#FactorEnrollmentRecords.saveEmailProof': {
    effect: 'write',
    identity: [],
    primitive: true,
  },
  'lib/step-up/enrollment.ts#FactorEnrollment.verifyEmailCode': { effect: 'write', identity: ['$0'], primitive: false },
  'lib/step-up/enrollment.ts#FactorEnrollment.start': { effect: 'write', identity: ['$0'], primitive: false },
  'lib/step-up/enrollment.ts#FactorEnrollment.confirm': { effect: 'write', identity: ['$0'], primitive: false },
  'lib/step-up/enrollment.ts#FactorEnrollment.cancel': { effect: 'remove', identity: ['$0'], primitive: false },
};

/** Functions whose result is the verified session of the current request. */
export const TRUSTED_SOURCES = new Set(['withAuth', 'currentStepUpSession']);

/** One call of a {@link SINKS} API. */
export interface SinkCall {
  readonly file: string;
  readonly line: number;
  readonly sink: string;
  readonly effect: Effect;
  readonly primitive: boolean;
  /** Identity arguments whose origin is not the verified session (only checked for calls from app code). */
  readonly untrusted: readonly string[];
}

const ROOT = process.cwd();
const SKIP_DIRS = new Set(['node_modules', '.next', 'dist', '.tmp', '.git']);

/** `.ts`/`.tsx` sources under `dirs` (relative to the package root), tests excluded. */
export function sourceFiles(dirs: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (SKIP_DIRS.has(name) || name.startsWith('.next')) continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
    }
  };
  for (const d of dirs) {
    const abs = join(ROOT, d);
    if (statSync(abs, { throwIfNoEntry: false })?.isDirectory()) walk(abs);
    else if (statSync(abs, { throwIfNoEntry: false })?.isFile()) out.push(abs);
  }
  return out.sort();
}

const rel = (file: string) => relative(ROOT, file).split(sep).join('/');

/** The package's subpaths mapped to their sources, so calls from app code resolve to the declarations in lib/. */
function librarySourcePaths(): Record<string, string[]> {
  const paths: Record<string, string[]> = {};
  for (const [entry, source] of Object.entries(PUBLIC_ENTRIES))
    paths[entry === 'index' ? 'authkit-session-mfa' : `authkit-session-mfa/${entry}`] = [`./lib/${source}`];
  return paths;
}

function compilerOptions(): ts.CompilerOptions {
  const config = ts.readConfigFile(join(ROOT, 'tsconfig.json'), ts.sys.readFile);
  const options = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT).options;
  return { ...options, paths: { ...options.paths, ...librarySourcePaths() }, noEmit: true, incremental: false };
}

/** The `SINKS` key of the declaration a call resolves to, or `null`. */
function sinkOf(checker: ts.TypeChecker, call: ts.CallExpression): string | null {
  const decl = checker.getResolvedSignature(call)?.getDeclaration();
  if (!decl) return null;
  const file = rel(decl.getSourceFile().fileName);
  const name = decl.name && ts.isIdentifier(decl.name) ? decl.name.text : null;
  if (!name) return null;
  const container =
    decl.parent && (ts.isInterfaceDeclaration(decl.parent) || ts.isClassDeclaration(decl.parent)) && decl.parent.name
      ? `${decl.parent.name.text}.`
      : '';
  const key = `${file}#${container}${name}`;
  return key in SINKS ? key : null;
}

function calleeName(expr: ts.Expression): string | null {
  if (ts.isIdentifier(expr)) return expr.text;
  if (ts.isPropertyAccessExpression(expr)) return expr.name.text;
  return null;
}

/** `true` when every value `expr` can carry comes from the verified session (or is a constant). */
function trusted(checker: ts.TypeChecker, expr: ts.Expression, seen = new Set<ts.Node>()): boolean {
  if (seen.has(expr)) return false;
  seen.add(expr);
  const t = (e: ts.Expression) => trusted(checker, e, seen);
  if (expr.kind === ts.SyntaxKind.NullKeyword || ts.isStringLiteral(expr) || ts.isNumericLiteral(expr)) return true;
  if (ts.isIdentifier(expr)) {
    if (expr.text === 'undefined') return true;
    // `{ sessionId }` names the variable it copies: follow that, not the property being written.
    const parent = expr.parent;
    const symbol =
      parent && ts.isShorthandPropertyAssignment(parent) && parent.name === expr
        ? checker.getShorthandAssignmentValueSymbol(parent)
        : checker.getSymbolAtLocation(expr);
    const decl = symbol?.declarations?.[0];
    if (!decl) return false;
    if (ts.isVariableDeclaration(decl)) return decl.initializer !== undefined && t(decl.initializer);
    if (ts.isBindingElement(decl)) {
      let node: ts.Node = decl;
      while (!ts.isVariableDeclaration(node) && node.parent) node = node.parent;
      return ts.isVariableDeclaration(node) && node.initializer !== undefined && t(node.initializer);
    }
    if (ts.isShorthandPropertyAssignment(decl)) return false;
    return false; // parameters (client input), imports, anything else
  }
  if (ts.isShorthandPropertyAssignment(expr as ts.Node)) return false;
  if (
    ts.isAwaitExpression(expr) ||
    ts.isParenthesizedExpression(expr) ||
    ts.isNonNullExpression(expr) ||
    ts.isAsExpression(expr) ||
    ts.isSatisfiesExpression(expr)
  )
    return t(expr.expression);
  if (ts.isPropertyAccessExpression(expr) || ts.isElementAccessExpression(expr)) return t(expr.expression);
  if (ts.isCallExpression(expr)) {
    const name = calleeName(expr.expression);
    return name !== null && TRUSTED_SOURCES.has(name);
  }
  if (
    ts.isBinaryExpression(expr) &&
    [ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken, ts.SyntaxKind.AmpersandAmpersandToken].includes(
      expr.operatorToken.kind,
    )
  )
    return t(expr.left) && t(expr.right);
  if (ts.isConditionalExpression(expr)) return t(expr.whenTrue) && t(expr.whenFalse);
  if (ts.isObjectLiteralExpression(expr)) {
    return expr.properties.every((p) =>
      ts.isPropertyAssignment(p) ? t(p.initializer) : ts.isShorthandPropertyAssignment(p) ? t(p.name) : false,
    );
  }
  return false;
}

/** Identity properties of the call's object argument that do not come from the verified session. */
function untrustedIdentity(checker: ts.TypeChecker, call: ts.CallExpression, names: readonly string[]): string[] {
  if (names.length === 0) return [];
  // `$0`: the first argument itself is the identity (e.g. the verified session object).
  if (names.includes('$0')) return call.arguments[0] && trusted(checker, call.arguments[0]) ? [] : ['$0'];
  const arg = call.arguments[0];
  if (!arg || !ts.isObjectLiteralExpression(arg)) return [...names]; // an opaque argument cannot be vouched for
  const bad: string[] = [];
  for (const name of names) {
    const prop = arg.properties.find((p) => p.name && ts.isIdentifier(p.name) && p.name.text === name);
    if (!prop) continue;
    const value = ts.isPropertyAssignment(prop)
      ? prop.initializer
      : ts.isShorthandPropertyAssignment(prop)
        ? prop.name
        : null;
    if (!value || !trusted(checker, value)) bad.push(name);
  }
  if (arg.properties.some((p) => ts.isSpreadAssignment(p))) bad.push('...spread');
  return bad;
}

/** Every call of a {@link SINKS} API in `files`, with the taint verdict of its identity arguments. */
export function findSinkCalls(files: readonly string[]): SinkCall[] {
  const program = ts.createProgram({ rootNames: [...files], options: compilerOptions() });
  const checker = program.getTypeChecker();
  const calls: SinkCall[] = [];
  for (const file of files) {
    const source = program.getSourceFile(file);
    if (!source) throw new Error(`not in the program: ${file}`);
    const visit = (node: ts.Node) => {
      if (ts.isCallExpression(node)) {
        const sink = sinkOf(checker, node);
        if (sink) {
          const spec = SINKS[sink]!;
          calls.push({
            file: rel(file),
            line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1,
            sink,
            effect: spec.effect,
            primitive: spec.primitive,
            untrusted: untrustedIdentity(checker, node, spec.identity),
          });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return calls;
}

/** Places that build a ledger key by hand (`scopedKey(…, 'ledger')`, or a `…:ledger` string) in `files`. */
export function handMadeLedgerKeys(files: readonly string[]): string[] {
  const out: string[] = [];
  for (const file of files) {
    const source = ts.createSourceFile(file, ts.sys.readFile(file) ?? '', ts.ScriptTarget.ES2022, true);
    const visit = (node: ts.Node) => {
      const text =
        ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)
          ? node.text
          : ts.isTemplateExpression(node)
            ? node.getText(source)
            : null;
      if (
        text !== null &&
        (/:ledger\b/.test(text) ||
          (text === 'ledger' && ts.isCallExpression(node.parent) && calleeName(node.parent.expression) === 'scopedKey'))
      ) {
        out.push(`${rel(file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return out;
}
