import cluster, { type Worker } from "node:cluster";
import { ConfigError } from "./config-error.js";
import type { BoundAddress } from "./listen.js";

/** Messages a worker sends its primary once it has tried to listen. */
type WorkerReport = { frank: "listening"; addresses: BoundAddress[] } | { frank: "failed"; message: string };

export function isWorkerProcess(): boolean {
  return cluster.isWorker;
}

/** In a worker: tell the primary how listening went. */
export function reportToPrimary(report: WorkerReport): void {
  process.send?.(report);
}

export interface WorkerPool {
  addresses: BoundAddress[];
  close(): Promise<void>;
}

/**
 * Forks `count` copies of this process (node:cluster, so they share the listening sockets),
 * each with APP_ENV set so every worker runs in the environment the primary resolved.
 * Resolves once all of them listen; a worker that fails to start fails the whole start.
 * A worker that dies later is replaced.
 */
export function startWorkers(count: number, env: Record<string, string>): Promise<WorkerPool> {
  let closing = false;
  let started = false;
  let failStart: (message: string) => void = () => {};
  const workers = new Set<Worker>();

  const fork = () => {
    const worker = cluster.fork(env);
    workers.add(worker);
    worker.once("exit", (code, signal) => {
      workers.delete(worker);
      if (closing) return;
      if (!started) return failStart(`a worker exited while starting (${signal ?? `status ${code}`})`);
      console.error(`frank: worker ${worker.process.pid} exited (${signal ?? `status ${code}`}); starting another`);
      fork();
    });
    return worker;
  };

  const close = async () => {
    closing = true;
    await Promise.all(
      [...workers].map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (worker.isDead()) return resolve();
            worker.once("exit", () => resolve());
            // disconnect() lets the worker's servers finish their requests before it exits.
            worker.disconnect();
          }),
      ),
    );
  };

  return new Promise((resolve, reject) => {
    let ready = 0;
    let addresses: BoundAddress[] = [];
    let failed = false;
    failStart = (message) => {
      if (failed) return;
      failed = true;
      close().then(() => reject(new ConfigError(message)));
    };
    for (let i = 0; i < count; i++) {
      const worker = fork();
      const onMessage = (message: WorkerReport) => {
        if (message?.frank === "listening") {
          worker.off("message", onMessage);
          addresses = message.addresses;
          if (++ready === count) {
            started = true;
            resolve({ addresses, close });
          }
        } else if (message?.frank === "failed") {
          failStart(message.message);
        }
      };
      worker.on("message", onMessage);
    }
  });
}
