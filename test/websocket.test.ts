// WebSockets on a real server (serve() on loopback) with the `ws` package as the client and raw
// TCP where a client must misbehave: echo with typed params, filters and conditions on the
// upgrade, headers on the 101, the per-message limit (1009), ping/pong dropping a silent peer,
// hooks in order, other upgrades, and the shutdown sequence closing sockets with 1001.
import { test } from "node:test";
import assert from "node:assert/strict";
import { once } from "node:events";
import { connect } from "node:net";
import WebSocket from "ws";
import { App } from "../src/app/app.js";
import { accessLog } from "../src/middleware/access-log.js";
import { serve, type RunningServer } from "../src/server/serve.js";
import { httpGet } from "./support/http.js";
import { serveForTest } from "./support/serve-app.js";
import { waitFor } from "./support/wait.js";

const start = serveForTest;

const wsUrl = (server: RunningServer, path: string) => server.localUrl.replace(/^http/, "ws").replace(/\/$/, "") + path;

/** Opens a client and collects what happens to it. */
function client(url: string, options: WebSocket.ClientOptions = {}, protocols: string[] = []) {
  const ws = new WebSocket(url, protocols, options);
  const messages: string[] = [];
  ws.on("message", (data) => messages.push(data.toString()));
  const opened = new Promise<{ headers: Record<string, unknown> }>((resolve, reject) => {
    ws.once("upgrade", (res) => resolve({ headers: res.headers }));
    ws.once("error", reject);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once("close", (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  const refused = new Promise<number>((resolve) =>
    ws.once("unexpected-response", (req, res) => {
      resolve(res.statusCode ?? 0);
      req.destroy();
    }),
  );
  ws.on("error", () => {});
  const next = (count: number) =>
    waitFor(() => messages.length >= count && messages, { description: `${count} messages`, timeoutMs: 5_000 });
  return { ws, messages, opened, closed, refused, next };
}

test("echo with typed params, the app's headers on the 101, a chosen subprotocol", async (t) => {
  const app = new App().set("environment", "test");
  app.before((c) => {
    c.cookies.set("seen", "yes");
  });
  const events: string[] = [];
  app.ws("/chat/:room", { protocols: ["chat.v2", "chat.v1"] }, (c) => ({
    open(ws) {
      events.push(`open ${c.params.room} ${ws.protocol}`);
      ws.send(`welcome to ${c.params.room}`);
    },
    message(ws, data) {
      ws.send(typeof data === "string" ? `${c.params.room}: ${data}` : data);
    },
    close(_ws, code) {
      events.push(`close ${code}`);
    },
  }));
  const server = await start(t, app);
  const chat = client(wsUrl(server, "/chat/lobby"), {}, ["chat.v1", "chat.v2"]);
  const { headers } = await chat.opened;
  assert.match(String(headers["set-cookie"]), /seen=yes/);
  assert.equal(headers["sec-websocket-protocol"], "chat.v2");
  await chat.next(1);
  chat.ws.send("hello");
  chat.ws.send(Buffer.from([1, 2, 3]));
  await chat.next(3);
  assert.deepEqual(chat.messages.slice(0, 2), ["welcome to lobby", "lobby: hello"]);
  assert.deepEqual([...Buffer.from(chat.messages[2], "utf8")], [1, 2, 3]);
  chat.ws.close(1000);
  assert.equal((await chat.closed).code, 1000);
  await waitFor(() => events.length === 2, { description: "the close hook" });
  assert.deepEqual(events, ["open lobby chat.v2", "close 1000"]);
});

test("a before filter's halt refuses the upgrade with its status; conditions and other methods pass the route by", async (t) => {
  const app = new App().set("environment", "test");
  app.before("/private/*", (c) => {
    if (c.req.headers.get("authorization") !== "Bearer ok") c.halt(401, "no entry");
  });
  app.ws("/private/feed", { message: (ws, data) => ws.send(data) });
  app.ws("/only-api", { host: "api.example" }, { message: (ws, data) => ws.send(data) });
  app.get("/page", () => "a page");
  app.ws("/page", { message: (ws, data) => ws.send(`ws ${data}`) });
  const server = await start(t, app);

  assert.equal(await client(wsUrl(server, "/private/feed")).refused, 401);
  const allowed = client(wsUrl(server, "/private/feed"), { headers: { authorization: "Bearer ok" } });
  await allowed.opened;
  allowed.ws.close();
  assert.equal(await client(wsUrl(server, "/only-api")).refused, 404, "the host condition does not hold");
  const withHost = client(wsUrl(server, "/only-api"), { headers: { host: "api.example" } });
  await withHost.opened;
  withHost.ws.close();
  // A plain GET skips the WebSocket route (the first route of the path answers it), and the upgrade skips the page.
  assert.equal((await httpGet(server.localUrl + "page")).body, "a page");
  assert.equal((await httpGet(server.localUrl + "private/feed")).status, 401);
  const page = client(wsUrl(server, "/page"));
  // The GET route comes first and is not a WebSocket route: the upgrade gets the page's answer, a 200.
  assert.equal(await page.refused, 200);
});

test("a message over the route's limit closes the socket with 1009; one at the limit passes", async (t) => {
  const app = new App().set("environment", "test");
  app.set("wsMaxMessageSize", "1kb");
  app.ws("/default", { message: (ws, data) => ws.send(`got ${data.length}`) });
  app.ws("/small", { maxMessageSize: 16 }, { message: (ws, data) => ws.send(`got ${data.length}`) });
  const server = await start(t, app);
  const small = client(wsUrl(server, "/small"));
  await small.opened;
  small.ws.send("x".repeat(16));
  await small.next(1);
  small.ws.send("x".repeat(17));
  assert.equal((await small.closed).code, 1009);
  const byDefault = client(wsUrl(server, "/default"));
  await byDefault.opened;
  byDefault.ws.send(Buffer.alloc(1025));
  assert.equal((await byDefault.closed).code, 1009);
});

test("ping/pong: a peer that answers stays; a silent one is dropped", async (t) => {
  const app = new App().set("environment", "test");
  const closes: number[] = [];
  app.ws("/live", { pingInterval: 0.5 }, { close: (_ws, code) => closes.push(code) });
  const server = await start(t, app);
  const port = Number(new URL(server.localUrl).port);

  // The ws client answers pings by itself.
  const polite = client(wsUrl(server, "/live"));
  await polite.opened;

  // A raw client completes the handshake and then never reads or answers anything.
  const silent = connect(port, "127.0.0.1");
  await once(silent, "connect");
  let handshake = "";
  silent.setEncoding("latin1").on("data", (chunk: string) => (handshake += chunk));
  silent.write(
    "GET /live HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
  );
  const silentClosed = once(silent, "close");
  await waitFor(() => handshake.includes("\r\n\r\n"), { description: "the handshake" });
  assert.match(handshake, /^HTTP\/1\.1 101 /);
  await silentClosed;
  await waitFor(() => closes.length === 1, { description: "the close hook of the dropped peer" });
  assert.deepEqual(closes, [1006], "dropped without a closing handshake");
  await new Promise((resolve) => setTimeout(resolve, 1_200));
  assert.equal(polite.ws.readyState, WebSocket.OPEN, "the peer that answers pings is still there");
  polite.ws.close();
});

test("hooks run in order: an async message hook finishes before the next message is handled", async (t) => {
  const app = new App().set("environment", "test");
  app.ws("/slow", {
    async message(ws, data) {
      await new Promise((resolve) => setTimeout(resolve, Number(data) % 7));
      ws.send(String(data));
    },
  });
  app.ws("/broken", {
    message() {
      throw new Error("a bug in a hook");
    },
  });
  const errors: unknown[] = [];
  const server = await start(t, app, { onError: (error) => errors.push(error) });
  const slow = client(wsUrl(server, "/slow"));
  await slow.opened;
  const sent = Array.from({ length: 30 }, (_, i) => String(30 - i));
  for (const message of sent) slow.ws.send(message);
  await slow.next(30);
  assert.deepEqual(slow.messages, sent);
  slow.ws.close();

  const broken = client(wsUrl(server, "/broken"));
  await broken.opened;
  broken.ws.send("x");
  assert.equal((await broken.closed).code, 1011);
});

test("other upgrades are answered as plain requests; one with a body is a 400", async (t) => {
  const app = new App().set("environment", "test");
  app.get("/", () => "plain");
  app.post("/", async (c) => c.body().then((b) => `${b.length} bytes`));
  const server = await start(t, app);
  const port = Number(new URL(server.localUrl).port);
  const raw = async (request: string) => {
    const socket = connect(port, "127.0.0.1");
    let answer = "";
    socket.setEncoding("latin1").on("data", (chunk: string) => (answer += chunk));
    socket.write(request);
    await once(socket, "close");
    return answer;
  };
  const h2c = await raw(
    "GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n",
  );
  assert.match(h2c, /^HTTP\/1\.1 200 /);
  assert.match(h2c, /plain$/);
  const withBody = await raw(
    "POST / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: h2c\r\nContent-Length: 3\r\n\r\nabc",
  );
  assert.match(withBody, /^HTTP\/1\.1 400 /);
  // A WebSocket upgrade without a valid key is refused by the handshake itself.
  app.ws("/ws", { message: () => {} });
  const badKey = await raw(
    "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n",
  );
  assert.match(badKey, /^HTTP\/1\.1 400 /);
  assert.match(badKey, /Sec-WebSocket-Key/);
});

test("shutdown: readiness goes off while sockets still work, then the drain closes them with 1001", async (t) => {
  const app = new App().set("environment", "test");
  app.ws("/echo", { message: (ws, data) => ws.send(data) });
  const steps: string[] = [];
  const server = await start(t, app, { shutdownDelay: "300ms", drainTimeout: 5, quiet: false, log: () => {} });
  const sockets = [client(wsUrl(server, "/echo")), client(wsUrl(server, "/echo"))];
  await Promise.all(sockets.map((socket) => socket.opened));
  for (const socket of sockets) socket.closed.then(({ code }) => steps.push(`closed ${code}`));
  assert.equal(server.shutdown?.openUpgrades, 2, "the shutdown sequence counts the open sockets");
  const phases: string[] = [];
  server.shutdown?.on("phase", (phase: string) => phases.push(phase));

  const closing = server.close();
  await waitFor(async () => (await httpGet(server.localUrl + "readyz")).status === 503, {
    description: "readiness off",
  });
  steps.push("not ready");
  sockets[0].ws.send("still here");
  await sockets[0].next(1);
  steps.push("echoed during the delay");
  await closing;
  await Promise.all(sockets.map((socket) => socket.closed));
  assert.deepEqual(steps, ["not ready", "echoed during the delay", "closed 1001", "closed 1001"]);
  assert.equal((await sockets[0].closed).reason, "server shutting down");
  assert.deepEqual(phases, ["delaying", "draining", "stopped"]);
  assert.equal(server.shutdown?.openUpgrades, 0);
});

test("a wrong WebSocket setting stops serve() before it listens", async () => {
  const app = new App().set("environment", "test");
  app.set("wsMaxMessageSize", "lots");
  app.ws("/x", {});
  await assert.rejects(
    serve(app, { port: 0, host: "127.0.0.1", env: "test", quiet: true, handleSignals: false }),
    (error: Error) => error.name === "ConfigError" && /wsMaxMessageSize setting is "lots"/.test(error.message),
  );
});

test("the access log writes a socket's line when it closes, status 101; a refused upgrade gets its own status", async (t) => {
  const lines: Array<Record<string, unknown>> = [];
  const app = new App().set("environment", "test");
  app.before("/closed", (c) => c.halt(403));
  app.ws("/closed", {});
  app.ws("/echo", { message: (ws, data) => ws.send(data) });
  const server = await start(t, app, {
    accessLog: "json",
    logging: (format) => ({
      accessLog: accessLog({ format, write: (line) => lines.push(JSON.parse(line)) }),
      logError: () => {},
    }),
  });
  const echo = client(wsUrl(server, "/echo"));
  await echo.opened;
  echo.ws.send("x".repeat(100));
  await echo.next(1);
  assert.equal(lines.length, 0, "no line while the socket is open");
  echo.ws.close();
  await echo.closed;
  assert.equal(await client(wsUrl(server, "/closed")).refused, 403);
  await waitFor(() => lines.length === 2, { description: "two access log lines" });
  const [socket, refused] = lines[0].path === "/echo" ? lines : [lines[1], lines[0]];
  assert.equal(socket.status, 101);
  assert.ok((socket.bytes as number) > 100, `bytes ${socket.bytes}`);
  assert.equal(refused.status, 403);
});

test("a WebSocket that does not answer the 1001 is dropped at the drain timeout, and the shutdown ends", async (t) => {
  const app = new App().set("environment", "test");
  app.ws("/mute", {});
  const warnings: string[] = [];
  const server = await start(t, app, { drainTimeout: "300ms" });
  const port = Number(new URL(server.localUrl).port);
  const mute = connect(port, "127.0.0.1");
  await once(mute, "connect");
  let answer = "";
  mute.setEncoding("latin1").on("data", (chunk: string) => (answer += chunk));
  mute.write(
    "GET /mute HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
  );
  await waitFor(() => answer.includes("\r\n\r\n"), { description: "the handshake" });
  const dropped = once(mute, "close");
  const consoleError = console.error;
  console.error = (line: string) => warnings.push(String(line));
  const started = performance.now();
  try {
    await server.close();
  } finally {
    console.error = consoleError;
  }
  await dropped;
  assert.ok(performance.now() - started < 3_000, "the drain timeout ended the wait, not ws's own 30 s close timeout");
  // The close frame (opcode 0x88) with 1001 reached the client before it was dropped.
  assert.ok(Buffer.from(answer, "latin1").includes(Buffer.from([0x88])), "a close frame was sent");
  assert.ok(
    warnings.some((line) => /dropped 1 WebSocket/.test(line)),
    warnings.join("\n"),
  );
});

test("metrics count the upgrade as a 101 request, over when the handshake is done, not when the socket closes", async (t) => {
  const app = new App().set("environment", "test");
  app.ws("/echo/:room", { message: (ws, data) => ws.send(data) });
  const server = await start(t, app, { processEnv: { FRANK_CONTAINER: "0", FRANK_METRICS_PATH: "/metrics" } });
  const sockets = [client(wsUrl(server, "/echo/a")), client(wsUrl(server, "/echo/b"))];
  await Promise.all(sockets.map((socket) => socket.opened));
  const metrics = (await httpGet(`${server.localUrl}metrics`)).body;
  assert.match(metrics, /http_requests_total\{method="GET",route="\/echo\/:room",status_code="101"\} 2/);
  // The open sockets are not requests in flight (and the scrape is answered beside the app, unobserved).
  assert.match(metrics, /http_requests_in_flight 0\b/);
  assert.match(metrics, /^# TYPE frank_websockets_open gauge$/m);
  assert.match(metrics, /^frank_websockets_open 2$/m);
  sockets[0].ws.close();
  await sockets[0].closed;
  await waitFor(async () => /^frank_websockets_open 1$/m.test((await httpGet(`${server.localUrl}metrics`)).body), {
    description: "one socket open after the other closed",
  });
  sockets[1].ws.close();
  await sockets[1].closed;
});

for (const leaving of ["half-closes", "resets the connection"] as const) {
  test(`a client that ${leaving} while the app decides on its upgrade is not left in flight, and gets its access-log line`, async (t) => {
    const lines: Array<Record<string, unknown>> = [];
    let arrived!: () => void;
    const arrival = new Promise<void>((resolve) => (arrived = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const app = new App().set("environment", "test");
    app.before(async () => {
      arrived();
      await released;
    });
    app.ws("/echo", { message: (ws, data) => ws.send(data) });
    const server = await start(t, app, {
      processEnv: { FRANK_CONTAINER: "0", FRANK_METRICS_PATH: "/metrics" },
      accessLog: "json",
      logging: (format) => ({
        accessLog: accessLog({ format, write: (line) => lines.push(JSON.parse(line)) }),
        logError: () => {},
      }),
    });
    const socket = connect(Number(new URL(server.localUrl).port), "127.0.0.1");
    socket.on("error", () => {});
    await once(socket, "connect");
    socket.write(
      "GET /echo HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
    );
    await arrival;
    if (leaving === "half-closes") socket.end();
    else socket.resetAndDestroy();
    // The server learns of the FIN or the reset from its socket (no request in between to wait on).
    await new Promise((resolve) => setTimeout(resolve, 200));
    release();
    await waitFor(() => lines.length === 1, { description: "the upgrade's access-log line" });
    assert.equal(lines[0].path, "/echo");
    assert.equal(lines[0].aborted, true);
    const metrics = (await httpGet(`${server.localUrl}metrics`)).body;
    assert.match(metrics, /http_requests_in_flight 0\b/);
    assert.match(metrics, /^frank_websockets_open 0$/m);
  });
}
