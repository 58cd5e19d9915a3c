/** The line `e2e/stack.ts` prints when everything answers, followed by the JSON of the variables for the tests. */
export const READY_PREFIX = 'E2E_READY ';
