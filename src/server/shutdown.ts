import { EventEmitter } from "node:events";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Socket } from "node:net";

/**
 * serving → delaying (readiness off, still serving) → draining (listener closed, in-flight
 * requests finishing) → stopped (every connection closed, stop hooks run).
 */
export const SHUTDOWN_PHASES = ["serving", "delaying", "draining", "stopped"] as const;
export type ShutdownPhase = (typeof SHUTDOWN_PHASES)[number];

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
  /** Upgraded connections (WebSockets) that had not closed by the drain timeout and were dropped. */
  droppedUpgrades: number;
}

/** When the request of a response arrived (ms since the epoch), for the drain-timeout report. */
const kStartedAt = Symbol("frank.startedAt");

type TrackedResponse = ServerResponse & { [kStartedAt]?: number };

/** Node's own link from a connection to the response it is writing (`undefined` between requests). */
type HttpSocket = Socket & { _httpMessage?: ServerResponse | null };

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/**
 * The graceful shutdown of the listeners of one process. `shutdown()` runs the sequence once:
 * readiness off → `shutdownDelayMs` while still serving → stop accepting → in-flight requests
 * finish, up to `drainTimeoutMs` → idle keep-alive connections closed → stop hooks.
 * From the first step on, every response carries `Connection: close`, so proxies stop
 * reusing connections to this process before the listener closes. When the drain starts,
 * `drainSignal` aborts (server-sent event streams end) and upgraded connections are asked to
 * go (WebSockets close with 1001), so their clients reconnect to a process that stays.
 * Emits "phase" with each new ShutdownPhase; `phase`, `requestsInFlight` and `openUpgrades`
 * can be read at any time (for metrics).
 */
export class GracefulShutdown extends EventEmitter {
  readonly #options: ShutdownOptions;
  readonly #log: (line: string) => void;
  readonly #warn: (line: string) => void;
  readonly #servers: Server[] = [];
  /** Open connections; the response each is busy with is in flight. Followed per connection, not per request. */
  readonly #sockets = new Set<HttpSocket>();
  /** Connections taken over by an upgrade (WebSockets), each with what asks it to close. */
  readonly #upgraded = new Map<Socket, () => void>();
  /** Aborted when the drain starts: long-lived responses (server-sent events) end on it. */
  readonly #draining = new AbortController();
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

  /** Aborts when the drain starts (the listeners close): long-lived responses should end then. */
  get drainSignal(): AbortSignal {
    return this.#draining.signal;
  }

  /** Responses being written right now. */
  get requestsInFlight(): number {
    return this.#inFlight().length;
  }

  /** Open upgraded connections (WebSockets). */
  get openUpgrades(): number {
    let open = 0;
    // A destroyed socket's "close" event comes a tick later; it is not open any more.
    for (const socket of this.#upgraded.keys()) if (!socket.destroyed) open++;
    return open;
  }

  /**
   * Follows a connection taken over by an upgrade: `goAway` is called when the drain starts
   * (a WebSocket closes with 1001), and the socket is destroyed if still open at the drain
   * timeout. One upgraded while the drain runs is asked to go at once.
   */
  trackUpgrade(socket: Socket, goAway: () => void): void {
    if (socket.destroyed) return;
    this.#upgraded.set(socket, goAway);
    socket.once("close", () => this.#upgraded.delete(socket));
    if (this.#phase === "draining" || this.#phase === "stopped") goAway();
  }

  /** Follows a listener's connections and requests; call before it accepts connections. */
  track(server: Server): void {
    this.#servers.push(server);
    server.on("connection", (socket: HttpSocket) => {
      this.#sockets.add(socket);
      socket.once("close", () => this.#sockets.delete(socket));
    });
    server.prependListener("request", (_req: IncomingMessage, res: TrackedResponse) => {
      res[kStartedAt] = Date.now();
      if (this.#phase !== "serving") this.#closeAfter(res);
    });
  }

  /** Runs the sequence; later calls get the same outcome. */
  shutdown(): Promise<ShutdownReport> {
    this.#running ??= this.#run();
    return this.#running;
  }

  /**
   * Responses still being written. Pipelined requests queued behind one are not listed yet;
   * they are answered in turn (with Connection: close) or cut with their connection.
   */
  #inFlight(): TrackedResponse[] {
    const responses: TrackedResponse[] = [];
    for (const socket of this.#sockets) {
      const res = socket._httpMessage;
      if (res && !res.writableFinished) responses.push(res);
    }
    return responses;
  }

  /** Once shutdown has begun, a response ends its connection instead of keeping it alive. */
  #closeAfter(res: ServerResponse): void {
    if (!res.headersSent) res.shouldKeepAlive = false;
    // A response whose headers went out before shutdown leaves its connection idle with keep-alive.
    if (this.#phase === "draining") res.once("close", () => setImmediate(() => this.#closeIdleConnections()));
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
    for (const res of this.#inFlight()) this.#closeAfter(res);
    if (shutdownDelayMs > 0) {
      this.#log(
        `frank: shutting down: readiness is off; serving ${seconds(shutdownDelayMs)} more while endpoints and proxies stop sending`,
      );
      // Unref'd: the open listener keeps the process alive, the wait alone does not.
      await new Promise((resolve) => setTimeout(resolve, shutdownDelayMs).unref());
    }

    this.#setPhase("draining");
    const inFlight = this.#inFlight();
    for (const res of inFlight) this.#closeAfter(res);
    const running = inFlight.length;
    const upgraded = this.#upgraded.size;
    this.#draining.abort();
    for (const goAway of this.#upgraded.values()) goAway();
    // The listeners close first, so the line below is true by the time anyone reads it.
    const closed = Promise.all(
      this.#servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
    );
    this.#closeIdleConnections();
    const waitingFor = [
      running > 0 ? `${running} request${running === 1 ? "" : "s"} in flight` : "",
      upgraded > 0 ? `${upgraded} WebSocket${upgraded === 1 ? "" : "s"} closing (1001)` : "",
    ].filter(Boolean);
    this.#log(
      `frank: stopped accepting connections; ` +
        (waitingFor.length === 0
          ? "no requests in flight"
          : `waiting up to ${seconds(drainTimeoutMs)} for ${waitingFor.join(" and ")}`),
    );

    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<"timeout">((resolve) => (timer = setTimeout(resolve, drainTimeoutMs, "timeout")));
    const outcome = await Promise.race([closed, timedOut]);
    clearTimeout(timer);
    const cut: string[] = [];
    let droppedUpgrades = 0;
    if (outcome === "timeout") {
      const now = Date.now();
      for (const res of this.#inFlight()) {
        const request = `${res.req.method ?? "GET"} ${res.req.url ?? "/"}`;
        const took = res[kStartedAt] === undefined ? "" : ` after ${seconds(now - res[kStartedAt])}`;
        cut.push(request);
        this.#warn(`frank: drain timeout (${seconds(drainTimeoutMs)}): cut off ${request}${took}`);
      }
      for (const server of this.#servers) server.closeAllConnections();
      // Node's HTTP server no longer knows upgraded sockets; the listener waits for them all the same.
      droppedUpgrades = this.openUpgrades;
      if (droppedUpgrades > 0)
        this.#warn(`frank: drain timeout: dropped ${droppedUpgrades} WebSocket(s) that did not close`);
      for (const socket of this.#upgraded.keys()) socket.destroy();
      await closed;
    }

    await this.#options.onStopped?.();
    this.#setPhase("stopped");
    return { cut, droppedUpgrades };
  }
}
