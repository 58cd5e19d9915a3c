import { defineConfig, type Options } from 'tsup';

/** Entry points that run on the server or the Edge runtime: subpath → source. */
const SERVER_ENTRIES = {
  index: 'index.ts',
  middleware: 'middleware.ts',
  server: 'server.ts',
  'step-up': 'step-up.ts',
  audit: 'audit.ts',
  webhooks: 'webhooks.ts',
  upstash: 'upstash.ts',
  redis: 'redis-node.ts',
  memory: 'memory.ts',
  testing: 'testing.ts',
} as const;

/** Entry points for Client Components; built apart, unsplit, so their `'use client'` directive opens the file. */
const CLIENT_ENTRIES = { client: 'client.ts' } as const;

/** Every public subpath (`index` is the package root). Mirrors `exports` in package.json (a test checks it). */
export const PUBLIC_ENTRIES = { ...SERVER_ENTRIES, ...CLIENT_ENTRIES } as const;

const common: Options = {
  format: ['esm'],
  dts: { compilerOptions: { incremental: false, composite: false } },
  outDir: 'dist',
  sourcemap: true,
  target: 'es2022',
  tsconfig: 'tsconfig.json',
  // Peers and dependencies are the app's: never bundle a second copy of them.
  // The package's own client entry stays an import, so the server page reaches it across the 'use client' boundary.
  external: [
    'next',
    'react',
    '@workos-inc/authkit-nextjs',
    '@workos-inc/node',
    '@upstash/redis',
    '@upstash/ratelimit',
    'redis',
    'jose',
    'path-to-regexp',
    'server-only',
    'iron-session',
    'authkit-session-mfa/client',
  ],
};

/** The `authkit-session-mfa` command (Node-only, no types): its own bundle, never reached by the entries above. */
const CLI_ENTRIES = { cli: 'cli/main.ts' } as const;

export default defineConfig([
  // The builds write into dist/ at once, so none cleans it: `npm run build` empties it first.
  // styles/ holds the default stylesheet of the step-up page and dialog: copied as it is (`authkit-session-mfa/step-up.css`).
  { ...common, entry: SERVER_ENTRIES, splitting: true, publicDir: 'styles' },
  { ...common, entry: CLIENT_ENTRIES, splitting: false },
  // `typescript` is loaded lazily from the app (an optional peer), never bundled.
  { ...common, entry: CLI_ENTRIES, splitting: false, dts: false, external: [...(common.external ?? []), 'typescript'] },
]);
