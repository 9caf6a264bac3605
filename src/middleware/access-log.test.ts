import { test } from "node:test";
import assert from "node:assert/strict";
import type { Handler } from "../http/types.js";
import fc from "fast-check";
import { accessLog, errorLog, formatDevLine, formatJsonLine, isoTime, type AccessEntry } from "./access-log.js";
import { bufferedResponse } from "../http/buffered-response.js";
import { REPORTS_RESPONSE_SENT, responseSent } from "../http/response-sent.js";

function logged(handler: Handler, options: Parameters<typeof accessLog>[0] = {}) {
  const lines: string[] = [];
  const wrapped = accessLog({ write: (line) => lines.push(line), ...options })(handler);
  return { wrapped, lines };
}

const hello: Handler = () => new Response("Hello, frank", { headers: { "set-cookie": "a=1" } });

test("json: one object per request with every field, once the body has been read", async () => {
  const { wrapped, lines } = logged(hello, { format: "json", remoteAddress: () => "198.18.0.2" });
  const res = await wrapped(
    new Request("http://pod/hello?token=secret", {
      headers: { "user-agent": "kube-probe/1.30", "x-request-id": "req-42" },
    }),
  );
  assert.equal(lines.length, 0, "nothing is logged before the body went out");
  assert.equal(await res.text(), "Hello, frank");
  assert.equal(lines.length, 1);
  const entry = JSON.parse(lines[0]);
  assert.match(entry.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.equal(typeof entry.duration_ms, "number");
  delete entry.time;
  delete entry.duration_ms;
  assert.deepEqual(entry, {
    level: "info",
    method: "GET",
    path: "/hello",
    status: 200,
    bytes: 12,
    remote_addr: "198.18.0.2",
    user_agent: "kube-probe/1.30",
    request_id: "req-42",
  });
  assert.equal(res.headers.get("x-request-id"), "req-42", "the id is echoed");
  assert.equal(res.headers.get("set-cookie"), "a=1", "the response keeps its headers");
});

test("a request without an id gets a new one, logged and echoed alike", async () => {
  const { wrapped, lines } = logged(hello, { format: "json" });
  const res = await wrapped(new Request("http://pod/"));
  await res.arrayBuffer();
  const id = res.headers.get("x-request-id");
  assert.match(id ?? "", /^[0-9a-f-]{36}$/);
  assert.equal(JSON.parse(lines[0]).request_id, id);
});

test("streamed bodies are counted chunk by chunk; server errors are level error", async () => {
  const chunks = ["one ", "two ", "three"];
  const streaming: Handler = () =>
    new Response(
      new ReadableStream({
        pull(controller) {
          const next = chunks.shift();
          if (next === undefined) controller.close();
          else controller.enqueue(new TextEncoder().encode(next));
        },
      }),
      { status: 503 },
    );
  const { wrapped, lines } = logged(streaming, { format: "json" });
  assert.equal(await (await wrapped(new Request("http://pod/stream"))).text(), "one two three");
  const entry = JSON.parse(lines[0]);
  assert.equal(entry.bytes, 13);
  assert.equal(entry.level, "error");
});

test("a client that goes away is logged with the bytes it got, marked aborted", async () => {
  const endless: Handler = () => new Response(new ReadableStream({ pull: (c) => c.enqueue(new Uint8Array(10)) }));
  const { wrapped, lines } = logged(endless, { format: "json" });
  const reader = (await wrapped(new Request("http://pod/endless"))).body!.getReader();
  await reader.read();
  await reader.cancel();
  const entry = JSON.parse(lines[0]);
  assert.equal(entry.aborted, true);
  assert.equal(entry.bytes, 10);
});

test("dev: one readable line, coloured only when asked", async () => {
  const { wrapped, lines } = logged(hello, { format: "dev", color: false });
  await (await wrapped(new Request("http://pod/hello?x=1"))).text();
  assert.match(
    lines[0],
    /^GET \/hello 200 \d+\.\d{1,2} m?s 12 B$/,
    "the duration in ms or s, whatever the machine took",
  );

  const entry: AccessEntry = { method: "POST", path: "/x", status: 404, durationMs: 1500, bytes: 2048, aborted: false };
  assert.equal(formatDevLine(entry, false), "POST /x 404 1.50 s 2.0 KiB");
  assert.equal(formatDevLine(entry, true), "POST /x \x1b[33m404\x1b[0m \x1b[2m1.50 s 2.0 KiB\x1b[0m");
});

test("HEAD and empty bodies are logged at once with 0 bytes", async () => {
  const { wrapped, lines } = logged(() => new Response(null, { status: 204 }), { format: "dev", color: false });
  await wrapped(new Request("http://pod/empty", { method: "DELETE" }));
  assert.match(lines[0], /^DELETE \/empty 204 .* 0 B$/);
});

test("errors are logged with their stack: JSON in production, readable in development", () => {
  const lines: string[] = [];
  const error = new Error("database is down");
  const req = new Request("http://pod/orders?id=1");
  errorLog({ format: "json", write: (line) => lines.push(line) })(error, req);
  const entry = JSON.parse(lines[0]);
  assert.equal(entry.level, "error");
  assert.equal(entry.method, "GET");
  assert.equal(entry.path, "/orders");
  assert.equal(entry.message, "database is down");
  assert.match(entry.stack, /Error: database is down\n\s+at /);

  errorLog({ format: "dev", color: false, write: (line) => lines.push(line) })(error, req);
  assert.match(lines[1], /^error in GET \/orders: Error: database is down\n\s+at /);
});

test("under a server that reports sent responses, the line waits for that report and takes its byte count", async () => {
  const { wrapped, lines } = logged(hello, { format: "json" });
  const req = new Request("http://pod/reported");
  Object.defineProperty(req, REPORTS_RESPONSE_SENT, { value: true });
  const res = await wrapped(req);
  assert.equal(lines.length, 0);
  responseSent(res, 12, false);
  assert.equal(JSON.parse(lines[0]).bytes, 12);
  responseSent(res, 12, false);
  assert.equal(lines.length, 1, "one line per response");
});

test("a handler that throws is logged with the status the server will answer, and the error goes on", async () => {
  const { wrapped, lines } = logged(
    () => {
      throw new Error("broken");
    },
    { format: "json" },
  );
  await assert.rejects(async () => wrapped(new Request("http://pod/broken")), /broken/);
  assert.equal(JSON.parse(lines[0]).status, 500);
});

test("a JSON line is exactly what JSON.stringify writes for the same fields", () => {
  const text = fc.string({ unit: "binary", maxLength: 40 });
  fc.assert(
    fc.property(
      fc.record(
        {
          method: text,
          path: text,
          status: fc.integer({ min: 100, max: 599 }),
          durationMs: fc.double({ min: 0, max: 1e7, noNaN: true }),
          bytes: fc.nat(),
          aborted: fc.boolean(),
          remoteAddress: text,
          userAgent: text,
          requestId: text,
        },
        { requiredKeys: ["method", "path", "status", "durationMs", "bytes", "aborted"] },
      ),
      fc.integer({ min: 0, max: 253402300799999 }),
      (entry: AccessEntry, time) => {
        const expected = JSON.stringify({
          time: new Date(time).toISOString(),
          level: entry.status >= 500 ? "error" : "info",
          method: entry.method,
          path: entry.path,
          status: entry.status,
          duration_ms: Math.round(entry.durationMs * 1000) / 1000,
          bytes: entry.bytes,
          remote_addr: entry.remoteAddress,
          user_agent: entry.userAgent,
          request_id: entry.requestId,
          aborted: entry.aborted || undefined,
        });
        assert.equal(formatJsonLine(entry, time), expected);
      },
    ),
    { numRuns: 300 },
  );
});

test("isoTime writes what toISOString writes, across seconds and in any order", () => {
  for (const time of [0, 999, 1000, 1_764_000_000_001, 1_764_000_000_999, 1_764_000_001_000, 1_764_000_000_010, 999])
    assert.equal(isoTime(time), new Date(time).toISOString());
});

test("a synchronous app is logged synchronously, and the request id lands in a buffered response's own headers", () => {
  const buffered = () =>
    bufferedResponse({ status: 200, headers: { "content-type": "text/plain" }, setCookies: [], body: "hi" });
  const { wrapped, lines } = logged(buffered, { format: "json" });
  const req = new Request("http://pod/sync", { headers: { "x-request-id": "abc" } });
  Object.defineProperty(req, REPORTS_RESPONSE_SENT, { value: true });
  const res = wrapped(req);
  assert.ok(res instanceof Response, "no promise when the app answers at once");
  responseSent(res, 2, false);
  assert.equal(JSON.parse(lines[0]).request_id, "abc");
  assert.equal(res.headers.get("x-request-id"), "abc");
  assert.equal(res.headers.get("content-type"), "text/plain");
});

test("a synchronous throw is logged and thrown on", () => {
  const { wrapped, lines } = logged(
    () => {
      throw new Error("at once");
    },
    { format: "json" },
  );
  assert.throws(() => wrapped(new Request("http://pod/now")), /at once/);
  assert.equal(JSON.parse(lines[0]).status, 500);
});
