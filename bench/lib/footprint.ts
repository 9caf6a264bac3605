/**
 * Startup and memory: idle RSS after the first answer, RSS after a fixed number of
 * requests, and the time from spawn to the first 200.
 */
import { freePort, rssMiB, startServer, stopServer } from "./processes.js";
import { median } from "./stats.js";
import type { Launch } from "./targets.js";
import { sendRequests } from "./fixed-load.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface Footprint {
  target: string;
  /** Spawn to first 200 (one start; the startup table has medians). */
  startupMs: number;
  idleRssMiB: number;
  rssAfterMiB: number;
  /** Requests actually served before rssAfterMiB was read (`hello`). */
  requests: number;
}

export interface FootprintSettings {
  serverCpu?: number;
  requests: number;
  connections: number;
  /** Time the server is left alone before its idle RSS is read. */
  settleMs: number;
}

/** A server to measure: a bench target through its usual command, or a compiled variant. */
export interface Variant {
  name: string;
  launch(port: number): Launch;
}

export async function footprint(target: Variant, settings: FootprintSettings): Promise<Footprint> {
  const port = await freePort();
  const launch = target.launch(port);
  try {
    const server = await startServer({ ...launch, cpu: settings.serverCpu, port, readyPath: "/hello" });
    try {
      await sleep(settings.settleMs);
      const idleRssMiB = rssMiB(server.pid);
      const requests = await sendRequests(port, "/hello", settings.requests, settings.connections, 120_000);
      return {
        target: target.name,
        startupMs: server.startupMs,
        idleRssMiB,
        rssAfterMiB: rssMiB(server.pid),
        requests,
      };
    } finally {
      await stopServer(server);
    }
  } finally {
    launch.cleanup?.();
  }
}

export interface StartupResult {
  name: string;
  command: string;
  medianMs: number;
  samplesMs: number[];
}

/** Spawn-to-first-200 for each variant, `repeats` times each in alternating order; medians. */
export async function startupTimes(variants: Variant[], repeats: number, serverCpu?: number): Promise<StartupResult[]> {
  const samples = new Map<string, number[]>(variants.map((v) => [v.name, []]));
  const commands = new Map<string, string>();
  for (let round = 0; round < repeats; round++) {
    const order = round % 2 ? [...variants].reverse() : variants;
    for (const variant of order) {
      const port = await freePort();
      const launch = variant.launch(port);
      commands.set(
        variant.name,
        [launch.command.replace(process.execPath, "node"), ...launch.args].join(" ").replace(String(port), "PORT"),
      );
      try {
        const server = await startServer({ ...launch, cpu: serverCpu, port, readyPath: "/hello" });
        samples.get(variant.name)!.push(server.startupMs);
        await stopServer(server);
      } finally {
        launch.cleanup?.();
      }
    }
  }
  return variants.map((v) => ({
    name: v.name,
    command: commands.get(v.name)!,
    medianMs: median(samples.get(v.name)!),
    samplesMs: samples.get(v.name)!,
  }));
}
