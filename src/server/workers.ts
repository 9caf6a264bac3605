import cluster, { type Worker } from "node:cluster";
import { ConfigError } from "./config-error.js";
import type { BoundAddress } from "./listen.js";

/** Messages a worker sends its primary once it has tried to listen. */
type WorkerReport = { frank: "listening"; addresses: BoundAddress[] } | { frank: "failed"; message: string };

/** What the primary tells its workers when the pool shuts down. */
const SHUTDOWN_MESSAGE = { frank: "shutdown" } as const;

export function isWorkerProcess(): boolean {
  return cluster.isWorker;
}

/** In a worker: tell the primary how listening went. */
export function reportToPrimary(report: WorkerReport): void {
  process.send?.(report);
}

/** In a worker: run `shutdown` when the primary says the pool is shutting down. */
export function onShutdownFromPrimary(shutdown: () => void): void {
  process.on("message", (message: unknown) => {
    if ((message as { frank?: string } | null)?.frank === SHUTDOWN_MESSAGE.frank) shutdown();
  });
}

export interface WorkerPool {
  addresses: BoundAddress[];
  /**
   * Every worker runs its own shutdown sequence (readiness off, delay, drain) and exits;
   * resolves once all have. Workers still running after `deadlineMs` are killed.
   */
  shutdown(deadlineMs: number): Promise<void>;
}

/**
 * Forks `count` copies of this process (node:cluster, so they share the listening sockets),
 * each with APP_ENV set so every worker runs in the environment the primary resolved.
 * Resolves once all of them listen; a worker that fails to start fails the whole start.
 * A worker that dies later is replaced, unless the pool is shutting down.
 */
export function startWorkers(count: number, env: Record<string, string>): Promise<WorkerPool> {
  let stopping = false;
  let started = false;
  let failStart: (message: string) => void = () => {};
  const workers = new Set<Worker>();

  const fork = () => {
    const worker = cluster.fork(env);
    workers.add(worker);
    worker.once("exit", (code, signal) => {
      workers.delete(worker);
      if (stopping) return;
      if (!started) return failStart(`a worker exited while starting (${signal ?? `status ${code}`})`);
      console.error(`frank: worker ${worker.process.pid} exited (${signal ?? `status ${code}`}); starting another`);
      fork();
    });
    return worker;
  };

  const allExited = () =>
    Promise.all(
      [...workers].map(
        (worker) =>
          new Promise<void>((resolve) => (worker.isDead() ? resolve() : worker.once("exit", () => resolve()))),
      ),
    ).then(() => undefined);

  const shutdown = async (deadlineMs: number) => {
    stopping = true;
    for (const worker of workers) if (worker.isConnected()) worker.send(SHUTDOWN_MESSAGE);
    const deadline = setTimeout(() => {
      for (const worker of workers) {
        console.error(`frank: worker ${worker.process.pid} did not finish in time; killing it`);
        worker.process.kill("SIGKILL");
      }
    }, deadlineMs);
    await allExited();
    clearTimeout(deadline);
  };

  return new Promise((resolve, reject) => {
    let ready = 0;
    let addresses: BoundAddress[] = [];
    let failed = false;
    failStart = (message) => {
      if (failed) return;
      failed = true;
      stopping = true;
      for (const worker of workers) worker.process.kill("SIGKILL");
      allExited().then(() => reject(new ConfigError(message)));
    };
    for (let i = 0; i < count; i++) {
      const worker = fork();
      const onMessage = (message: WorkerReport) => {
        if (message?.frank === "listening") {
          worker.off("message", onMessage);
          addresses = message.addresses;
          if (++ready === count) {
            started = true;
            resolve({ addresses, shutdown });
          }
        } else if (message?.frank === "failed") {
          failStart(message.message);
        }
      };
      worker.on("message", onMessage);
    }
  });
}
