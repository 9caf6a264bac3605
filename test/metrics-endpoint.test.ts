// Test timeout: 120 s: frank processes, promtool and a real Prometheus server that must scrape them.
// /metrics of a real frank process over real sockets: request counts and durations labelled by
// route pattern, method and status code; in-flight requests; the shutdown phase; the process
// metrics. The exposition is judged by promtool (Prometheus' own parser and naming lint) and
// scraped by a real Prometheus server, whose queries must see the same numbers.
import assert from "node:assert/strict";
import { request } from "node:http";
import { test } from "node:test";
import { launcherUnavailableReason } from "./support/frank-in-pod.js";
import { startFrankProcess } from "./support/frank-process.js";
import { httpGet } from "./support/http.js";
import { skipUnlessAvailable } from "./support/prerequisites.js";
import {
  prometheusUnavailableReason,
  promtoolProblems,
  promtoolUnavailableReason,
  samplesOf,
  startPrometheus,
  sampleValue,
} from "./support/prometheus.js";
import { waitFor } from "./support/wait.js";

const APP = "test/fixtures/apps/observability/app.ts";
const skip = skipUnlessAvailable(launcherUnavailableReason(), promtoolUnavailableReason());
const skipPrometheus = skipUnlessAvailable(launcherUnavailableReason(), prometheusUnavailableReason());

function send(url: string, method = "GET", body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method, agent: false, headers: body ? { "content-type": "application/x-www-form-urlencoded" } : {} },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

async function scrape(url: string) {
  const answer = await httpGet(`${url}/metrics`);
  assert.equal(answer.status, 200);
  return { answer, samples: samplesOf(answer.body) };
}

test("/metrics counts each request by route pattern, method and status code, and promtool accepts every line", {
  skip,
}, async (t) => {
  const frank = await startFrankProcess(t, ["-E", "production", "-q", "--access-log", "off", APP]);
  const statuses: Record<string, number> = {};
  for (const [path, method, body] of [
    ["/hello/ann", "GET"],
    ["/hello/bob", "GET"],
    ["/hello/cy%20d", "GET"],
    ["/hello/head", "HEAD"],
    ["/posts/7", "GET"],
    ["/maybe/2", "GET"],
    ["/maybe/3", "GET"],
    ["/items/1", "DELETE"],
    ["/items/2", "POST", "_method=DELETE"],
    ["/nowhere/at/all", "GET"],
    ["/nowhere/else", "GET"],
    ["/teapot", "GET"],
    ["/boom", "GET"],
    ["/stream", "GET"],
    ["/slow?ms=300", "GET"],
    ["/livez", "GET"],
    ["/readyz", "GET"],
  ] as const) {
    statuses[`${method} ${path}`] = await send(frank.url + path, method, body);
  }
  assert.equal(statuses["GET /maybe/3"], 200);
  assert.equal(statuses["POST /items/2"], 204, "method override turned the POST into the DELETE route");

  const { answer, samples } = await scrape(frank.url);
  assert.equal(answer.headers["content-type"], "text/plain; version=0.0.4; charset=utf-8");
  const checked = promtoolProblems(answer.body);
  assert.ok(checked.ok, `promtool check metrics:\n${checked.problems}\n\n${answer.body}`);

  const count = (method: string, route: string, status: string) =>
    sampleValue(samples, "http_requests_total", { method, route, status_code: status });
  assert.equal(count("GET", "/hello/:name", "200"), 3, "three paths, one pattern");
  assert.equal(count("HEAD", "/hello/:name", "200"), 1);
  assert.equal(count("GET", String(/^\/posts\/(\d+)$/), "200"), 1, "a RegExp route is named by its source");
  assert.equal(count("GET", "/maybe/:n", "200"), 1);
  assert.equal(count("GET", "/maybe/*", "200"), 1, "after pass() the route that answered names the request");
  assert.equal(count("DELETE", "/items/:id", "204"), 1);
  assert.equal(count("POST", "/items/:id", "204"), 1, "the method is the one on the wire, the route the one that ran");
  assert.equal(count("GET", "", "404"), 2, "paths no route matched share one series: never a label per path");
  assert.equal(count("GET", "/teapot", "418"), 1);
  assert.equal(count("GET", "/boom", "500"), 1);
  assert.equal(count("GET", "/stream", "200"), 1);
  assert.equal(count("GET", "/slow", "200"), 1);
  const routes = new Set(samples.filter((s) => s.name === "http_requests_total").map((s) => s.labels.route));
  for (const route of routes) assert.ok(!/ann|bob|nowhere|\/7|\?/.test(route), `no raw path as a label: ${route}`);
  assert.ok(
    !routes.has("/livez") && !routes.has("/readyz") && !routes.has("/metrics"),
    "probes and scrapes are not counted",
  );

  // One request of at least 300 ms: every bucket below its duration holds 0, every one from it on 1
  // (le is cumulative), and the sum is its duration. Which bucket depends on the machine's load.
  const sum = sampleValue(samples, "http_request_duration_seconds_sum", { method: "GET", route: "/slow" })!;
  assert.ok(sum >= 0.3 && sum < 10, `the sum is the 300 ms request's duration: ${sum}`);
  const buckets = samples.filter(
    (s) => s.name === "http_request_duration_seconds_bucket" && s.labels.route === "/slow",
  );
  assert.deepEqual(
    buckets.map((s) => s.labels.le),
    ["0.005", "0.01", "0.025", "0.05", "0.075", "0.1", "0.25", "0.5", "0.75", "1", "2.5", "5", "7.5", "10", "+Inf"],
  );
  for (const { labels, value } of buckets)
    assert.equal(value, sum <= (labels.le === "+Inf" ? Infinity : Number(labels.le)) ? 1 : 0, `le=${labels.le}`);
  assert.equal(
    sampleValue(samples, "http_request_duration_seconds_count", { route: "/hello/:name", method: "GET" }),
    3,
  );

  assert.equal(sampleValue(samples, "http_requests_in_flight"), 0);
  assert.equal(sampleValue(samples, "frank_shutdown_phase", { phase: "serving" }), 1);
  assert.equal(sampleValue(samples, "frank_shutdown_phase", { phase: "draining" }), 0);
  assert.ok(sampleValue(samples, "process_cpu_seconds_total")! > 0);
  assert.ok(sampleValue(samples, "process_resident_memory_bytes")! > 10 * 1024 * 1024);
  const started = sampleValue(samples, "process_start_time_seconds")!;
  assert.ok(Math.abs(started - Date.now() / 1000) < 120, `start time is seconds since the epoch: ${started}`);
  assert.ok(sampleValue(samples, "nodejs_heap_size_used_bytes")! > 0);
  assert.equal(sampleValue(samples, "nodejs_version_info", { version: process.version }), 1);

  // The delay monitor starts at the first scrape; the next one reports the time between.
  await new Promise((resolve) => setTimeout(resolve, 100));
  const second = (await scrape(frank.url)).samples;
  assert.ok(sampleValue(second, "nodejs_eventloop_lag_p99_seconds")! >= 0);
  assert.ok(sampleValue(second, "nodejs_eventloop_lag_seconds")! >= 0);
  assert.equal(count("GET", "/hello/:name", "200"), 3, "scraping twice counts nothing new");
});

