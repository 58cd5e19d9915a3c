// @ts-check
/**
 * Mutation testing of the pure decision core and the small pure deciders beside it (`npm run test:mutation`).
 * Scores per file and the surviving (equivalent) mutants are listed in docs/security.md, "Mutation testing".
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.mts' },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.mutation.json',
  mutate: [
    'lib/core/{evaluate,claims,policy,return-to,ledger-entry,methods,duration}.ts',
    'lib/next/request-kind.ts',
    'lib/step-up/factor-eligibility.ts',
    // The webhook grant decision: does an mfa_succeeded event establish the session it names?
    'lib/webhooks/establishing-mfa.ts',
  ],
  // One mutant at a time: the machine is shared, and one Vitest worker is fast enough for these files.
  concurrency: 1,
  coverageAnalysis: 'perTest',
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 95, low: 90, break: 90 },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
