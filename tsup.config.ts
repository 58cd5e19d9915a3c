import { defineConfig } from 'tsup';

/** Public entry points of the package: subpath → source. Mirrors `exports` in package.json. */
export const PUBLIC_ENTRIES = {
  index: 'lib/index.ts',
  edge: 'lib/edge.ts',
  server: 'lib/server.ts',
  'ledger/upstash': 'lib/ledger/upstash.ts',
  'ledger/redis': 'lib/ledger/redis-node.ts',
  'ledger/memory': 'lib/ledger/memory.ts',
  'audit': 'lib/audit/index.ts',
  'audit/redis': 'lib/audit/redis-stream-node.ts',
  'audit/upstash': 'lib/audit/upstash-stream.ts',
  'webhooks': 'lib/webhooks/index.ts',
  'webhooks/redis': 'lib/webhooks/dedupe-redis-node.ts',
} as const;

export default defineConfig([
  {
    entry: PUBLIC_ENTRIES,
    format: ['esm'],
    dts: { compilerOptions: { incremental: false, composite: false } },
    outDir: 'dist',
    clean: true,
    splitting: true,
    sourcemap: true,
    target: 'es2022',
    tsconfig: 'tsconfig.json',
  },
]);
