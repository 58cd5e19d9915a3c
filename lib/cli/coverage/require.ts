/**
 * `--require` and the config file: which entries must be guarded. A pattern matches an entry's file (relative
 * to the project root, `/`-separated) exactly — so Next's `[param]` folders need no escaping — or as a glob
 * (`node:path` `matchesGlob`: `*`, `**`, `{a,b}`). A pattern that matches no entry is a usage error: a typo
 * must not pass as "nothing unguarded". Node-only (CLI).
 */
import { readFileSync } from 'node:fs';
import { matchesGlob } from 'node:path';
import { UsageError } from './errors';
import { isGuarded } from './guards';
import type { GuardedEntry } from './model';

/** The config file's shape: `{ "require": ["app/admin/**", …] }`. */
export interface CoverageConfig {
  readonly require: readonly string[];
}

/** Reads and validates a config file. */
export function readConfig(path: string): CoverageConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError('ERR_COVERAGE_CONFIG', `${path} cannot be read as JSON (${(error as Error).message}).`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new UsageError(
      'ERR_COVERAGE_CONFIG',
      `${path} must hold a JSON object like { "require": ["app/admin/**"] }.`,
    );
  const unknownKeys = Object.keys(raw).filter((k) => k !== 'require');
  if (unknownKeys.length > 0)
    throw new UsageError(
      'ERR_COVERAGE_CONFIG',
      `${path}: unknown key ${unknownKeys.map((k) => `"${k}"`).join(', ')} (the only key is "require").`,
    );
  const list = (raw as { require?: unknown }).require;
  if (list === undefined) return { require: [] };
  if (!Array.isArray(list) || list.some((p) => typeof p !== 'string' || p.trim() === ''))
    throw new UsageError('ERR_COVERAGE_CONFIG', `${path}: "require" must be an array of non-empty strings.`);
  return { require: list as string[] };
}

/** Whether `pattern` names `file`. */
export function matchesRequire(file: string, pattern: string): boolean {
  const p = pattern.replace(/^\.\//, '');
  return file === p || matchesGlob(file, p);
}

/** The required entries that are not guarded (`none` or `unknown`). */
export function requiredFailures(entries: readonly GuardedEntry[], patterns: readonly string[]): GuardedEntry[] {
  const failing = new Set<GuardedEntry>();
  for (const pattern of patterns) {
    const matched = entries.filter((e) => matchesRequire(e.file, pattern));
    if (matched.length === 0)
      throw new UsageError(
        'ERR_COVERAGE_REQUIRE_UNMATCHED',
        `--require ${pattern} matches no route handler, action or page (patterns match files relative to the project root, e.g. app/admin/**).`,
      );
    for (const e of matched) if (!isGuarded(e.guard)) failing.add(e);
  }
  return entries.filter((e) => failing.has(e));
}
