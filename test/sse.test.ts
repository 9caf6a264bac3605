// Server-sent events on a real server: the headers proxies need, each event on the wire as soon
// as it is sent, heartbeat comments on a quiet stream, Last-Event-ID on reconnect, the producer
// told when the client leaves, and a clean end of the stream when the server drains.
import { test } from "node:test";
import assert from "node:assert/strict";
import { request, type IncomingMessage } from "node:http";
import { App } from "../src/app/app.js";
import { httpGet } from "./support/http.js";
import { serveForTest } from "./support/serve-app.js";
import { waitFor } from "./support/wait.js";

const start = serveForTest;

/** Opens a stream and collects its text as it arrives. */
function open(url: string, headers: Record<string, string> = {}) {
  let text = "";
  let ended = false;
  let failed: Error | undefined;
  let response!: IncomingMessage;
  const req = request(url, { headers: { accept: "text/event-stream", ...headers }, agent: false });
  const ready = new Promise<IncomingMessage>((resolve, reject) => {
    req.on("response", (res) => {
      response = res;
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => (ended = true));
      res.on("error", (error) => (failed = error));
      resolve(res);
    });
    req.on("error", reject);
  });
  req.end();
  return {
    ready,
    get text() {
      return text;
    },
    get ended() {
      return ended;
    },
    get failed() {
      return failed;
    },
    get response() {
      return response;
    },
    until: (pattern: RegExp) =>
      waitFor(() => pattern.test(text), { description: `${pattern} in ${JSON.stringify(text)}` }),
    destroy: () => req.destroy(),
  };
}

test("each event leaves at once, with the headers that keep proxies from buffering or caching it", async (t) => {
  const app = new App().set("environment", "test");
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  app.get("/events", (c) =>
    c.sse(async (events) => {
      await events.send({ id: 1, event: "greeting", data: "hello\nworld" });
      await released;
      await events.send({ id: 2, data: { done: true } });
    }),
  );
  const server = await start(t, app);
  const stream = open(`${server.localUrl}events`);
  const res = await stream.ready;
  assert.equal(res.headers["content-type"], "text/event-stream;charset=utf-8");
  assert.equal(res.headers["cache-control"], "no-cache");
  assert.equal(res.headers["x-accel-buffering"], "no");
  await stream.until(/data: world\n\n/);
  assert.equal(
    stream.text,
    "event: greeting\nid: 1\ndata: hello\ndata: world\n\n",
    "the first event, before the second exists",
  );
  release();
  await waitFor(() => stream.ended, { description: "the end of the stream" });
  assert.equal(stream.text.slice(stream.text.indexOf("id: 2")), 'id: 2\ndata: {"done":true}\n\n');
});

test("a quiet stream gets heartbeat comments; Last-Event-ID comes back on reconnect; leaving is noticed", async (t) => {
  const app = new App().set("environment", "test");
  const left: string[] = [];
  app.get("/events", (c) =>
    c.sse(
      async (events) => {
        await events.send({ id: "resume", data: `after ${events.lastEventId ?? "nothing"}` });
        events.onClose(() => left.push(events.lastEventId ?? "first"));
      },
      { heartbeat: 0.05, retry: 1500, keepOpen: true },
    ),
  );
  const server = await start(t, app);
  const first = open(`${server.localUrl}events`);
  await first.until(/:\n:\n/);
  assert.match(first.text, /^retry: 1500\n\nid: resume\ndata: after nothing\n\n(:\n)+$/);
  first.destroy();
  const again = open(`${server.localUrl}events`, { "last-event-id": "41" });
  await again.until(/data: after 41/);
  again.destroy();
  await waitFor(() => left.length === 2, { description: "both clients noticed as gone" });
  assert.deepEqual(left.sort(), ["41", "first"]);
});

test("the drain ends a stream cleanly, after readiness went off, so the browser reconnects elsewhere", async (t) => {
  const app = new App().set("environment", "test");
  let producerSawClose = false;
  app.get("/events", (c) =>
    c.sse(async (events) => {
      for (let id = 1; !events.closed; id++) {
        await events.send({ id, data: "tick" });
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      producerSawClose = true;
    }),
  );
  const server = await start(t, app, { shutdownDelay: "200ms", drainTimeout: 5 });
  const stream = open(`${server.localUrl}events`);
  await stream.until(/id: 2\n/);
  const closing = server.close();
  await waitFor(async () => (await httpGet(`${server.localUrl}readyz`)).status === 503, {
    description: "readiness off",
  });
  assert.equal(stream.ended, false, "still streaming during the shutdown delay");
  await closing;
  await waitFor(() => stream.ended, { description: "the end of the stream" });
  assert.equal(stream.failed, undefined, "a clean end, not a reset");
  assert.ok(stream.text.endsWith("\n\n"), "the last event is whole");
  assert.equal(producerSawClose, true);
});
