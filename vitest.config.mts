import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));
/** Pack a package and install it into a fresh project (see the files): the library into an app, the stand-ins into CI. */
const PACKAGE_TESTS = ['test/package-consumer.int.test.ts', 'test/stand-ins-package.int.test.ts'];

export default defineConfig({
  resolve: {
    alias: [
      // `server-only` throws outside React Server Components; its marker role is checked by `next build`.
      // An absolute path: the package's `exports` map hides `empty.js` from bare-specifier resolution.
      {
        find: /^server-only$/,
        replacement: fileURLToPath(new URL('node_modules/server-only/empty.js', import.meta.url)),
      },
      { find: /^@\//, replacement: root },
    ],
  },
  test: {
    // authkit's ESM build imports `next/cache` without an extension, which only bundlers resolve: let Vite do it.
    server: { deps: { inline: ['@workos-inc/authkit-nextjs'] } },
    // Playwright owns e2e/**; Vitest never loads those specs.
    exclude: ['**/node_modules/**', 'e2e/**', '.next/**', 'dist/**', '.stryker-tmp/**'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['lib/**/*.test.ts', 'emulators/**/*.test.ts', 'scripts/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/node_modules/**', 'e2e/**', '.stryker-tmp/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['**/*.int.test.ts'],
          exclude: ['**/node_modules/**', 'e2e/**', '.next/**', 'dist/**', '.stryker-tmp/**', ...PACKAGE_TESTS],
          globalSetup: ['test-support/redis-global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        // Alone: `npm pack` rebuilds lib/dist, which the integration files read while they run. One file at a time:
        // each installs a package and builds or runs a whole suite.
        extends: true,
        test: {
          name: 'package',
          include: PACKAGE_TESTS,
          fileParallelism: false,
          globalSetup: ['test-support/redis-global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
