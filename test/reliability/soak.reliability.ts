// A bounded soak: mixed traffic (routes, static files, ranges, conditional GETs, sessions,
// JSON bodies, errors, and clients that go away mid-response) from keep-alive clients with
// bounded concurrency at a paced rate, for a fixed time, against a frank server in its own process.
// Its resident memory and open descriptors are sampled from /proc twice a second, and every
// 5 s right after a full garbage collection (GET /memory), which is what memory is judged by.
//
// Holds when: not one request is lost (every answer has the status its request deserves, no
// connection errors), RSS after warm-up grows less than 10%, no descriptor leaks once the
// clients are gone, and the p99 latency of the last third is in line with the first third.
// FRANK_SOAK_SECONDS changes the length (default 150; the issue asks for at least 120).
import { test } from "node:test";
import assert from "node:assert/strict";
import { Agent, request } from "node:http";
import { connect } from "node:net";
import { useSharedTarget } from "./support/shared-target.js";
import { getRequest, rawExchange } from "./support/raw-client.js";
import { recordResults } from "./support/results.js";

const SOAK_MS = (Number(process.env.FRANK_SOAK_SECONDS) || 150) * 1000;
const WARM_UP_MS = Math.min(30_000, SOAK_MS / 4);
/**
 * RSS is compared as the median, over this long right after warm-up and at the end, of samples
 * taken right after a full collection: between two collections it swings by a fifth with the
 * garbage that happens to be waiting, which says nothing about a leak.
 */
const RSS_WINDOW_MS = 30_000;
const SAMPLE_EVERY_MS = 500;
const COLLECTED_SAMPLE_EVERY_MS = 5000;
const CONCURRENCY = 16;
/**
 * Requests per second the clients aim at (FRANK_SOAK_RATE changes it): under a third of what
 * this server does flat out on 2 cores. A saturated server's latency is mostly queueing, which
 * anything else running on the machine inflates; below saturation p99 shows the server itself.
 */
const TARGET_RATE = Number(process.env.FRANK_SOAK_RATE) || 2000;
const MAX_RSS_GROWTH = 0.1;

const target = useSharedTarget();

interface Exchange {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** the status this request deserves */
  status: number;
}

/** The traffic mix, each entry as often as it is listed. */
function trafficMix(cookie: string): Exchange[] {
  const json = JSON.stringify({ items: [1, 2, 3], name: "frank" });
  return [
    { path: "/health", status: 200 },
    { path: "/hello/soak", status: 200 },
    { path: "/hello/J%C3%BCrgen", status: 200 },
    { path: "/files/a/b/c.txt", status: 200 },
    { path: "/query?a[b]=1&list[]=x&list[]=y", status: 200 },
    { path: "/hello.txt", status: 200 },
    { path: "/index.html", status: 200 },
    { path: "/css/site.css", status: 200 },
    { path: "/css/site.css", headers: { "accept-encoding": "br, gzip" }, status: 200 },
    { path: "/big.bin", headers: { range: "bytes=1000-66535" }, status: 206 },
    { path: "/big.bin", headers: { range: "bytes=-4096" }, status: 206 },
    { path: "/etag", headers: { "if-none-match": '"v1"' }, status: 304 },
    { path: "/session", headers: { cookie }, status: 200 },
    { method: "POST", path: "/json", headers: { "content-type": "application/json" }, body: json, status: 200 },
    { method: "POST", path: "/echo", body: "x".repeat(10_000), status: 200 },
    { path: "/nope", status: 404 },
    { path: "/hello/%zz", status: 400 },
    { path: "/boom", status: 500 },
    { path: "/teapot", status: 418 },
    { path: "/../secret.txt", status: 404 },
  ];
}

function send(agent: Agent, port: number, exchange: Exchange): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...exchange.headers };
    if (exchange.body !== undefined) headers["content-length"] = Buffer.byteLength(exchange.body);
    const req = request(
      { host: "127.0.0.1", port, method: exchange.method ?? "GET", path: exchange.path, headers, agent },
      (res) => {
        res.on("data", () => {});
        res.on("end", () => resolve(res.statusCode ?? 0));
        res.on("error", reject);
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error(`no answer to ${exchange.path} within 10 s`)));
    req.on("error", reject);
    req.end(exchange.body);
  });
}

/** A client that asks for a large response and goes away after its first bytes. */
function abortedClient(port: number, path: string): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.on("data", () => socket.destroy());
    socket.on("error", () => {});
    socket.on("close", () => resolve());
    socket.setTimeout(10_000, () => socket.destroy());
    socket.write(getRequest(path, [], false));
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function p99(values: Float64Array): number {
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))];
}

