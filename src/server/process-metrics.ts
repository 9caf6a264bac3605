import { readdir, readFile } from "node:fs/promises";
import { constants, type IntervalHistogram, monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";
import { getHeapSpaceStatistics } from "node:v8";
import { boundLabels, bucketIndex, type ExpositionWriter, labelPairs } from "./exposition.js";

/**
 * The process and Node.js metrics a prom-client user finds in `collectDefaultMetrics()`, under
 * the same names, types and labels, so existing dashboards and alerts work unchanged. Left
 * out: the `nodejs_active_*_total` gauges (a `_total` gauge breaks Prometheus' naming rules;
 * promtool rejects them) and the handle/request lists of Node's deprecated private APIs.
 *
 * The event-loop delay monitor and the GC observer start at the first scrape, so a process
 * nobody scrapes pays nothing; the delay statistics then cover the time since the last scrape.
 */

/**
 * The delay monitor wakes every 10 ms and records how long it really took, so each sample is
 * 10 ms plus the delay; the 10 ms are taken off (prom-client reports them in).
 */
const DELAY_RESOLUTION_MS = 10;
const DELAY_RESOLUTION_NS = DELAY_RESOLUTION_MS * 1e6;

/** GC pause buckets, in seconds: prom-client's, so its dashboards' `le` values match. */
const GC_BUCKETS: readonly number[] = [0.001, 0.01, 0.1, 1, 2, 5];
const GC_BOUNDS = boundLabels(GC_BUCKETS);

const GC_KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MAJOR]: "major",
  [constants.NODE_PERFORMANCE_GC_MINOR]: "minor",
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: "incremental",
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: "weakcb",
};

interface GcSeries {
  labels: string;
  count: number;
  sum: number;
  buckets: Float64Array;
}

/** The time the process started, in seconds since the epoch. */
const START_TIME_SECONDS = performance.timeOrigin / 1000;

const [MAJOR, MINOR, PATCH] = process.versions.node.split(".");

/** Fields of /proc/self/status in kB, as bytes (Linux only). */
async function procStatus(): Promise<{ virtual?: number; heap?: number }> {
  try {
    const text = await readFile("/proc/self/status", "utf8");
    const kb = (field: string) => {
      const match = new RegExp(`^${field}:\\s*(\\d+) kB$`, "m").exec(text);
      return match ? Number(match[1]) * 1024 : undefined;
    };
    return { virtual: kb("VmSize"), heap: kb("VmData") };
  } catch {
    return {};
  }
}

async function openFileDescriptors(): Promise<number | undefined> {
  try {
    // Less the one reading the directory.
    return (await readdir("/proc/self/fd")).length - 1;
  } catch {
    return undefined;
  }
}

