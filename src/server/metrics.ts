import { ExpositionWriter, labelPairs } from "./exposition.js";
import { HttpMetrics } from "./http-metrics.js";
import { ProcessMetrics } from "./process-metrics.js";
import { SHUTDOWN_PHASES, type ShutdownPhase } from "./shutdown.js";

const PHASE_LABELS = SHUTDOWN_PHASES.map((phase) => labelPairs({ phase }));

/**
 * Everything `/metrics` reports for one process: its requests, the process and Node, its
 * shutdown phase and its open WebSockets.
 */
export class ServerMetrics {
  readonly http = new HttpMetrics();
  readonly process = new ProcessMetrics();
  readonly #phase: () => ShutdownPhase;
  readonly #openWebSockets: () => number;

  /** Both are read at scrape time only: nothing is counted per request or per message. */
  constructor(phase: () => ShutdownPhase, openWebSockets: () => number = () => 0) {
    this.#phase = phase;
    this.#openWebSockets = openWebSockets;
  }

  /** The exposition, in Prometheus text format 0.0.4. */
  async render(): Promise<string> {
    const out = new ExpositionWriter();
    this.http.write(out);
    const phase = this.#phase();
    out.family(
      "frank_shutdown_phase",
      "gauge",
      "1 for the shutdown phase this process is in: serving; delaying (readiness off, still serving); " +
        "draining (listener closed, requests in flight finishing); stopped.",
    );
    for (let i = 0; i < SHUTDOWN_PHASES.length; i++) {
      out.sample("frank_shutdown_phase", PHASE_LABELS[i], SHUTDOWN_PHASES[i] === phase ? 1 : 0);
    }
    // An upgrade is counted in http_requests_total once, at its handshake (101); the socket's
    // lifetime is this gauge's, so a rolling restart shows the sockets going to zero.
    out.single(
      "frank_websockets_open",
      "gauge",
      "WebSockets open in this process (closed with 1001 when the drain starts).",
      this.#openWebSockets(),
    );
    await this.process.write(out);
    return out.text();
  }
}
