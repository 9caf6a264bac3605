/**
 * SIGINT and SIGTERM close the server and exit 0. Node running as PID 1 in a container
 * ignores SIGTERM unless a handler is installed, so without this a pod waits out its whole
 * grace period and is then killed. A second signal exits at once.
 * Returns a function that removes the handlers again.
 */
export function exitOnSignals(close: () => Promise<void>, log: (line: string) => void): () => void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(0);
    stopping = true;
    log(`== frank got ${signal}, closing`);
    close().then(
      () => process.exit(0),
      (error) => {
        console.error(`frank: error while closing: ${error instanceof Error ? error.message : String(error)}`);
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