async function maxFileDescriptors(): Promise<number | undefined> {
  try {
    const match = /^Max open files\s+(\d+)/m.exec(await readFile("/proc/self/limits", "utf8"));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** How long a callback queued now waits for the event loop, in seconds. */
function immediateLag(): Promise<number> {
  const start = process.hrtime.bigint();
  return new Promise((resolve) => setImmediate(() => resolve(Number(process.hrtime.bigint() - start) / 1e9)));
}

export class ProcessMetrics {
  #delay: IntervalHistogram | undefined;
  #gcObserver: PerformanceObserver | undefined;
  readonly #gc = new Map<string, GcSeries>();

  /** Stops the monitors (tests, and a server that closes). */
  stop(): void {
    this.#delay?.disable();
    this.#gcObserver?.disconnect();
    this.#delay = undefined;
    this.#gcObserver = undefined;
  }

  #startMonitors(): void {
    if (this.#delay !== undefined) return;
    this.#delay = monitorEventLoopDelay({ resolution: DELAY_RESOLUTION_MS });
    this.#delay.enable();
    this.#gcObserver = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const kind = GC_KINDS[(entry as { detail?: { kind?: number } }).detail?.kind ?? -1];
        if (kind !== undefined) this.#observeGc(kind, entry.duration / 1000);
      }
    });
    this.#gcObserver.observe({ entryTypes: ["gc"] });
  }

  #observeGc(kind: string, seconds: number): void {
    let series = this.#gc.get(kind);
    if (series === undefined) {
      series = { labels: labelPairs({ kind }), count: 0, sum: 0, buckets: new Float64Array(GC_BUCKETS.length + 1) };
      this.#gc.set(kind, series);
    }
    series.count++;
    series.sum += seconds;
    series.buckets[bucketIndex(GC_BUCKETS, seconds)]++;
  }

  async write(out: ExpositionWriter): Promise<void> {
    this.#startMonitors();
    const [lag, status, openFds, maxFds] = await Promise.all([
      immediateLag(),
      procStatus(),
      openFileDescriptors(),
      maxFileDescriptors(),
    ]);
    const cpu = process.cpuUsage();
    const memory = process.memoryUsage();

    out.single("process_cpu_user_seconds_total", "counter", "User CPU time spent, in seconds.", cpu.user / 1e6);
    out.single("process_cpu_system_seconds_total", "counter", "System CPU time spent, in seconds.", cpu.system / 1e6);
    out.single(
      "process_cpu_seconds_total",
      "counter",
      "User and system CPU time spent, in seconds.",
      (cpu.user + cpu.system) / 1e6,
    );
    out.single(
      "process_start_time_seconds",
      "gauge",
      "When the process started, in seconds since the Unix epoch.",
      START_TIME_SECONDS,
    );
    out.single("process_resident_memory_bytes", "gauge", "Resident set size, in bytes.", memory.rss);
    if (status.virtual !== undefined)
      out.single("process_virtual_memory_bytes", "gauge", "Virtual memory size, in bytes.", status.virtual);
    if (status.heap !== undefined)
      out.single("process_heap_bytes", "gauge", "Size of the process' data segment (VmData), in bytes.", status.heap);
    if (openFds !== undefined) out.single("process_open_fds", "gauge", "Open file descriptors.", openFds);
    if (maxFds !== undefined) out.single("process_max_fds", "gauge", "Limit of open file descriptors.", maxFds);

    out.single(
      "nodejs_eventloop_lag_seconds",
      "gauge",
      "How long a callback queued at this scrape waited for the event loop, in seconds.",
      lag,
    );
    const delay = this.#delay!;
    if (delay.count > 0) {
      const late = (nanoseconds: number) => Math.max(0, nanoseconds - DELAY_RESOLUTION_NS);
      const stats: [string, string, number][] = [
        ["min", "Shortest", late(delay.min)],
        ["max", "Longest", late(delay.max)],
        ["mean", "Mean", late(delay.mean)],
        ["stddev", "Standard deviation of the", delay.stddev],
        ["p50", "Median", late(delay.percentile(50))],
        ["p90", "90th percentile", late(delay.percentile(90))],
        ["p99", "99th percentile", late(delay.percentile(99))],
      ];
      for (const [name, what, nanoseconds] of stats) {
        out.single(
          `nodejs_eventloop_lag_${name}_seconds`,
          "gauge",
          `${what} event-loop delay since the previous scrape (sampled every ${DELAY_RESOLUTION_MS} ms), in seconds.`,
          nanoseconds / 1e9,
        );
      }
    }
    delay.reset();

    const resources = new Map<string, number>();
    for (const type of process.getActiveResourcesInfo()) resources.set(type, (resources.get(type) ?? 0) + 1);
    out.family(
      "nodejs_active_resources",
      "gauge",
      "Resources keeping the event loop alive, by type (sockets, timers, file handles...).",
    );
    for (const [type, count] of resources) out.sample("nodejs_active_resources", labelPairs({ type }), count);

    out.single("nodejs_heap_size_total_bytes", "gauge", "V8 heap size, in bytes.", memory.heapTotal);
    out.single("nodejs_heap_size_used_bytes", "gauge", "V8 heap in use, in bytes.", memory.heapUsed);
    out.single(
      "nodejs_external_memory_bytes",
      "gauge",
      "Memory of C++ objects bound to JavaScript objects, in bytes.",
      memory.external,
    );
    const spaces = getHeapSpaceStatistics().map((space) => ({
      labels: labelPairs({ space: space.space_name.replace(/_space$/, "") }),
      space,
    }));
    const spaceFamily = (name: string, help: string, value: (space: (typeof spaces)[number]["space"]) => number) => {
      out.family(name, "gauge", help);
      for (const entry of spaces) out.sample(name, entry.labels, value(entry.space));
    };
    spaceFamily("nodejs_heap_space_size_total_bytes", "Size of each V8 heap space, in bytes.", (s) => s.space_size);
    spaceFamily("nodejs_heap_space_size_used_bytes", "Bytes in use in each V8 heap space.", (s) => s.space_used_size);
    spaceFamily(
      "nodejs_heap_space_size_available_bytes",
      "Bytes still available in each V8 heap space.",
      (s) => s.space_available_size,
    );

    out.family("nodejs_version_info", "gauge", "The Node.js version running this process.");
    out.sample(
      "nodejs_version_info",
      labelPairs({ version: process.version, major: MAJOR, minor: MINOR, patch: PATCH }),
      1,
    );

    out.family("nodejs_gc_duration_seconds", "histogram", "Garbage-collection pauses by kind, in seconds.");
    for (const series of this.#gc.values())
      out.histogram("nodejs_gc_duration_seconds", series.labels, GC_BOUNDS, series.buckets, series.sum);
  }
}
