import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      // `server-only` throws outside React Server Components; its marker role is checked by `next build`.
      { find: /^server-only$/, replacement: 'server-only/empty.js' },
      { find: /^@\//, replacement: root },
    ],
  },
  test: {
    // Playwright owns e2e/**; Vitest never loads those specs.
    exclude: ['**/node_modules/**', 'e2e/**', '.next/**', 'dist/**'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['lib/**/*.test.ts', 'emulators/**/*.test.ts', 'scripts/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/node_modules/**', 'e2e/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['**/*.int.test.ts'],
          exclude: ['**/node_modules/**', 'e2e/**', '.next/**', 'dist/**'],
          globalSetup: ['test-support/redis-global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