/**
 * Latencies in preallocated typed arrays: a million small objects would make the measuring
 * process itself pause for garbage collection more and more as the run goes on, and those
 * pauses would show up as server latency.
 */
class LatencyLog {
  private readonly at: Float64Array;
  private readonly ms: Float64Array;
  length = 0;

  constructor(capacity: number) {
    this.at = new Float64Array(capacity);
    this.ms = new Float64Array(capacity);
  }

  add(at: number, ms: number): void {
    if (this.length === this.at.length) return; // full: a machine far faster than planned for
    this.at[this.length] = at;
    this.ms[this.length++] = ms;
  }

  /** the latencies of requests begun in [from, to) */
  between(from: number, to: number): Float64Array {
    const picked: number[] = [];
    for (let i = 0; i < this.length; i++) if (this.at[i] >= from && this.at[i] < to) picked.push(this.ms[i]);
    return Float64Array.from(picked);
  }
}

test(`${SOAK_MS / 1000} s of mixed traffic: nothing lost, memory flat, no descriptor leak, p99 steady`, async () => {
  const firstSession = await new Promise<string>((resolve, reject) => {
    request({ host: "127.0.0.1", port: target.server.port, path: "/session" }, (res) => {
      res.resume();
      resolve(String(res.headers["set-cookie"]?.[0] ?? "").split(";")[0]);
    })
      .on("error", reject)
      .end();
  });
  const mix = trafficMix(firstSession);
  const fdsBefore = target.server.openFds();
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

  const startedAt = performance.now();
  const endsAt = startedAt + SOAK_MS;
  const cpuAtStart = target.server.cpuMs();
  const samples: { at: number; rssKib: number; fds: number; cpuMs: number }[] = [];
  const sampler = setInterval(() => {
    if (target.server.exitCode() === null)
      samples.push({
        at: performance.now() - startedAt,
        rssKib: target.server.rssKib(),
        fds: target.server.openFds(),
        cpuMs: target.server.cpuMs(),
      });
  }, SAMPLE_EVERY_MS);
  const collected: { at: number; rssKib: number; heapUsedKib: number }[] = [];
  const collectedSampler = setInterval(() => {
    const at = performance.now() - startedAt;
    void rawExchange(target.server.port, [getRequest("/memory")], { expectResponses: 1 }).then((exchange) => {
      const answer = exchange.responses[0];
      if (answer?.status !== 200 || target.server.exitCode() !== null) return;
      const { heapUsedKib } = JSON.parse(answer.body.toString()) as { heapUsedKib: number };
      collected.push({ at, rssKib: target.server.rssKib(), heapUsedKib });
    });
  }, COLLECTED_SAMPLE_EVERY_MS);

  const latencies = new LatencyLog((SOAK_MS / 1000) * 25_000);
  const unexpected: string[] = [];
  const connectionErrors: string[] = [];
  let aborted = 0;
  let sent = 0;

  async function worker(id: number): Promise<void> {
    let turn = id;
    const interval = (CONCURRENCY * 1000) / TARGET_RATE;
    let due = startedAt + (id * interval) / CONCURRENCY;
    while (performance.now() < endsAt) {
      turn++;
      // Paced: wait for this worker's next slot; when behind, go at once but never try to catch up a backlog.
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      due = Math.max(due, performance.now() - interval) + interval;
      // One request in fifty is a client that leaves mid-response.
      if (turn % 50 === 0) {
        await abortedClient(target.server.port, turn % 100 === 0 ? "/stream" : "/big.bin");
        aborted++;
        continue;
      }
      const exchange = mix[(turn * 7 + id) % mix.length];
      const begun = performance.now();
      sent++;
      try {
        const status = await send(agent, target.server.port, exchange);
        latencies.add(begun - startedAt, performance.now() - begun);
        if (status !== exchange.status && unexpected.length < 20)
          unexpected.push(`${exchange.path}: ${status}, expected ${exchange.status}`);
      } catch (error) {
        if (connectionErrors.length < 20) connectionErrors.push(`${exchange.path}: ${(error as Error).message}`);
      }
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, id) => worker(id)));
  clearInterval(sampler);
  clearInterval(collectedSampler);
  agent.destroy();

  // Descriptors once every client is gone (the server closes its ends as the FINs arrive).
  const deadline = Date.now() + 5000;
  while (target.server.openFds() > fdsBefore + 2 && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 100));
  const fdsAfter = target.server.openFds();

  const third = SOAK_MS / 3;
  const firstThird = latencies.between(0, third);
  const lastThird = latencies.between(2 * third, Infinity);
  // The p99 of each 10 s window; a third's typical p99 is the median of its windows, so that one
  // window disturbed by another process on a shared machine does not decide the verdict.
  const windowP99 = Array.from(
    { length: Math.ceil(SOAK_MS / 10_000) },
    (_, i) => +p99(latencies.between(i * 10_000, (i + 1) * 10_000)).toFixed(1),
  );
  const windowsPerThird = Math.max(1, Math.floor(windowP99.length / 3));
  const typicalFirst = median(windowP99.slice(0, windowsPerThird));
  const typicalLast = median(windowP99.slice(-windowsPerThird));
  const afterWarmUp = collected.filter((s) => s.at >= WARM_UP_MS && s.at < WARM_UP_MS + RSS_WINDOW_MS);
  const atEnd = collected.filter((s) => s.at >= SOAK_MS - RSS_WINDOW_MS);
  const rssAfterWarmUp = median(afterWarmUp.map((s) => s.rssKib));
  const rssAtEnd = median(atEnd.map((s) => s.rssKib));
  const growth = rssAtEnd / rssAfterWarmUp - 1;
  // The server's CPU time per request: if it holds while latency rises, the machine got busier, not the server slower.
  const cpuAt = (at: number) =>
    at <= 0 ? cpuAtStart : samples.reduce((best, s) => (Math.abs(s.at - at) < Math.abs(best.at - at) ? s : best)).cpuMs;
  const cpuMsPer1000 = (from: number, to: number, requests: number) =>
    +(((cpuAt(to) - cpuAt(from)) / requests) * 1000).toFixed(1);
  const results = {
    seconds: SOAK_MS / 1000,
    concurrency: CONCURRENCY,
    targetRate: TARGET_RATE,
    requests: sent,
    requestsPerSecond: Math.round(sent / (SOAK_MS / 1000)),
    abortedClients: aborted,
    serverCpuMsPer1000Requests: {
      firstThird: cpuMsPer1000(0, third, firstThird.length),
      lastThird: cpuMsPer1000(2 * third, SOAK_MS, lastThird.length),
    },
    unexpectedStatuses: unexpected.length,
    connectionErrors: connectionErrors.length,
    p99Ms: {
      firstThird: +p99(firstThird).toFixed(2),
      lastThird: +p99(lastThird).toFixed(2),
      medianOf10sWindows: { firstThird: typicalFirst, lastThird: typicalLast },
      every10s: windowP99,
    },
    rssKibAfterCollection: { afterWarmUp: rssAfterWarmUp, atEnd: rssAtEnd, growthPercent: +(growth * 100).toFixed(1) },
    heapUsedKibAfterCollection: {
      afterWarmUp: median(afterWarmUp.map((s) => s.heapUsedKib)),
      atEnd: median(atEnd.map((s) => s.heapUsedKib)),
    },
    rssKibBetweenCollections: {
      min: Math.min(...samples.map((s) => s.rssKib)),
      max: Math.max(...samples.map((s) => s.rssKib)),
    },
    openFds: { before: fdsBefore, max: Math.max(...samples.map((s) => s.fds)), after: fdsAfter },
    unhandledRejections: target.server.unhandled().length,
    samplesEvery10s: samples
      .filter((_, i) => i % (10_000 / SAMPLE_EVERY_MS) === 0)
      .map((s) => `${Math.round(s.at / 1000)} s: ${s.rssKib} KiB, ${s.fds} fds`),
  };
  recordResults("soak", results);

  assert.equal(target.server.exitCode(), null, target.server.stderr());
  assert.deepEqual(target.server.unhandled(), []);
  assert.deepEqual(connectionErrors, [], "requests lost");
  assert.deepEqual(unexpected, [], "requests answered with the wrong status");
  assert.ok(
    growth < MAX_RSS_GROWTH,
    `RSS grew ${(growth * 100).toFixed(1)}% after warm-up (${rssAfterWarmUp} -> ${rssAtEnd} KiB)`,
  );
  assert.ok(fdsAfter <= fdsBefore + 2, `open descriptors: ${fdsBefore} before, ${fdsAfter} after`);
  assert.ok(results.openFds.max <= fdsBefore + CONCURRENCY * 3 + 20, `descriptors peaked at ${results.openFds.max}`);
  // Steady: the last third's typical p99 within twice the first's, with 5 ms of slack for a shared machine.
  assert.ok(
    typicalLast <= 2 * typicalFirst + 5,
    `typical p99 ${typicalFirst} ms in the first third -> ${typicalLast} ms in the last (windows: ${windowP99.join(", ")})`,
  );
});
