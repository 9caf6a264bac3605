import { constants } from "node:os";

/**
 * SIGINT and SIGTERM start `shutdown` (the graceful sequence), and the process exits 0 once it
 * is done, 1 if it failed. Node running as PID 1 in a container ignores SIGTERM unless a
 * handler is installed, so without this a pod waits out its whole grace period and is then
 * killed. A second signal exits at once, with 128 + the signal's number, as a shell reports
 * a process the signal killed.
 * Returns a function that removes the handlers again.
 */
export function exitOnSignals(shutdown: () => Promise<void>, log: (line: string) => void): () => void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      log(`== frank got ${signal} again, exiting now`);
      process.exit(128 + constants.signals[signal]);
    }
    stopping = true;
    log(`== frank got ${signal}, closing gracefully (send it again to exit at once)`);
    shutdown().then(
      () => process.exit(0),
      (error) => {
        console.error(
          `frank: error while shutting down: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return () => {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  };
}
