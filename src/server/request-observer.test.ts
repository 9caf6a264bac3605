// The request observer on real sockets: every way a request can end reaches the metrics and
// the `frank.request` channel exactly once, with the status the client saw.
import assert from "node:assert/strict";
import { AsyncLocalStorage } from "node:async_hooks";
import diagnosticsChannel from "node:diagnostics_channel";
import { once } from "node:events";
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { type TestContext, test } from "node:test";
import { HttpError } from "../http/http-error.js";
import { REQUEST_CHANNEL, type RequestMessage } from "../http/request-channels.js";
import { recordRoute } from "../http/route-record.js";
import type { Handler } from "../http/types.js";
import { ExpositionWriter } from "./exposition.js";
import { HttpMetrics } from "./http-metrics.js";
import { toNodeListener } from "./node-adapter.js";
import { observeRequests } from "./request-observer.js";

async function serveOn(t: TestContext, handler: Handler, metrics: HttpMetrics | undefined): Promise<string> {
  const server = createServer(toNodeListener(observeRequests(handler, metrics), { onError: () => {} }));
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  t.after(() => server.close());
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, { agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on("error", reject)
      .end();
  });
}

function counts(metrics: HttpMetrics): string[] {
  const out = new ExpositionWriter();
  metrics.write(out);
  return out
    .text()
    .split("\n")
    .filter((line) => line.startsWith("http_requests_total{") || line.startsWith("http_requests_in_flight"));
}

const routes: Handler = async (req) => {
  const path = new URL(req.url).pathname;
  if (path.startsWith("/user/")) {
    recordRoute(req, "/user/:id");
    return new Response("user");
  }
  if (path === "/throw") throw new Error("thrown");
  if (path === "/gone") throw new HttpError(410, "gone");
  if (path === "/stream") {
    recordRoute(req, "/stream");
    let sent = 0;
    return new Response(
      new ReadableStream({
        async pull(controller) {
          await new Promise((resolve) => setTimeout(resolve, 50));
          if (sent++ < 3) controller.enqueue(new TextEncoder().encode(`chunk ${sent}\n`));
          else controller.close();
        },
      }),
    );
  }
  return new Response("not found", { status: 404 });
};

test("sync and async answers, thrown errors and streams each count once, with the status sent", async (t) => {
  const metrics = new HttpMetrics();
  const sync: Handler = (req) => (new URL(req.url).pathname === "/sync" ? new Response("sync") : routes(req));
  const url = await serveOn(t, sync, metrics);
  assert.equal((await get(`${url}/sync`)).status, 200);
  assert.equal((await get(`${url}/user/1`)).status, 200);
  assert.equal((await get(`${url}/user/2`)).status, 200);
  assert.equal((await get(`${url}/throw`)).status, 500);
  assert.equal((await get(`${url}/gone`)).status, 410);
  assert.equal((await get(`${url}/stream`)).body, "chunk 1\nchunk 2\nchunk 3\n");
  assert.deepEqual(counts(metrics).sort(), [
    "http_requests_in_flight 0",
    'http_requests_total{method="GET",route="",status_code="200"} 1',
    'http_requests_total{method="GET",route="",status_code="410"} 1',
    'http_requests_total{method="GET",route="",status_code="500"} 1',
    'http_requests_total{method="GET",route="/stream",status_code="200"} 1',
    'http_requests_total{method="GET",route="/user/:id",status_code="200"} 2',
  ]);
});

test("a streamed response ends when its last chunk is written, not when the handler returns", async (t) => {
  const metrics = new HttpMetrics();
  const url = await serveOn(t, routes, metrics);
  await get(`${url}/stream`);
  const out = new ExpositionWriter();
  metrics.write(out);
  const sum = Number(/^http_request_duration_seconds_sum\{[^}]*route="\/stream"[^}]*\} (\S+)$/m.exec(out.text())?.[1]);
  assert.ok(sum >= 0.19, `four pulls 50 ms apart: ${sum} s`);
});

