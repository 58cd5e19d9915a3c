/** Shared helpers of the coverage tests. */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { runCoverage } from '../../lib/cli/coverage/index';
import type { GuardedEntry } from '../../lib/cli/coverage/model';
import { labelOf, type CoverageReport } from '../../lib/cli/coverage/report';

/** Path of a fixture app, relative to the repository root (where tests run). */
export const fixture = (name: string) => `test/fixtures/coverage/${name}`;

/** The report of a fixture app, without a build cross-check. */
export function reportOf(name: string, require: readonly string[] = []): Promise<CoverageReport> {
  return runCoverage({ root: fixture(name), require, manifest: null });
}

/** `kind label` → guard, for every entry: a whole-report assertion in one `toEqual`. */
export function guards(report: CoverageReport): Record<string, string> {
  return Object.fromEntries(report.entries.map((e) => [`${e.kind} ${labelOf(e)}`, e.guard]));
}

/** The entry labelled `label` (kind and label as in {@link guards}). */
export function entry(report: CoverageReport, key: string): GuardedEntry {
  const found = report.entries.find((e) => `${e.kind} ${labelOf(e)}` === key);
  if (!found) throw new Error(`no entry ${key} in ${Object.keys(guards(report)).join(', ')}`);
  return found;
}

const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');

/** Runs the real CLI (`lib/cli/main.ts` through tsx on this Node) and collects its exit code and output. */
export function runCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsxCli, 'lib/cli/main.ts', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
