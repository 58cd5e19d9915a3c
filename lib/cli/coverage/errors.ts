/** Errors of the coverage CLI. Node-only (CLI). */

/** A problem with the command line, the config file or the app tree: exit code 2, nothing is reported. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    /** Stable code, e.g. `ERR_COVERAGE_USAGE`. */
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
