import { defineConfig, type Options } from 'tsup';

/** Entry points that run on the server or the Edge runtime: subpath → source. */
const SERVER_ENTRIES = {
  index: 'lib/index.ts',
  edge: 'lib/edge.ts',
  server: 'lib/server.ts',
  'step-up': 'lib/step-up.ts',
  'ledger/upstash': 'lib/ledger/upstash.ts',
  'ledger/redis': 'lib/ledger/redis-node.ts',
  'ledger/memory': 'lib/ledger/memory.ts',
  audit: 'lib/audit/index.ts',
  'audit/redis': 'lib/audit/redis-stream-node.ts',
  'audit/upstash': 'lib/audit/upstash-stream.ts',
  webhooks: 'lib/webhooks/index.ts',
  'webhooks/redis': 'lib/webhooks/dedupe-redis-node.ts',
} as const;

/** Entry points for Client Components; built apart, unsplit, so their `'use client'` directive opens the file. */
const CLIENT_ENTRIES = { client: 'lib/client.ts' } as const;

/** Every public subpath. Mirrors `exports` in package.json and `paths` in tsconfig.json (a test checks both). */
export const PUBLIC_ENTRIES = { ...SERVER_ENTRIES, ...CLIENT_ENTRIES } as const;

const common: Options = {
  format: ['esm'],
  dts: { compilerOptions: { incremental: false, composite: false } },
  outDir: 'dist',
  sourcemap: true,
  target: 'es2022',
  tsconfig: 'tsconfig.json',
};

export default defineConfig([
  // Both builds write into dist/ at once, so neither cleans it: `npm run build:lib` empties it first.
  { ...common, entry: SERVER_ENTRIES, splitting: true },
  { ...common, entry: CLIENT_ENTRIES, splitting: false },
]);
