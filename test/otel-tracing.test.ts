// Test timeout: 60 s: a frank process started with the OpenTelemetry SDK preloaded.
// OpenTelemetry through frank's diagnostics channels, in a real frank process started by the
// CLI with `-r`: the SDK with its in-memory exporter and frank/otel as a user loads them
// (test/fixtures/apps/observability/otel.ts). One server span per request, named by the route
// pattern, continuing an incoming traceparent, parent of the handler's own spans; the access log
// and a handler's log fields carry the same ids.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { launcherUnavailableReason } from "./support/frank-in-pod.js";
import { startFrankProcess } from "./support/frank-process.js";
import { skipUnlessAvailable } from "./support/prerequisites.js";

const APP = "test/fixtures/apps/observability/app.ts";
const PRELOAD = "./test/fixtures/apps/observability/otel.ts";
const skip = skipUnlessAvailable(launcherUnavailableReason());

interface ExportedSpan {
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  attributes: Record<string, unknown>;
  status: { code: number };
  events: string[];
}

const SERVER = 1; // SpanKind.SERVER
const ERROR = 2; // SpanStatusCode.ERROR

function send(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? "GET", agent: false, headers: options.headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

test("frank -r otel.ts: one server span per request named by its route, continuing traceparent, with the handler's spans as children", {
  skip,
}, async (t) => {
  const folder = mkdtempSync(join(tmpdir(), "frank-otel-"));
  t.after(() => rmSync(folder, { recursive: true, force: true }));
  const spansFile = join(folder, "spans.json");
  const frank = await startFrankProcess(t, ["-E", "production", "--access-log", "json", "-r", PRELOAD, APP], {
    SPANS_OUT: spansFile,
  });

  const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
  const upstreamSpan = "00f067aa0ba902b7";
  const traceparent = `00-${traceId}-${upstreamSpan}-01`;
  assert.equal((await send(`${frank.url}/hello/ann`, { headers: { traceparent } })).status, 200);
  const fields = JSON.parse((await send(`${frank.url}/log-fields`, { headers: { traceparent } })).body);
  assert.equal((await send(`${frank.url}/nowhere`)).status, 404);
  assert.equal((await send(`${frank.url}/teapot`)).status, 418);
  assert.equal((await send(`${frank.url}/boom`)).status, 500);
  assert.equal((await send(`${frank.url}/slow?ms=50`)).status, 200);
  assert.equal((await send(`${frank.url}/maybe/3`)).status, 200);
  assert.equal((await send(`${frank.url}/stream`)).body, "chunk 0\nchunk 1\nchunk 2\n");
  const overridden = await send(`${frank.url}/items/2`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "_method=DELETE",
  });
  assert.equal(overridden.status, 204);
  for (const path of ["/livez", "/readyz", "/metrics"]) assert.equal((await send(frank.url + path)).status, 200);

  frank.child.kill("SIGTERM");
  assert.deepEqual(await frank.exit, { code: 0, signal: null });
  const spans = JSON.parse(readFileSync(spansFile, "utf8")) as ExportedSpan[];
  const servers = spans.filter((span) => span.kind === SERVER);
  assert.deepEqual(servers.map((span) => span.name).sort(), [
    "GET",
    "GET /boom",
    "GET /hello/:name",
    "GET /log-fields",
    "GET /maybe/*",
    "GET /slow",
    "GET /stream",
    "GET /teapot",
    "POST /items/:id",
  ]);
  const byName = (name: string) => servers.find((span) => span.name === name)!;

  const hello = byName("GET /hello/:name");
  assert.equal(hello.traceId, traceId, "the incoming trace continues");
  assert.equal(hello.parentSpanId, upstreamSpan, "the caller's span is the parent");
  assert.deepEqual(
    {
      method: hello.attributes["http.request.method"],
      route: hello.attributes["http.route"],
      status: hello.attributes["http.response.status_code"],
      path: hello.attributes["url.path"],
      scheme: hello.attributes["url.scheme"],
      port: hello.attributes["server.port"],
      address: hello.attributes["server.address"],
      peer: hello.attributes["network.peer.address"],
      version: hello.attributes["network.protocol.version"],
    },
    {
      method: "GET",
      route: "/hello/:name",
      status: 200,
      path: "/hello/ann",
      scheme: "http",
      port: frank.port,
      address: "127.0.0.1",
      peer: "127.0.0.1",
      version: "1.1",
    },
  );
  assert.equal(hello.status.code, 0, "a 2xx leaves the status unset");
  const greet = spans.find((span) => span.name === "greet")!;
  assert.ok(greet, "the handler's own span was exported");
  assert.equal(greet.traceId, traceId);
  assert.equal(greet.parentSpanId, hello.spanId, "the handler's span is a child of the request span");

  const unrouted = byName("GET");
  assert.equal(unrouted.attributes["http.route"], undefined, "no route, no http.route");
  assert.equal(unrouted.attributes["http.response.status_code"], 404);
  assert.equal(unrouted.parentSpanId, undefined, "without traceparent the request span is a root");
  assert.notEqual(unrouted.traceId, traceId);
  assert.equal(byName("GET /teapot").status.code, 0, "a 4xx is the client's, not an error of the server");
  const boom = byName("GET /boom");
  assert.equal(boom.status.code, ERROR);
  assert.equal(boom.attributes["error.type"], "500");
  assert.equal(byName("GET /slow").attributes["http.route"], "/slow");
  assert.equal(byName("GET /stream").attributes["http.response.status_code"], 200);
  const items = byName("POST /items/:id");
  assert.equal(items.attributes["http.request.method"], "POST");
  assert.equal(items.attributes["http.response.status_code"], 204);

  // The handler's log fields and the access log name the same trace and span.
  const logFields = byName("GET /log-fields");
  assert.deepEqual(
    { trace_id: fields.trace_id, span_id: fields.span_id },
    { trace_id: traceId, span_id: logFields.spanId },
  );
  assert.match(fields.request_id, /^[0-9a-f-]{36}$/);
  const lines = frank
    .output()
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  const helloLine = lines.find((line) => line.path === "/hello/ann")!;
  assert.equal(helloLine.trace_id, traceId);
  assert.equal(helloLine.span_id, hello.spanId);
  const logFieldsLine = lines.find((line) => line.path === "/log-fields")!;
  assert.equal(logFieldsLine.request_id, fields.request_id);
  const boomLines = lines.filter((line) => line.path === "/boom");
  assert.ok(boomLines.length >= 2, "the error log and the access log");
  for (const line of boomLines) assert.equal(line.span_id, boom.spanId);
});

test("without a tracer the access log still carries the trace id of an incoming traceparent", { skip }, async (t) => {
  const frank = await startFrankProcess(t, ["-E", "production", "--access-log", "json", APP]);
  const traceId = "0af7651916cd43dd8448eb211c80319c";
  await send(`${frank.url}/hello/x`, { headers: { traceparent: `00-${traceId}-b7ad6b7169203331-01` } });
  await send(`${frank.url}/hello/y`, { headers: { traceparent: `00-${"0".repeat(32)}-b7ad6b7169203331-01` } });
  frank.child.kill("SIGTERM");
  await frank.exit;
  const lines = frank
    .output()
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  const x = lines.find((line) => line.path === "/hello/x")!;
  assert.equal(x.trace_id, traceId);
  assert.equal(x.span_id, undefined, "no tracer, no span of frank's own");
  assert.equal(
    lines.find((line) => line.path === "/hello/y")!.trace_id,
    undefined,
    "an invalid traceparent is ignored",
  );
});
