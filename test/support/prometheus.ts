// Prometheus' own tools as the judges of frank's /metrics: `promtool check metrics` (the Go
// exposition parser plus Prometheus' naming lint) and a real `prometheus` server that scrapes
// frank over a socket. Both from Debian's `prometheus` package.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";
import { freePort } from "./ports.js";
import { waitFor } from "./wait.js";

const PROMTOOL = "/usr/bin/promtool";
const PROMETHEUS = "/usr/bin/prometheus";

export function promtoolUnavailableReason(): string | undefined {
  return existsSync(PROMTOOL) ? undefined : "promtool is not installed (apt-get install prometheus)";
}

export function prometheusUnavailableReason(): string | undefined {
  return existsSync(PROMETHEUS) ? undefined : "prometheus is not installed (apt-get install prometheus)";
}

/** `promtool check metrics` on an exposition: what it found wrong ("" when nothing). */
export function promtoolProblems(exposition: string): { ok: boolean; problems: string } {
  const result = spawnSync(PROMTOOL, ["check", "metrics"], { input: exposition, encoding: "utf8", timeout: 20_000 });
  return { ok: result.status === 0, problems: `${result.stdout}${result.stderr}`.trim() };
}

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/**
 * The sample lines of an exposition, for reading values in tests (the format itself is judged
 * by promtool). Label values may hold escaped quotes, backslashes and newlines.
 */
export function samplesOf(exposition: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of exposition.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[pair[1]] = pair[2].replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));
    }
    const value = match[3] === "+Inf" ? Number.POSITIVE_INFINITY : match[3] === "-Inf" ? -Infinity : Number(match[3]);
    samples.push({ name: match[1], labels, value });
  }
  return samples;
}

/** The value of the one sample with this name whose labels include `labels`; undefined when none. */
export function sampleValue(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const found = samples.filter(
    (sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
  );
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return found[0]?.value;
}

export interface PrometheusServer {
  url: string;
  /** An instant query; the result vector. */
  query(expression: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>>;
  /** The active targets as /api/v1/targets lists them. */
  targets(): Promise<Array<{ health: string; lastError: string; scrapeUrl: string }>>;
  process: ChildProcess;
}

/** A Prometheus server scraping `target` (host:port) every second, with its data in a temporary folder. */
export async function startPrometheus(
  t: TestContext,
  target: string,
  metricsPath = "/metrics",
): Promise<PrometheusServer> {
  const folder = mkdtempSync(join(tmpdir(), "frank-prometheus-"));
  const config = join(folder, "prometheus.yml");
  writeFileSync(
    config,
    [
      "global:",
      "  scrape_interval: 1s",
      "  scrape_timeout: 1s",
      "scrape_configs:",
      "  - job_name: frank",
      `    metrics_path: ${JSON.stringify(metricsPath)}`,
      "    static_configs:",
      `      - targets: [${JSON.stringify(target)}]`,
      "",
    ].join("\n"),
  );
  const port = await freePort();
  const child = spawn(
    PROMETHEUS,
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(folder, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--log.level=warn",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    rmSync(folder, { recursive: true, force: true });
  });
  const url = `http://127.0.0.1:${port}`;
  const api = async (path: string) => {
    const response = await fetch(url + path);
    const body = (await response.json()) as { status: string; data: any; error?: string };
    if (body.status !== "success") throw new Error(`${path}: ${body.error ?? body.status}`);
    return body.data;
  };
  await waitFor(async () => (await fetch(`${url}/-/ready`)).ok, {
    description: "prometheus ready",
    timeoutMs: 30_000,
  }).catch((error: Error) => {
    throw new Error(`${error.message}\n${output}`);
  });
  return {
    url,
    process: child,
    query: async (expression) => (await api(`/api/v1/query?query=${encodeURIComponent(expression)}`)).result,
    targets: async () => (await api("/api/v1/targets")).activeTargets,
  };
}
