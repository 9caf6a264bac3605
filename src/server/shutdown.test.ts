import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { connect, type AddressInfo, type Socket } from "node:net";
import { once } from "node:events";
import { GracefulShutdown, type ShutdownOptions, type ShutdownPhase } from "./shutdown.js";

interface Answer {
  status: number;
  connection: string | undefined;
  body: string;
}

/**
 * A server whose handler answers at once, or holds requests to "/hold" until released;
 * "/stream" sends its headers and a first chunk at once and ends when released.
 */
async function startServer(options: Partial<ShutdownOptions> = {}) {
  const logged: string[] = [];
  const record = (line: string) => void logged.push(line);
  const shutdown = new GracefulShutdown({
    shutdownDelayMs: 0,
    drainTimeoutMs: 5_000,
    log: record,
    warn: record,
    ...options,
  });
  const held: Array<() => void> = [];
  const server: Server = createServer({ keepAliveTimeout: 60_000 }, (req: IncomingMessage, res: ServerResponse) => {
    if (req.url === "/hold") {
      held.push(() => res.end("held"));
      server.emit("held");
      return;
    }
    if (req.url === "/stream") {
      res.writeHead(200, { "content-type": "text/plain" });
      res.write("first ");
      held.push(() => res.end("last"));
      server.emit("held");
      return;
    }
    res.end(shutdown.ready ? "ready" : "not ready");
  });
  shutdown.track(server);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const port = (server.address() as AddressInfo).port;
  return { server, shutdown, port, held, logged };
}

function get(port: number, path: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (chunk) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

function phase(shutdown: GracefulShutdown, wanted: ShutdownPhase): Promise<void> {
  return new Promise((resolve) => {
    const onPhase = (current: ShutdownPhase) => {
      if (current !== wanted) return;
      shutdown.off("phase", onPhase);
      resolve();
    };
    shutdown.on("phase", onPhase);
  });
}

/** A raw keep-alive connection that has finished one request and now sits idle. */
async function idleKeepAliveConnection(port: number): Promise<Socket> {
  const socket = connect(port, "127.0.0.1");
  await once(socket, "connect");
  socket.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  const [chunk] = await once(socket, "data");
  assert.match(String(chunk), /keep-alive/i);
  return socket;
}

test("readiness turns off at once and the delay still serves, with Connection: close", async (t) => {
  const { server, shutdown, port } = await startServer({ shutdownDelayMs: 60_000 });
  t.after(() => server.closeAllConnections());
  assert.equal(shutdown.ready, true);
  const delaying = phase(shutdown, "delaying");
  void shutdown.shutdown();
  await delaying;
  assert.equal(shutdown.ready, false);
  const during = await get(port, "/");
  assert.equal(during.status, 200);
  assert.equal(during.body, "not ready");
  assert.equal(during.connection, "close");
  server.close();
});

test("after the delay the listener refuses new connections", async () => {
  const { shutdown, port } = await startServer({ shutdownDelayMs: 50 });
  const draining = phase(shutdown, "draining");
  const done = shutdown.shutdown();
  await draining;
  await assert.rejects(get(port, "/"), { code: "ECONNREFUSED" });
  assert.deepEqual(await done, { cut: [], droppedUpgrades: 0 });
  assert.equal(shutdown.phase, "stopped");
});

test("an in-flight request finishes during the drain and its response says Connection: close", async () => {
  const { server, shutdown, port, held } = await startServer();
  const arrived = once(server, "held");
  const answer = get(port, "/hold");
  await arrived;
  const draining = phase(shutdown, "draining");
  const done = shutdown.shutdown();
  await draining;
  assert.equal(shutdown.phase, "draining", "the sequence waits for the request");
  held[0]();
  const { status, body, connection } = await answer;
  assert.deepEqual({ status, body, connection }, { status: 200, body: "held", connection: "close" });
  assert.deepEqual(await done, { cut: [], droppedUpgrades: 0 });
});

test("idle keep-alive connections are closed when the drain starts", async () => {
  const { shutdown, port } = await startServer();
  const socket = await idleKeepAliveConnection(port);
  const closed = once(socket, "close");
  await shutdown.shutdown();
  await closed;
  assert.equal(socket.destroyed, true);
});

test("a connection whose keep-alive response went out before shutdown is closed once it finishes", async () => {
  const { server, shutdown, port, held } = await startServer();
  const socket = connect(port, "127.0.0.1");
  await once(socket, "connect");
  const arrived = once(server, "held");
  socket.write("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n");
  await arrived;
  const [head] = await once(socket, "data");
  assert.match(String(head), /Connection: keep-alive/i);
  const draining = phase(shutdown, "draining");
  const done = shutdown.shutdown();
  await draining;
  assert.equal(socket.destroyed, false, "the response is still running");
  held[0]();
  await once(socket, "close");
  assert.deepEqual(await done, { cut: [], droppedUpgrades: 0 });
});

test("requests still running at the drain timeout are cut off and logged", async () => {
  const { server, shutdown, port, logged } = await startServer({ drainTimeoutMs: 100 });
  const arrived = once(server, "held");
  const answer = get(port, "/hold");
  await arrived;
  const report = await shutdown.shutdown();
  assert.deepEqual(report, { cut: ["GET /hold"], droppedUpgrades: 0 });
  await assert.rejects(answer, { code: "ECONNRESET" });
  assert.ok(
    logged.some((line) => /cut off GET \/hold/.test(line)),
    logged.join("\n"),
  );
});

test("onStopped runs after the last connection is gone, once, however often shutdown is called", async () => {
  let stops = 0;
  let openConnections = -1;
  const { server, shutdown, port } = await startServer({
    onStopped: () => {
      stops++;
      server.getConnections((_, count) => (openConnections = count));
    },
  });
  await idleKeepAliveConnection(port);
  await Promise.all([shutdown.shutdown(), shutdown.shutdown()]);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(stops, 1);
  assert.equal(openConnections, 0);
});
