import { EventEmitter } from "node:events";
import type { IncomingMessage, Server, ServerResponse } from "node:http";

/**
 * serving → delaying (readiness off, still serving) → draining (listener closed, in-flight
 * requests finishing) → stopped (every connection closed, stop hooks run).
 */
export type ShutdownPhase = "serving" | "delaying" | "draining" | "stopped";

export interface ShutdownOptions {
  /** How long to keep serving after readiness turns off, so endpoints and proxies stop sending. */
  shutdownDelayMs: number;
  /** How long in-flight requests may still run once the listener is closed. */
  drainTimeoutMs: number;
  /** Where the sequence reports its steps. Default: console.error. */
  log?: (line: string) => void;
  /** Where it reports the requests it had to cut off. Default: console.error. */
  warn?: (line: string) => void;
  /** Runs once the last connection is closed (the app's onStop hooks). */
  onStopped?: () => unknown;
}

export interface ShutdownReport {
  /** "METHOD /path" of every request still running at the drain timeout, which was cut off. */
  cut: string[];
}

interface InFlight {
  method: string;
  url: string;
  startedAt: number;
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/**
 * The graceful shutdown of the listeners of one process. `shutdown()` runs the sequence once:
 * readiness off → `shutdownDelayMs` while still serving → stop accepting → in-flight requests
 * finish, up to `drainTimeoutMs` → idle keep-alive connections closed → stop hooks.
 * From the first step on, every response carries `Connection: close`, so proxies stop
 * reusing connections to this process before the listener closes.
 * Emits "phase" with each new ShutdownPhase.
 */
export class GracefulShutdown extends EventEmitter {
  readonly #options: ShutdownOptions;
  readonly #log: (line: string) => void;
  readonly #warn: (line: string) => void;
  readonly #servers: Server[] = [];
  readonly #inFlight = new Map<ServerResponse, InFlight>();
  #phase: ShutdownPhase = "serving";
  #running: Promise<ShutdownReport> | undefined;

  constructor(options: ShutdownOptions) {
    super();
    this.#options = options;
    this.#log = options.log ?? ((line) => console.error(line));
    this.#warn = options.warn ?? ((line) => console.error(line));
  }

  get phase(): ShutdownPhase {
    return this.#phase;
  }

  /** What `/readyz` reports: true until shutdown starts. */
  get ready(): boolean {
    return this.#phase === "serving";
  }

  /** Follows a listener's requests; call before it accepts connections. */
  track(server: Server): void {
    this.#servers.push(server);
    server.prependListener("request", (req: IncomingMessage, res: ServerResponse) => this.#onRequest(req, res));
  }

  /** Runs the sequence; later calls get the same outcome. */
  shutdown(): Promise<ShutdownReport> {
    this.#running ??= this.#run();
    return this.#running;
  }

  #onRequest(req: IncomingMessage, res: ServerResponse): void {
    this.#inFlight.set(res, { method: req.method ?? "GET", url: req.url ?? "/", startedAt: Date.now() });
    if (this.#phase !== "serving") res.shouldKeepAlive = false;
    res.once("close", () => {
      this.#inFlight.delete(res);
      // The connection may now sit idle with keep-alive (its headers went out before shutdown).
      if (this.#phase === "draining") setImmediate(() => this.#closeIdleConnections());
    });
  }

  #setPhase(phase: ShutdownPhase): void {
    this.#phase = phase;
    this.emit("phase", phase);
  }

  #closeIdleConnections(): void {
    for (const server of this.#servers) server.closeIdleConnections();
  }

  async #run(): Promise<ShutdownReport> {
    const { shutdownDelayMs, drainTimeoutMs } = this.#options;
    this.#setPhase("delaying");
    for (const res of this.#inFlight.keys()) if (!res.headersSent) res.shouldKeepAlive = false;
    if (shutdownDelayMs > 0) {
      this.#log(`frank: shutting down: readiness is off; serving ${seconds(shutdownDelayMs)} more while endpoints and proxies stop sending`);
      // Unref'd: the open listener keeps the process alive, the wait alone does not.
      await new Promise((resolve) => setTimeout(resolve, shutdownDelayMs).unref());
    }

    this.#setPhase("draining");
    const running = this.#inFlight.size;
    this.#log(
      `frank: stopped accepting connections; ` +
        (running === 0 ? "no requests in flight" : `waiting up to ${seconds(drainTimeoutMs)} for ${running} request${running === 1 ? "" : "s"} in flight`),
    );
    const closed = Promise.all(this.#servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
    this.#closeIdleConnections();

    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<"timeout">((resolve) => (timer = setTimeout(resolve, drainTimeoutMs, "timeout")));
    const outcome = await Promise.race([closed, timedOut]);
    clearTimeout(timer);
    const cut: string[] = [];
    if (outcome === "timeout") {
      const now = Date.now();
      for (const request of this.#inFlight.values()) {
        cut.push(`${request.method} ${request.url}`);
        this.#warn(`frank: drain timeout (${seconds(drainTimeoutMs)}): cut off ${request.method} ${request.url} after ${seconds(now - request.startedAt)}`);
      }
      for (const server of this.#servers) server.closeAllConnections();
      await closed;
    }

    await this.#options.onStopped?.();
    this.#setPhase("stopped");
    return { cut };
  }
}