test("a client gone mid-stream ends the request as aborted; in flight returns to 0", async (t) => {
  const metrics = new HttpMetrics();
  const ended: RequestMessage[] = [];
  let firstEnded!: () => void;
  const oneEnded = new Promise<void>((resolve) => (firstEnded = resolve));
  const channel = diagnosticsChannel.tracingChannel<object, RequestMessage>(REQUEST_CHANNEL);
  const handlers = {
    asyncEnd: (message: RequestMessage) => {
      ended.push(message);
      firstEnded();
    },
  };
  channel.subscribe(handlers as never);
  t.after(() => channel.unsubscribe(handlers as never));
  const url = await serveOn(t, routes, metrics);
  await new Promise<void>((resolve) => {
    const req = request(`${url}/stream`, { agent: false }, (res) => res.once("data", () => req.destroy()));
    req.on("close", () => resolve());
    req.on("error", () => {});
    req.end();
  });
  await oneEnded;
  assert.equal(ended.length, 1);
  assert.equal(ended[0].aborted, true);
  assert.equal(ended[0].status, 200);
  assert.equal(ended[0].route, "/stream");
  assert.deepEqual(counts(metrics), [
    'http_requests_total{method="GET",route="/stream",status_code="200"} 1',
    "http_requests_in_flight 0",
  ]);
});

test("frank.request: the handler runs inside the stores bound to start; asyncEnd tells status and route; error a throw", async (t) => {
  const channel = diagnosticsChannel.tracingChannel<object, RequestMessage>(REQUEST_CHANNEL);
  const store = new AsyncLocalStorage<string>();
  const events: string[] = [];
  let seenInHandler: string | undefined;
  const handlers = {
    start: (m: RequestMessage) => events.push(`start ${new URL(m.request.url).pathname}`),
    end: () => events.push("end"),
    asyncStart: () => events.push("asyncStart"),
    asyncEnd: (m: RequestMessage) => events.push(`asyncEnd ${m.status} ${m.route ?? "-"} ${m.aborted}`),
    error: (m: RequestMessage) => events.push(`error ${(m.error as Error).message}`),
  };
  channel.start.bindStore(
    store as never,
    ((m: RequestMessage) => `context of ${new URL(m.request.url).pathname}`) as never,
  );
  channel.subscribe(handlers as never);
  t.after(() => {
    channel.unsubscribe(handlers as never);
    channel.start.unbindStore(store as never);
  });
  const handler: Handler = async (req) => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    seenInHandler = store.getStore();
    if (new URL(req.url).pathname === "/throw") throw new Error("thrown");
    recordRoute(req, "/ok");
    return new Response("ok");
  };
  const url = await serveOn(t, handler, undefined);
  await get(`${url}/ok`);
  assert.equal(seenInHandler, "context of /ok", "the bound store is the active one across awaits");
  await get(`${url}/throw`);
  assert.deepEqual(events, [
    "start /ok",
    "end",
    "asyncStart",
    "asyncEnd 200 /ok false",
    "start /throw",
    "end",
    "error thrown",
    "asyncStart",
    "asyncEnd 500 - false",
  ]);
});

test("a synchronous throw reaches the adapter (a 500) and the channel's error event", async (t) => {
  const channel = diagnosticsChannel.tracingChannel<object, RequestMessage>(REQUEST_CHANNEL);
  const errors: unknown[] = [];
  const handlers = { error: (m: RequestMessage) => errors.push(m.error) };
  channel.subscribe(handlers as never);
  t.after(() => channel.unsubscribe(handlers as never));
  const metrics = new HttpMetrics();
  const url = await serveOn(
    t,
    () => {
      throw new Error("at once");
    },
    metrics,
  );
  assert.equal((await get(`${url}/`)).status, 500);
  assert.equal((errors[0] as Error).message, "at once");
  assert.deepEqual(counts(metrics), [
    'http_requests_total{method="GET",route="",status_code="500"} 1',
    "http_requests_in_flight 0",
  ]);
});
