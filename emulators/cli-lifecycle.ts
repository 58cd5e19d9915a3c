// How the stand-ins' commands stop: one rule for both bins.

const PARENT_CHECK_MS = 500;

/**
 * Closes `service` and exits 0 on SIGTERM or SIGINT — and when the parent process goes away: `npx` forwards SIGTERM
 * to the shell it runs the bin in, which dies without passing it on, so `kill <npx pid>` (a CI step's cleanup)
 * would otherwise leave the server running. Signals while closing change nothing (a terminal's Ctrl-C may arrive
 * twice: from the process group and relayed by a wrapper such as tsx).
 */
export function stopOnSignals(service: { close(): Promise<void> }): void {
  const parent = process.ppid;
  let closing = false;
  const stop = (): void => {
    if (closing) return;
    closing = true;
    void service.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`stopping failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // process.ppid is read afresh each time: it changes when the parent dies and the process is re-parented.
  setInterval(() => {
    if (process.ppid !== parent) stop();
  }, PARENT_CHECK_MS).unref();
}
