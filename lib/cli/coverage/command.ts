/**
 * The `coverage` command: arguments, config, report, exit code. Node-only (CLI).
 */
import { parseArgs } from 'node:util';
import { UsageError } from './errors';
import { runCoverage } from './index';
import { readConfig } from './require';
import { renderJson, renderTable } from './report';

/** Exit codes of the CLI. */
export const EXIT = { ok: 0, failed: 1, usage: 2, internal: 3 } as const;

const USAGE = `Usage: authkit-session-mfa coverage [dir] [options]

Lists every route handler, server action and page of the Next.js App Router app in dir (default: .) with
its session-MFA guard: the middleware rule covering its path, its withSessionMfa policy, both, or none.

Options:
  --require <pattern>…  entries in files matching these patterns (exact path or glob, relative to dir,
                        e.g. app/admin/**) must be guarded; unguarded or unknown ones fail (exit 1)
  --config <file>       JSON file { "require": ["app/admin/**", …] }, added to --require
  --manifest <file>     Next's server-reference manifest to cross-check
                        (default: dir/.next/server/server-reference-manifest.json when it exists)
  --no-manifest         skip the build cross-check
  --json                print JSON instead of the table
  -h, --help            this text

Exit codes: 0 ok · 1 a required entry is unguarded or unknown, or the build has an action the scan missed
· 2 usage or configuration error · 3 internal error`;

interface Parsed {
  readonly root: string;
  readonly require: string[];
  readonly config: string | null;
  readonly manifest: string | 'auto' | null;
  readonly json: boolean;
  readonly help: boolean;
}

/** Parses `coverage …` arguments; positionals right after `--require <pattern>` are further patterns. */
export function parseCoverageArgs(args: readonly string[]): Parsed {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      tokens: true,
      options: {
        require: { type: 'string', multiple: true },
        config: { type: 'string' },
        manifest: { type: 'string' },
        'no-manifest': { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError('ERR_COVERAGE_USAGE', `${(error as Error).message}\n\n${USAGE}`);
  }
  const require: string[] = [];
  const dirs: string[] = [];
  let afterRequire = false;
  for (const token of parsed.tokens) {
    if (token.kind === 'option') {
      afterRequire = token.name === 'require';
      if (afterRequire && token.value) require.push(token.value);
    } else if (token.kind === 'positional') {
      (afterRequire ? require : dirs).push(token.value);
    }
  }
  if (dirs.length > 1)
    throw new UsageError(
      'ERR_COVERAGE_USAGE',
      `One app directory, please (got ${dirs.join(', ')}); put --require patterns after --require.\n\n${USAGE}`,
    );
  const { values } = parsed;
  if (values.manifest !== undefined && values['no-manifest'])
    throw new UsageError('ERR_COVERAGE_USAGE', '--manifest and --no-manifest exclude each other.');
  if (require.some((p) => p.trim() === ''))
    throw new UsageError('ERR_COVERAGE_USAGE', '--require needs a non-empty pattern.');
  return {
    root: dirs[0] ?? '.',
    require,
    config: values.config ?? null,
    manifest: values['no-manifest'] ? null : (values.manifest ?? 'auto'),
    json: values.json ?? false,
    help: values.help ?? false,
  };
}

/** Runs `authkit-session-mfa <argv…>` (without node and script); returns the exit code. */
export async function main(
  argv: readonly string[],
  out: (text: string) => void = (t) => process.stdout.write(t + '\n'),
  err: (text: string) => void = (t) => process.stderr.write(t + '\n'),
): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === '-h' || command === '--help') {
      out(USAGE);
      return EXIT.ok;
    }
    if (command !== 'coverage')
      throw new UsageError(
        'ERR_COVERAGE_USAGE',
        `${command ? `Unknown command "${command}".` : 'No command given.'}\n\n${USAGE}`,
      );
    const args = parseCoverageArgs(rest);
    if (args.help) {
      out(USAGE);
      return EXIT.ok;
    }
    const required = [...args.require, ...(args.config ? readConfig(args.config).require : [])];
    const report = await runCoverage({ root: args.root, require: required, manifest: args.manifest });
    out(args.json ? renderJson(report) : renderTable(report));
    return report.exitCode;
  } catch (error) {
    if (error instanceof UsageError) {
      err(`authkit-session-mfa [${error.code}]: ${error.message}`);
      return EXIT.usage;
    }
    err(
      `authkit-session-mfa: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return EXIT.internal;
  }
}
