import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { nodeOnlyReach } from './helpers/edge-imports';

describe('Edge guard', () => {
  it.each([
    'lib/index.ts',
    'lib/middleware.ts',
    'lib/audit.ts',
    'lib/webhooks.ts',
    'lib/upstash.ts',
    'lib/memory.ts',
    'lib/client.ts',
    'middleware.ts',
    'mfa.config.ts',
  ])('%s reaches nothing Node-only', async (entry) => {
    expect(await nodeOnlyReach(entry)).toEqual([]);
  });

  it('catches an Edge module that reaches a -node.ts module and its Node-only imports', async () => {
    const reached = await nodeOnlyReach('test/fixtures/edge-violation.ts');
    expect(reached).toContain('lib/ledger/redis-node.ts');
    expect(reached.some((r) => r.endsWith('→ server-only'))).toBe(true);
  });

  it.each(['lib/server.ts', 'lib/step-up.ts', 'lib/redis-node.ts'])('%s is marked server-only', async (entry) => {
    expect((await nodeOnlyReach(entry)).some((r) => r.endsWith('→ server-only'))).toBe(true);
  });

  it('lint rejects a Node import written into an Edge-safe file', async () => {
    const eslint = new ESLint();
    const [result] = await eslint.lintText(
      "import { createHash } from 'node:crypto';\nexport const h = createHash;\n",
      { filePath: 'lib/middleware.ts' },
    );
    expect(result?.messages.map((m) => m.ruleId)).toContain('no-restricted-imports');
    const [core] = await eslint.lintText('export const env = process.env.X;\n', { filePath: 'lib/core/evil.ts' });
    expect(core?.messages.map((m) => m.ruleId)).toContain('no-restricted-globals');
  });
});

describe('Edge guard lint rule', () => {
  it('allows @upstash/redis but not node-redis in Edge-safe files', async () => {
    const eslint = new ESLint();
    const [ok] = await eslint.lintText("import { Redis } from '@upstash/redis';\nexport const R = Redis;\n", {
      filePath: 'lib/ledger/upstash.ts',
    });
    expect(ok?.messages.filter((m) => m.ruleId === 'no-restricted-imports')).toEqual([]);
    const [bad] = await eslint.lintText("import { createClient } from 'redis';\nexport const c = createClient;\n", {
      filePath: 'lib/ledger/upstash.ts',
    });
    expect(bad?.messages.map((m) => m.ruleId)).toContain('no-restricted-imports');
  });
});
