/**
 * `npm run bench:observability`: what frank's metrics and tracing add to one request, measured
 * in-process where wrk on a shared machine cannot resolve it, next to prom-client doing the
 * same counting (the library frank chose not to depend on).
 *
 * One iteration is what the server does around one request of a route: the App records the
 * route pattern, the observer marks the request, the handler answers, the Node adapter reports
 * the request over. "off" is frank with --metrics off (the observer only checks the channel).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { bench, do_not_optimize, group, run, summary } from "mitata";
import { Counter, Histogram, Registry } from "prom-client";
import { BatchSpanProcessor, type SpanExporter } from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { recordRoute, routeOf } from "../src/http/route-record.js";
import type { Handler } from "../src/http/types.js";
import { exchangeEnded } from "../src/server/exchange-end.js";
import { createRequest } from "../src/server/node-request.js";
import { DURATION_BUCKETS, HttpMetrics } from "../src/server/http-metrics.js";
import { observeRequests } from "../src/server/request-observer.js";
import { instrumentFrank } from "../src/otel/index.js";

const ROUTE = "/user/:id";
const response = new Response("User 4242");
const handler: Handler = (req) => {
  recordRoute(req, ROUTE);
  return response;
};
// A request as frank's Node adapter makes it (a lazy Request over Node's message), reused.
const incoming = {
  method: "GET",
  url: "/user/4242",
  httpVersion: "1.1",
  rawHeaders: ["Host", "localhost", "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"],
  socket: { remoteAddress: "127.0.0.1", remotePort: 50000 },
} as unknown as IncomingMessage;
const request = createRequest(incoming, "http://localhost/user/4242", {} as ServerResponse);

function oneRequest(served: Handler): void {
  do_not_optimize(served(request));
  exchangeEnded(request, 200, false);
}

const off = observeRequests(handler, undefined);
const withMetrics = observeRequests(handler, new HttpMetrics());

// prom-client counting the same things the same way (a child per label set, looked up per request).
const registry = new Registry();
const labelNames = ["method", "route", "status_code"];
const requests = new Counter({ name: "http_requests_total", help: "x", labelNames, registers: [registry] });
const durations = new Histogram({
  name: "http_request_duration_seconds",
  help: "x",
  labelNames,
  buckets: [...DURATION_BUCKETS],
  registers: [registry],
});
const promClient: Handler = (req) => {
  const started = performance.now();
  const answer = handler(req) as Response;
  const labels = { method: req.method, route: routeOf(req) ?? "", status_code: String(answer.status) };
  requests.inc(labels);
  durations.observe(labels, (performance.now() - started) / 1000);
  return answer;
};

// A span ends a microtask after its request (the channel's asyncEnd), so the tracing rows wait
// for a turn of the event loop per request; the row without tracing waits the same way.
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

summary(() => {
  group("per request: route record, observer, end", () => {
    bench("metrics off", () => oneRequest(off));
    bench("frank metrics (default)", () => oneRequest(withMetrics));
    bench("prom-client counter + histogram", () => oneRequest(promClient));
  });
});
group("per request and a turn of the event loop, without tracing", () => {
  bench("metrics off", async () => {
    oneRequest(off);
    await turn();
  });
});
await run();

// Tracing last: once frank/otel subscribes, every observer publishes on the channel.
const dropping: SpanExporter = { export: (_spans, done) => done({ code: 0 }), shutdown: async () => {} };
new NodeTracerProvider({ spanProcessors: [new BatchSpanProcessor(dropping)] }).register();
instrumentFrank();
group("per request and a turn of the event loop, with frank/otel and the OpenTelemetry SDK (spans dropped)", () => {
  bench("tracing, metrics off", async () => {
    oneRequest(off);
    await turn();
  });
  bench("tracing and metrics", async () => {
    oneRequest(withMetrics);
    await turn();
  });
});
await run();
