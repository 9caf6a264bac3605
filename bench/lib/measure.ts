/** One measured wrk run against a running server, with the server's CPU time per request. */
import { cpuTimeMs, type Server } from "./processes.js";
import type { Scenario, ScenarioName } from "./scenarios.js";
import { wrk } from "./wrk.js";

export interface Sample {
  round: number;
  target: string;
  scenario: ScenarioName;
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Server user+system CPU time per request, in microseconds. */
  cpuUsPerRequest: number;
  non2xx: number;
  socketErrors: number;
}

export interface LoadSettings {
  seconds: number;
  connections: number;
  loadCpu?: number;
}

export async function measure(
  server: Server,
  scenario: Scenario,
  settings: LoadSettings,
): Promise<Omit<Sample, "round" | "target">> {
  const cpuBefore = cpuTimeMs(server.pid);
  const result = await wrk({
    url: `http://127.0.0.1:${server.port}${scenario.path}`,
    seconds: settings.seconds,
    connections: settings.connections,
    script: scenario.script,
    cpu: settings.loadCpu,
  });
  const cpuMs = cpuTimeMs(server.pid) - cpuBefore;
  return {
    scenario: scenario.name,
    requests: result.requests,
    requestsPerSecond: result.requestsPerSecond,
    p50Ms: result.p50,
    p99Ms: result.p99,
    cpuUsPerRequest: result.requests ? (cpuMs * 1000) / result.requests : NaN,
    non2xx: result.non2xx,
    socketErrors: result.socketErrors,
  };
}