test("a request in flight is a 1 in http_requests_in_flight until its response is written", { skip }, async (t) => {
  const frank = await startFrankProcess(t, ["-E", "production", "-q", "--access-log", "off", APP]);
  const slow = send(`${frank.url}/slow?ms=1500`);
  await waitFor(async () => sampleValue((await scrape(frank.url)).samples, "http_requests_in_flight") === 1, {
    description: "the slow request in flight",
  });
  assert.equal(await slow, 200);
  const after = (await scrape(frank.url)).samples;
  assert.equal(sampleValue(after, "http_requests_in_flight"), 0);
  assert.equal(sampleValue(after, "http_requests_total", { route: "/slow" }), 1);
});

test("a client that goes away mid-stream still ends its request: in flight back to 0, counted once", {
  skip,
}, async (t) => {
  const frank = await startFrankProcess(t, ["-E", "production", "-q", "--access-log", "off", APP]);
  await new Promise<void>((resolve, reject) => {
    const req = request(`${frank.url}/stream`, { agent: false }, (res) => {
      res.once("data", () => {
        req.destroy();
        resolve();
      });
    });
    req.on("error", (error: NodeJS.ErrnoException) => (error.code === "ECONNRESET" ? resolve() : reject(error)));
    req.end();
  });
  const samples = await waitFor(
    async () => {
      const { samples } = await scrape(frank.url);
      return sampleValue(samples, "http_requests_total", { route: "/stream" }) === 1 ? samples : undefined;
    },
    { description: "the cut-off stream counted" },
  );
  assert.equal(sampleValue(samples, "http_requests_in_flight"), 0);
});

