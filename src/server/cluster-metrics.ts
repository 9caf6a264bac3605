import cluster from "node:cluster";
import { labelPairs } from "./exposition.js";

/**
 * /metrics with workers (`-w N`): the workers share one port, so a scrape reaches any one of
 * them; its numbers alone would jump between workers and break every rate(). So the worker
 * that is asked gathers every worker's exposition through the primary and answers with one:
 * request metrics (http_*) summed, which is exact for counters, histograms and requests in
 * flight; every other sample (process, Node.js, shutdown phase) kept per worker with a
 * `worker` label, because a sum of start times or event-loop delays would mean nothing.
 */

type ClusterMessage =
  | { frank: "metrics-gather"; id: number }
  | { frank: "metrics-snapshot"; id: number }
  | { frank: "metrics-snapshot-result"; id: number; text: string }
  | { frank: "metrics-gathered"; id: number; text: string };

/** How long the primary waits for a worker's numbers before answering without them. */
const SNAPSHOT_TIMEOUT_MS = 2_000;

function isClusterMessage(message: unknown): message is ClusterMessage {
  const frank = (message as { frank?: unknown } | null)?.frank;
  return typeof frank === "string" && frank.startsWith("metrics-");
}

/** Summed across workers rather than labelled per worker. */
function summed(family: string): boolean {
  return family.startsWith("http_");
}

/** `name{labels} value` with `worker="id"` added first to the labels. */
function withWorker(line: string, worker: string): string {
  const space = line.lastIndexOf(" ");
  const series = line.slice(0, space);
  const brace = series.indexOf("{");
  const label = labelPairs({ worker });
  return brace === -1
    ? `${series}{${label}}${line.slice(space)}`
    : `${series.slice(0, brace + 1)}${label},${series.slice(brace + 1)}${line.slice(space)}`;
}

/**
 * One exposition from several of frank's own (each family's samples kept together, as the
 * format requires). `parts` maps a worker id to its exposition.
 */
export function mergeExpositions(parts: ReadonlyMap<string, string>): string {
  const families = new Map<string, { header: string[]; samples: Map<string, number> | string[] }>();
  for (const [worker, text] of parts) {
    let family: { header: string[]; samples: Map<string, number> | string[] } | undefined;
    for (const line of text.split("\n")) {
      if (line === "") continue;
      if (line.startsWith("# HELP ")) {
        const name = line.slice(7, line.indexOf(" ", 7));
        family = families.get(name);
        if (family === undefined) {
          family = { header: [line], samples: summed(name) ? new Map() : [] };
          families.set(name, family);
        }
        continue;
      }
      if (line.startsWith("#")) {
        if (family !== undefined && family.header.length === 1) family.header.push(line);
        continue;
      }
      if (family === undefined) continue;
      if (family.samples instanceof Map) {
        const space = line.lastIndexOf(" ");
        const key = line.slice(0, space);
        family.samples.set(key, (family.samples.get(key) ?? 0) + Number(line.slice(space + 1)));
      } else {
        family.samples.push(withWorker(line, worker));
      }
    }
  }
  let out = "";
  for (const { header, samples } of families.values()) {
    out += `${header.join("\n")}\n`;
    if (samples instanceof Map) for (const [key, value] of samples) out += `${key} ${value}\n`;
    else for (const line of samples) out += `${line}\n`;
  }
  return out;
}

let primaryListening = false;

/** In the primary: gathers the workers' expositions whenever a worker asks. Once per process. */
export function gatherMetricsForWorkers(): void {
  if (primaryListening) return;
  primaryListening = true;
  let nextId = 0;
  const pending = new Map<number, { parts: Map<string, string>; waiting: Set<string>; done: () => void }>();
  // Only workers that said they listen are asked: one still loading the app has no metrics
  // yet and would hold every scrape until the timeout.
  const listening = new Set<number>();
  cluster.on("exit", (worker) => listening.delete(worker.id));

  cluster.on("message", (from, message: unknown) => {
    if ((message as { frank?: unknown } | null)?.frank === "listening") listening.add(from.id);
    if (!isClusterMessage(message)) return;
    if (message.frank === "metrics-gather") {
      const id = ++nextId;
      const workers = Object.values(cluster.workers ?? {}).filter((w) => w?.isConnected() && listening.has(w.id));
      const parts = new Map<string, string>();
      const waiting = new Set(workers.map((w) => String(w!.id)));
      const reply = () => {
        clearTimeout(timer);
        pending.delete(id);
        if (from.isConnected()) from.send({ frank: "metrics-gathered", id: message.id, text: mergeExpositions(parts) });
      };
      const timer = setTimeout(reply, SNAPSHOT_TIMEOUT_MS);
      pending.set(id, { parts, waiting, done: reply });
      for (const worker of workers) worker!.send({ frank: "metrics-snapshot", id });
      if (waiting.size === 0) reply();
    } else if (message.frank === "metrics-snapshot-result") {
      const gathering = pending.get(message.id);
      if (gathering === undefined) return;
      gathering.parts.set(String(from.id), message.text);
      gathering.waiting.delete(String(from.id));
      if (gathering.waiting.size === 0) gathering.done();
    }
  });
}

/**
 * In a worker: answers the primary's snapshot requests with `renderOwn`, and returns what
 * /metrics should render: every worker's numbers, gathered through the primary.
 */
export function clusterRender(renderOwn: () => Promise<string>): () => Promise<string> {
  let nextId = 0;
  const waiting = new Map<number, (text: string) => void>();
  process.on("message", (message: unknown) => {
    if (!isClusterMessage(message)) return;
    if (message.frank === "metrics-snapshot") {
      renderOwn().then((text) => process.send?.({ frank: "metrics-snapshot-result", id: message.id, text }));
    } else if (message.frank === "metrics-gathered") {
      waiting.get(message.id)?.(message.text);
      waiting.delete(message.id);
    }
  });
  return () =>
    new Promise((resolve, reject) => {
      const id = ++nextId;
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error("the primary did not gather the workers' metrics in time"));
      }, SNAPSHOT_TIMEOUT_MS * 2);
      waiting.set(id, (text) => {
        clearTimeout(timer);
        resolve(text);
      });
      process.send?.({ frank: "metrics-gather", id });
    });
}
