import tseslint from 'typescript-eslint';

/** Modules that run on the Edge runtime (or are pure): nothing Node-only may reach them. */
const EDGE_SAFE = [
  'middleware.ts',
  'mfa.config.ts',
  // The library's Edge-safe entry points and everything under them.
  'lib/index.ts',
  'lib/middleware.ts',
  'lib/audit.ts',
  'lib/webhooks.ts',
  'lib/upstash.ts',
  'lib/memory.ts',
  'lib/session-mfa.ts',
  'lib/core/**/*.ts',
  'lib/ledger/**/*.ts',
  'lib/io/**/*.ts',
  'lib/shared/**/*.ts',
  'lib/next/middleware.ts',
  'lib/next/request-kind.ts',
  'lib/next/request-context.ts',
  'lib/next/responses.ts',
  'lib/next/token-payload.ts',
  'lib/token/**/*.ts',
  'lib/audit/**/*.ts',
  'lib/webhooks/**/*.ts',
];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/.next/**',
      '**/.next-*/**',
      'dist/**',
      'lib/dist/**',
      'emulators/dist/**',
      '**/next-env.d.ts',
      'test-results/**',
      'playwright-report/**',
      '.tmp/**',
      '.stryker-tmp/**',
      'reports/**',
    ],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: EDGE_SAFE,
    // Node-only modules (`*-node.ts`, marked `server-only`) may sit beside Edge-safe ones in a folder.
    ignores: ['**/*.test.ts', '**/*-node.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'redis', message: 'node-redis is Node-only: use @upstash/redis on the Edge runtime.' },
            { name: 'ioredis', message: 'ioredis is Node-only: use @upstash/redis on the Edge runtime.' },
            { name: 'next/headers', message: 'Edge-safe modules must not depend on server-only APIs.' },
            { name: 'server-only', message: 'Edge-safe modules must not be marked server-only.' },
          ],
          patterns: [
            { group: ['node:*'], message: 'Edge-safe modules must not import Node built-ins.' },
            {
              group: ['**/*-node', '**/*-node.ts'],
              message: 'Node-only modules (*-node.ts) must not reach Edge code.',
            },
            { group: ['@redis/*'], message: 'node-redis is Node-only: use @upstash/redis on the Edge runtime.' },
            {
              group: ['**/cli/**', './cli/*'],
              message: 'The CLI (lib/cli/) is Node-only: no runtime entry point may reach it.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['lib/core/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['next', 'next/*', '@workos-inc/*', '@upstash/*', 'redis', 'jose', 'node:*', '../*'],
              message: 'lib/core is pure: no framework, no I/O, nothing outside lib/core.',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'process', 'fetch', 'Buffer', 'setTimeout'],
    },
  },
);