test("during the shutdown delay /metrics still answers and says the phase is delaying", { skip }, async (t) => {
  const frank = await startFrankProcess(t, ["-E", "production", "--access-log", "off", "--shutdown-delay", "3", APP]);
  frank.child.kill("SIGTERM");
  await frank.said(/readiness is off/);
  const { answer, samples } = await scrape(frank.url);
  assert.ok(promtoolProblems(answer.body).ok);
  assert.equal(sampleValue(samples, "frank_shutdown_phase", { phase: "delaying" }), 1);
  assert.equal(sampleValue(samples, "frank_shutdown_phase", { phase: "serving" }), 0);
  assert.equal((await httpGet(`${frank.url}/readyz`)).status, 503);
  assert.deepEqual(await frank.exit, { code: 0, signal: null });
});

test("--metrics moves the endpoint or turns it off; off gives the path back to the app", { skip }, async (t) => {
  const moved = await startFrankProcess(t, ["-E", "production", "-q", "--metrics", "/internal/metrics", APP]);
  assert.equal((await httpGet(`${moved.url}/metrics`)).status, 404, "the app's own 404");
  const answer = await httpGet(`${moved.url}/internal/metrics`);
  assert.equal(answer.status, 200);
  assert.match(answer.body, /^# HELP http_requests_total /m);

  const off = await startFrankProcess(t, ["-E", "production", "-q", APP], { FRANK_METRICS_PATH: "off" });
  const none = await httpGet(`${off.url}/metrics`);
  assert.equal(none.status, 404);
  assert.doesNotMatch(none.body, /http_requests_total/);
});

test("a real Prometheus server scrapes frank: target up, no scrape error, the same counts in its queries", {
  skip: skipPrometheus,
}, async (t) => {
  const frank = await startFrankProcess(t, ["-E", "production", "-q", "--access-log", "off", APP]);
  for (const name of ["a", "b", "c"]) assert.equal(await send(`${frank.url}/hello/${name}`), 200);
  assert.equal(await send(`${frank.url}/boom`), 500);
  const prometheus = await startPrometheus(t, `127.0.0.1:${frank.port}`);

  const target = await waitFor(
    async () => (await prometheus.targets()).find((candidate) => candidate.health === "up"),
    { description: "frank as an up target", timeoutMs: 30_000, intervalMs: 250 },
  );
  assert.equal(target.lastError, "");
  const value = async (expression: string) => {
    const result = await waitFor(
      async () => {
        const vector = await prometheus.query(expression);
        return vector.length > 0 ? vector : undefined;
      },
      { description: expression, timeoutMs: 15_000, intervalMs: 250 },
    );
    assert.equal(result.length, 1, `${expression}: ${JSON.stringify(result)}`);
    return Number(result[0].value[1]);
  };
  assert.equal(await value('http_requests_total{route="/hello/:name",method="GET",status_code="200"}'), 3);
  assert.equal(await value('sum(http_requests_total{status_code=~"5.."})'), 1);
  assert.equal(await value('frank_shutdown_phase{phase="serving"}'), 1);
  assert.equal(await value('http_request_duration_seconds_count{route="/hello/:name"}'), 3);
  assert.ok((await value("process_resident_memory_bytes")) > 0);
});

test("with -w 2 every scrape answers for both workers: requests summed, process metrics per worker", {
  skip,
}, async (t) => {
  const frank = await startFrankProcess(t, ["-E", "production", "-q", "--access-log", "off", "-w", "2", APP]);
  // /livez answers once one worker listens; the claim is about both, so wait for the second.
  const workersIn = (samples: Awaited<ReturnType<typeof scrape>>["samples"]) =>
    new Set(samples.filter((s) => s.name === "process_start_time_seconds").map((s) => s.labels.worker)).size;
  await waitFor(async () => workersIn((await scrape(frank.url)).samples) === 2 || undefined, {
    description: "both workers in a scrape",
    timeoutMs: 30_000,
    intervalMs: 100,
  });
  for (let i = 0; i < 10; i++) assert.equal(await send(`${frank.url}/hello/w${i}`), 200);
  // Whichever worker a scrape reaches, it reports all ten requests.
  for (let scrapeNumber = 0; scrapeNumber < 4; scrapeNumber++) {
    const { answer, samples } = await scrape(frank.url);
    const checked = promtoolProblems(answer.body);
    assert.ok(checked.ok, `promtool check metrics:\n${checked.problems}`);
    assert.equal(sampleValue(samples, "http_requests_total", { route: "/hello/:name" }), 10);
    const workers = samples.filter((s) => s.name === "process_start_time_seconds").map((s) => s.labels.worker);
    assert.equal(new Set(workers).size, 2, `one start time per worker: ${workers}`);
    assert.equal(samples.filter((s) => s.name === "frank_shutdown_phase" && s.labels.phase === "serving").length, 2);
  }
});
