import { readdirSync } from 'node:fs';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { firstPartyReach } from '../helpers/edge-imports';

/** The library's entry modules (`lib/*.ts`): what an app (Edge or Node) imports. */
const ENTRIES = readdirSync('lib')
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'))
  .map((f) => `lib/${f}`);

describe('the coverage CLI stays out of the runtime library', () => {
  it.each(ENTRIES)('%s reaches nothing under lib/cli/', async (entry) => {
    expect(Object.keys(await firstPartyReach(entry)).filter((f) => f.startsWith('lib/cli/'))).toEqual([]);
  });

  it('lint rejects an Edge-safe module importing the CLI', async () => {
    const [result] = await new ESLint().lintText("export { runCoverage } from './cli/coverage/index';\n", {
      filePath: 'lib/middleware.ts',
    });
    expect(result?.messages.map((m) => m.ruleId)).toContain('no-restricted-imports');
  });
});
