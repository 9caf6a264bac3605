import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { once } from "node:events";
import type { Handler } from "../http/types.js";
import { toNodeListener } from "./node-adapter.js";
import { DEFAULT_LIMITS, explainClientErrors, limitRequestBody, serverOptions, type ServerLimits } from "./limits.js";

/** Reads the whole body the client sent and says how many bytes it was. */
const countBody: Handler = async (req) => new Response(`got ${(await req.arrayBuffer()).byteLength} bytes`);

async function listen(t: TestContext, handler: Handler, limits: Partial<ServerLimits> = {}) {
  const all = { ...DEFAULT_LIMITS, ...limits };
  const server = createServer(serverOptions(all), toNodeListener(limitRequestBody(handler, all.maxBodyBytes)));
  explainClientErrors(server, all);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  return { server, port: (server.address() as AddressInfo).port };
}

/** Sends raw bytes and collects everything the server writes until it closes the connection. */
async function exchange(port: number, head: string, body: Buffer | string = ""): Promise<string> {
  const socket = connect(port, "127.0.0.1");
  await once(socket, "connect");
  let received = "";
  socket.setEncoding("utf8").on("data", (chunk) => (received += chunk));
  socket.on("error", () => {}); // a reset after the answer is fine; the answer is what counts
  socket.write(head);
  if (body.length) socket.write(body);
  await once(socket, "close");
  return received;
}

test("the defaults outlast a 60 s proxy idle timeout and keep Node's timeouts consistent", () => {
  const options = serverOptions(DEFAULT_LIMITS);
  assert.equal(options.keepAliveTimeout, 65_000);
  assert.ok(options.headersTimeout! > options.keepAliveTimeout!);
  assert.ok(options.requestTimeout! >= options.headersTimeout!);
  assert.equal(
    serverOptions({ ...DEFAULT_LIMITS, requestTimeoutMs: 1_000 }).requestTimeout,
    DEFAULT_LIMITS.headersTimeoutMs,
    "never below headersTimeout",
  );
});

test("a listener gets the configured timeouts", async (t) => {
  const { server } = await listen(t, countBody, {
    keepAliveTimeoutMs: 7_000,
    headersTimeoutMs: 8_000,
    requestTimeoutMs: 9_000,
  });
  assert.deepEqual([server.keepAliveTimeout, server.headersTimeout, server.requestTimeout], [7_000, 8_000, 9_000]);
});

test("request headers over the limit get 431 with a body that names the limit", async (t) => {
  const { port } = await listen(t, countBody, { maxHeaderBytes: 1024 });
  const answer = await exchange(port, `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(2048)}\r\n\r\n`);
  assert.match(answer, /^HTTP\/1\.1 431 /);
  assert.match(answer, /exceed 1024 bytes/);
});

test("a declared body over the limit gets 413 at once, and the rest is never read", async (t) => {
  let handled = false;
  const { port } = await listen(
    t,
    (req) => {
      handled = true;
      return countBody(req);
    },
    { maxBodyBytes: 1000 },
  );
  // Only the head and a few bytes of a "10 MB" body are sent: the answer must not wait for the rest.
  const answer = await exchange(port, "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n", "abc");
  assert.match(answer, /^HTTP\/1\.1 413 /);
  assert.match(answer, /Connection: close/i);
  assert.match(answer, /the request body is 10000000 bytes; this server accepts at most 1000 bytes/);
  assert.equal(handled, false, "the app never saw the request");
});

test("a chunked body over the limit gets 413 once the limit is passed", async (t) => {
  const { port } = await listen(t, countBody, { maxBodyBytes: 1000 });
  const chunk = "a".repeat(600);
  const chunked = `${(600).toString(16)}\r\n${chunk}\r\n`.repeat(2); // 1200 bytes, no end chunk: the client keeps the upload open
  const answer = await exchange(
    port,
    "POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n",
    chunked,
  );
  assert.match(answer, /^HTTP\/1\.1 413 /);
  assert.match(answer, /Connection: close/i);
  assert.match(answer, /more than 1000 bytes/);
});

test("bodies within the limit reach the app, chunked or not", async (t) => {
  const { port } = await listen(t, countBody, { maxBodyBytes: 1000 });
  const sized = await exchange(
    port,
    "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n",
    "b".repeat(1000),
  );
  assert.match(sized, /got 1000 bytes$/);
  const chunked = await exchange(
    port,
    "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
    `3e8\r\n${"c".repeat(1000)}\r\n0\r\n\r\n`,
  );
  assert.match(chunked, /got 1000 bytes$/);
});
