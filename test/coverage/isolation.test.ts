import { readdirSync } from 'node:fs';
import { build } from 'esbuild';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** The library's entry modules (`lib/*.ts`): what an app (Edge or Node) imports. */
const ENTRIES = readdirSync('lib')
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'))
  .map((f) => `lib/${f}`);

describe('the coverage CLI stays out of the runtime library', () => {
  it.each(ENTRIES)('%s reaches nothing under lib/cli/', async (entry) => {
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      metafile: true,
      platform: 'neutral',
      packages: 'external',
      logLevel: 'silent',
      format: 'esm',
    });
    expect(Object.keys(result.metafile.inputs).filter((f) => f.startsWith('lib/cli/'))).toEqual([]);
  });

  it('lint rejects an Edge-safe module importing the CLI', async () => {
    const [result] = await new ESLint().lintText("export { runCoverage } from './cli/coverage/index';\n", {
      filePath: 'lib/middleware.ts',
    });
    expect(result?.messages.map((m) => m.ruleId)).toContain('no-restricted-imports');
  });
});
