import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.mts';

/** The unit tests that exercise the mutated files (stryker.config.mjs): nothing slow, nothing needing Redis. */
export default mergeConfig(
  { ...base, test: { ...base.test, projects: undefined } },
  defineConfig({
    test: {
      include: [
        'lib/core/**/*.test.ts',
        'lib/next/request-kind.test.ts',
        'lib/step-up/factor-eligibility.test.ts',
        'lib/webhooks/establishing-mfa.test.ts',
        'test/hostile/return-to.test.ts',
        'test/hostile/crafted-claims.test.ts',
      ],
    },
  }),
);
