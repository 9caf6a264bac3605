/**
 * The WebSocket echo scenario: frank's `app.ws` against `ws` alone on node:http, each server
 * pinned to the server CPU, the load generator (ws-echo-client.ts) pinned to the load CPU.
 * Rounds alternate the order of the two; per round, frank's round trips per second are divided
 * by ws's, and the server's CPU time per round trip is read from /proc.
 */
import { spawn } from "node:child_process";
import { cpuTimeMs, freePort, startServer, stopServer } from "./processes.js";
import { median, type Spread, spread } from "./stats.js";
import { FRANK_BIN } from "./targets.js";

export const WEBSOCKET_TARGETS = ["frank", "ws"] as const;
export type WebSocketTarget = (typeof WEBSOCKET_TARGETS)[number];

export interface WebSocketSample {
  round: number;
  target: WebSocketTarget;
  roundTripsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  cpuUsPerRoundTrip: number;
  errors: number;
}

export interface WebSocketEchoResult {
  connections: number;
  seconds: number;
  rounds: number;
  cells: Array<{
    target: WebSocketTarget;
    roundTripsPerSecond: number;
    p50Ms: number;
    p99Ms: number;
    cpuUsPerRoundTrip: number;
    /** frank ÷ ws within each round; for ws itself, undefined. */
    vsWs?: Spread;
    cpuVsWs?: Spread;
  }>;
  samples: WebSocketSample[];
}

function launch(target: WebSocketTarget, port: number) {
  return target === "frank"
    ? {
        command: process.execPath,
        args: [
          FRANK_BIN,
          "bench/targets/ws-frank.ts",
          "-p",
          String(port),
          "-E",
          "production",
          "-q",
          "--access-log",
          "off",
        ],
        env: { HOST: "127.0.0.1" },
      }
    : {
        command: process.execPath,
        args: ["--import", "tsx", "bench/targets/ws-alone.ts"],
        env: { PORT: String(port) },
      };
}

function runClient(
  url: string,
  connections: number,
  seconds: number,
  loadCpu: number | undefined,
): Promise<{ roundTrips: number; perSecond: number; p50Ms: number; p99Ms: number; errors: number }> {
  const args = ["--import", "tsx", "bench/lib/ws-echo-client.ts", url, String(connections), String(seconds)];
  const [command, argv] =
    loadCpu === undefined ? [process.execPath, args] : ["taskset", ["-c", String(loadCpu), process.execPath, ...args]];
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout!.on("data", (chunk: Buffer) => (out += chunk));
    child.stderr!.on("data", (chunk: Buffer) => (err += chunk));
    // Bounded: the client stops by itself after `seconds`; past twice that plus start-up it is killed.
    const timer = setTimeout(() => child.kill("SIGKILL"), seconds * 2000 + 20_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      const line = out.trim().split("\n").pop() ?? "";
      if (code !== 0 || !line.startsWith("{"))
        reject(new Error(`the echo client failed (${code}): ${err.slice(-500)}`));
      else resolve(JSON.parse(line));
    });
  });
}

export async function measureWebSocketEcho(options: {
  rounds: number;
  seconds: number;
  connections: number;
  serverCpu: number | undefined;
  loadCpu: number | undefined;
  log: (line: string) => void;
}): Promise<WebSocketEchoResult> {
  const { rounds, seconds, connections, serverCpu, loadCpu, log } = options;
  const servers = new Map<WebSocketTarget, Awaited<ReturnType<typeof startServer>>>();
  const samples: WebSocketSample[] = [];
  try {
    for (const target of WEBSOCKET_TARGETS) {
      const port = await freePort();
      servers.set(target, await startServer({ ...launch(target, port), cpu: serverCpu, port, readyPath: "/hello" }));
    }
    const url = (target: WebSocketTarget) => `ws://127.0.0.1:${servers.get(target)!.port}/echo`;
    log("WebSocket echo: warm-up...");
    for (const target of WEBSOCKET_TARGETS) await runClient(url(target), connections, 1, loadCpu);
    for (let round = 0; round < rounds; round++) {
      log(`WebSocket echo: round ${round + 1}/${rounds}...`);
      const order = round % 2 === 0 ? WEBSOCKET_TARGETS : [...WEBSOCKET_TARGETS].reverse();
      for (const target of order) {
        const pid = servers.get(target)!.pid;
        const cpuBefore = cpuTimeMs(pid);
        const result = await runClient(url(target), connections, seconds, loadCpu);
        const cpuMs = cpuTimeMs(pid) - cpuBefore;
        samples.push({
          round,
          target,
          roundTripsPerSecond: result.perSecond,
          p50Ms: result.p50Ms,
          p99Ms: result.p99Ms,
          cpuUsPerRoundTrip: (cpuMs * 1000) / Math.max(1, result.roundTrips),
          errors: result.errors,
        });
      }
    }
  } finally {
    for (const server of servers.values()) await stopServer(server);
  }

  const of = (target: WebSocketTarget) => samples.filter((sample) => sample.target === target);
  const perRound = (pick: (sample: WebSocketSample) => number, invert = false) => {
    const ratios: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const frank = samples.find((s) => s.round === round && s.target === "frank");
      const ws = samples.find((s) => s.round === round && s.target === "ws");
      if (frank && ws) ratios.push(invert ? pick(ws) / pick(frank) : pick(frank) / pick(ws));
    }
    return spread(ratios);
  };
  return {
    connections,
    seconds,
    rounds,
    cells: WEBSOCKET_TARGETS.map((target) => ({
      target,
      roundTripsPerSecond: median(of(target).map((s) => s.roundTripsPerSecond)),
      p50Ms: median(of(target).map((s) => s.p50Ms)),
      p99Ms: median(of(target).map((s) => s.p99Ms)),
      cpuUsPerRoundTrip: median(of(target).map((s) => s.cpuUsPerRoundTrip)),
      ...(target === "frank"
        ? { vsWs: perRound((s) => s.roundTripsPerSecond), cpuVsWs: perRound((s) => s.cpuUsPerRoundTrip, true) }
        : {}),
    })),
    samples,
  };
}

export function websocketMarkdown(result: WebSocketEchoResult): string {
  const fixed = (n: number, digits: number) => (Number.isFinite(n) ? n.toFixed(digits) : "–");
  const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "–");
  const ratio = (s: Spread | undefined) => (s ? `${fixed(s.median, 2)}× (${fixed(s.min, 2)}–${fixed(s.max, 2)})` : "–");
  const lines = [
    "",
    `WebSocket echo: ${result.connections} sockets, each sending 32 bytes and waiting for the echo, ${result.seconds} s per cell, ${result.rounds} rounds (order alternated).`,
    "",
    "| scenario | target | round trips/s | × ws (min–max) | p50 ms | p99 ms | server CPU µs/round trip | × ws by CPU |",
    "|---|---|--:|--:|--:|--:|--:|--:|",
  ];
  for (const cell of result.cells) {
    lines.push(
      `| ws-echo | ${cell.target === "ws" ? "ws alone" : "frank"} | ${int(cell.roundTripsPerSecond)} | ${ratio(cell.vsWs)} | ${fixed(cell.p50Ms, 2)} | ${fixed(cell.p99Ms, 2)} | ${fixed(cell.cpuUsPerRoundTrip, 1)} | ${ratio(cell.cpuVsWs)} |`,
    );
  }
  return `${lines.join("\n")}\n`;
}
