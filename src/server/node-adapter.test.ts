import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer, request as httpRequest, type IncomingMessage } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import type { Handler } from "../http/types.js";
import { bufferedResponse } from "../http/buffered-response.js";
import { HttpError } from "../http/http-error.js";
import { toNodeListener, type NodeListenerOptions } from "./node-adapter.js";

async function listen(handler: Handler, options: NodeListenerOptions = {}) {
  const server = createServer(toNodeListener(handler, options));
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    [Symbol.asyncDispose]: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Sends raw bytes and returns the raw response (for input fetch() would refuse to send). */
async function raw(port: number, text: string): Promise<string> {
  const socket = connect(port, "127.0.0.1");
  socket.end(text);
  let answer = "";
  for await (const chunk of socket) answer += chunk;
  return answer;
}

function readAll(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    res.setEncoding("utf8");
    res.on("data", (chunk) => (text += chunk));
    res.on("end", () => resolve(text));
    res.on("error", reject);
  });
}

test("a string body goes out in one piece with Content-Length; every Set-Cookie is kept", async () => {
  await using server = await listen((req) => {
    const headers = new Headers({ "content-type": "text/plain" });
    headers.append("set-cookie", "a=1");
    headers.append("set-cookie", "b=2; Path=/");
    return new Response(`${req.method} ${req.url} ${req.headers.get("x-test")}`, { status: 201, headers });
  });
  const res = await fetch(`${server.url}/path?q=1`, { headers: { "x-test": "yes" } });
  assert.equal(res.status, 201);
  const body = await res.text();
  assert.equal(body, `GET ${server.url}/path?q=1 yes`);
  assert.equal(res.headers.get("content-length"), String(body.length));
  assert.equal(res.headers.get("transfer-encoding"), null);
  assert.deepEqual(res.headers.getSetCookie(), ["a=1", "b=2; Path=/"]);
});

test("the request is a real Request: instanceof, json(), clone(), arrayBuffer()", async () => {
  await using server = await listen(async (req) => {
    assert.ok(req instanceof Request);
    const copy = req.clone();
    const json = (await req.json()) as { n: number };
    const bytes = new Uint8Array(await copy.arrayBuffer());
    return Response.json({ n: json.n, bytes: bytes.length, used: req.bodyUsed, method: req.method });
  });
  const res = await fetch(server.url, {
    method: "PUT",
    body: JSON.stringify({ n: 7 }),
    headers: { "content-type": "application/json" },
  });
  assert.deepEqual(await res.json(), { n: 7, bytes: 7, used: true, method: "PUT" });
});

test("a whole-body read comes straight from the socket, once: json(), text(), arrayBuffer()", async () => {
  await using server = await listen(async (req) => {
    const path = new URL(req.url).pathname;
    if (path === "/text") return new Response(`${(await req.text()).length} ${req.bodyUsed}`);
    if (path === "/bytes") return new Response(String((await req.arrayBuffer()).byteLength));
    const body = (await req.json()) as { items: number[] };
    const again = await req.text().then(
      () => "read twice",
      (error: Error) => error.message,
    );
    return Response.json({ sum: body.items.reduce((a, b) => a + b, 0), again, body: req.body });
  });
  const items = Array.from({ length: 20_000 }, (_, i) => i % 10); // ~40 KB: several socket chunks
  const json = await fetch(server.url, { method: "POST", body: JSON.stringify({ items }) });
  assert.deepEqual(await json.json(), {
    sum: 90_000,
    again: "Body is unusable: the request body has already been read",
    body: null,
  });
  const text = await fetch(`${server.url}/text`, { method: "POST", body: "héllo" });
  assert.equal(await text.text(), "5 true");
  const bytes = await fetch(`${server.url}/bytes`, { method: "POST", body: new Uint8Array(70_000) });
  assert.equal(await bytes.text(), "70000");
  const empty = await fetch(`${server.url}/text`, { method: "DELETE" });
  assert.equal(await empty.text(), "0 true");
});

test("bodies stream both ways: each request chunk is answered before the next is sent", async () => {
  await using server = await listen((req) => {
    const upper = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        controller.enqueue(new TextEncoder().encode(new TextDecoder().decode(chunk).toUpperCase()));
      },
    });
    return new Response(req.body!.pipeThrough(upper));
  });
  const client = httpRequest(`${server.url}/`, { method: "POST", headers: { "transfer-encoding": "chunked" } });
  client.flushHeaders();
  client.write("ping-1");
  const [res] = (await once(client, "response")) as [IncomingMessage];
  assert.equal(res.headers["transfer-encoding"], "chunked");
  const seen: string[] = [];
  res.setEncoding("utf8");
  for (const next of ["ping-2", "ping-3", null]) {
    const [chunk] = (await once(res, "data")) as [string];
    seen.push(chunk);
    if (next) client.write(next);
    else client.end();
  }
  await once(res, "end");
  assert.deepEqual(seen, ["PING-1", "PING-2", "PING-3"]);
});

test("response backpressure: a producer is not asked for more while the client does not read", async () => {
  let produced = 0;
  const chunk = new Uint8Array(64 * 1024);
  await using server = await listen(
    () =>
      new Response(
        new ReadableStream({
          pull(controller) {
            produced += chunk.length;
            controller.enqueue(chunk);
          },
        }),
      ),
  );
  const client = httpRequest(server.url);
  client.end();
  const [res] = (await once(client, "response")) as [IncomingMessage];
  res.pause();
  // The pause is the scenario: whatever the producer makes while nobody reads is what is measured.
  await sleep(400);
  const whilePaused = produced;
  assert.ok(whilePaused < 16 * 1024 * 1024, `produced ${whilePaused} bytes for a client that reads nothing`);
  res.destroy();
});

test("request backpressure: the socket is paused while the handler does not read", async () => {
  let handlerStarted!: () => void;
  const reading = new Promise<void>((resolve) => (handlerStarted = resolve));
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await using server = await listen(async (req) => {
    handlerStarted();
    await released;
    let total = 0;
    const reader = req.body!.getReader();
    for (let part = await reader.read(); !part.done; part = await reader.read()) total += part.value.byteLength;
    return new Response(String(total));
  });
  const total = 32 * 1024 * 1024;
  const client = httpRequest(server.url, { method: "POST", headers: { "content-length": String(total) } });
  client.flushHeaders();
  await reading;
  const piece = Buffer.alloc(256 * 1024);
  let written = 0;
  const writer = (async () => {
    while (written < total) {
      written += piece.length;
      if (!client.write(piece)) await once(client, "drain");
    }
    client.end();
  })();
  // The handler's delay is the scenario: what the client could send meanwhile is what is measured.
  await sleep(400);
  const beforeReading = written;
  release();
  await writer;
  const [res] = (await once(client, "response")) as [IncomingMessage];
  assert.equal(await readAll(res), String(total));
  assert.ok(beforeReading < 16 * 1024 * 1024, `the client could send ${beforeReading} bytes nobody read`);
});

test("a client that goes away aborts req.signal and cancels the response body", async () => {
  let aborted!: () => void;
  const signalAborted = new Promise<void>((resolve) => (aborted = resolve));
  let cancelled!: () => void;
  const bodyCancelled = new Promise<void>((resolve) => (cancelled = resolve));
  let waitingArrived!: () => void;
  const arrived = new Promise<void>((resolve) => (waitingArrived = resolve));
  await using server = await listen((req) => {
    req.signal.addEventListener("abort", () => aborted());
    if (new URL(req.url).pathname === "/wait") {
      waitingArrived();
      return new Promise<Response>(() => {});
    }
    let timer: NodeJS.Timeout;
    return new Response(
      new ReadableStream({
        start(controller) {
          timer = setInterval(() => controller.enqueue(new TextEncoder().encode("tick\n")), 10);
        },
        cancel() {
          clearInterval(timer);
          cancelled();
        },
      }),
    );
  });

  const waiting = httpRequest(`${server.url}/wait`);
  waiting.on("error", () => {});
  waiting.end();
  await arrived;
  waiting.destroy();
  await signalAborted;

  const streaming = httpRequest(`${server.url}/stream`);
  streaming.end();
  const [res] = (await once(streaming, "response")) as [IncomingMessage];
  await once(res, "data");
  res.on("error", () => {});
  streaming.destroy();
  await bodyCancelled;
});

test("bad input gets a 4xx and the server keeps serving", async () => {
  await using server = await listen((req) => {
    const path = new URL(req.url).pathname;
    if (path.startsWith("/decode/")) return new Response(decodeURIComponent(path));
    return new Response(`path ${path}`);
  });
  const ok = async () => assert.equal(await (await fetch(`${server.url}/fine`)).text(), "path /fine");

  const malformed = await raw(server.port, "GET /decode/%E0%A4%A HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  assert.match(malformed, /^HTTP\/1\.1 400 /);
  assert.match(malformed, /malformed percent-encoding/);
  await ok();

  const passedThrough = await raw(server.port, "GET /%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  assert.match(passedThrough, /^HTTP\/1\.1 200 [\s\S]*path \/%zz/, "a handler that does not decode sees the raw path");

  const long = await raw(server.port, `GET /${"a".repeat(9000)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
  assert.match(long, /^HTTP\/1\.1 414 /);
  await ok();

  const badHost = await raw(server.port, "GET / HTTP/1.1\r\nHost: a/b@c\r\nConnection: close\r\n\r\n");
  assert.match(badHost, /^HTTP\/1\.1 400 /);
  const twoHosts = await raw(server.port, "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n");
  assert.match(twoHosts, /^HTTP\/1\.1 400 /, "two Host headers are not one request target");
  const asterisk = await raw(server.port, "OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  assert.match(asterisk, /^HTTP\/1\.1 400 /);
  await ok();
});

test("errors: a throw is a 500 that is logged, an HttpError keeps its status, a wrong result says what it was", async () => {
  const logged: unknown[] = [];
  await using server = await listen(
    (req) => {
      const path = new URL(req.url).pathname;
      if (path === "/throw") throw new Error("kaput");
      if (path === "/reject") return Promise.reject(new Error("async kaput"));
      if (path === "/teapot") throw new HttpError(418, "short and stout");
      if (path === "/string") return "just a string" as unknown as Response;
      return new Response("fine");
    },
    { onError: (error) => logged.push(error) },
  );
  for (const path of ["/throw", "/reject", "/string"]) {
    const res = await fetch(server.url + path);
    assert.equal(res.status, 500, path);
    assert.equal(await res.text(), "Internal Server Error\n");
  }
  const teapot = await fetch(server.url + "/teapot");
  assert.equal(teapot.status, 418);
  assert.equal(await teapot.text(), "short and stout\n");
  assert.equal(logged.length, 3);
  assert.match(String(logged[2]), /returned a string \(just a string\) instead of a Response/);
  assert.equal(await (await fetch(server.url)).text(), "fine");
});

test("a header Node refuses to write is a logged 500 for a buffered answer too, and the server keeps serving", async () => {
  const logged: unknown[] = [];
  await using server = await listen(
    (req) =>
      new URL(req.url).pathname === "/bad"
        ? bufferedResponse({ status: 200, headers: { "x-bad": "line\nbreak" }, setCookies: [], body: "never sent" })
        : new Response("fine"),
    { onError: (error) => logged.push(error) },
  );
  const bad = await fetch(server.url + "/bad");
  assert.equal(bad.status, 500);
  assert.equal(await bad.text(), "Internal Server Error\n");
  assert.equal((logged[0] as NodeJS.ErrnoException).code, "ERR_INVALID_CHAR");
  assert.equal(await (await fetch(server.url)).text(), "fine");
});

test("a body that fails half-way cuts the connection instead of ending cleanly", async () => {
  const logged: unknown[] = [];
  await using server = await listen(
    () =>
      new Response(
        new ReadableStream({
          async pull(controller) {
            controller.enqueue(new TextEncoder().encode("partial"));
            await sleep(20); // the failure comes later than the first chunk, after the headers went out
            controller.error(new Error("disk gone"));
          },
        }),
      ),
    { onError: (error) => logged.push(error) },
  );
  const res = await fetch(server.url);
  await assert.rejects(res.text());
  assert.match(String(logged[0]), /disk gone/);
});

test("HEAD, 204 and 304 carry no body", async () => {
  await using server = await listen((req) => {
    const path = new URL(req.url).pathname;
    if (path === "/204") return new Response(null, { status: 204 });
    if (path === "/304") return new Response(null, { status: 304, headers: { etag: '"v1"' } });
    return new Response("a body", { headers: { "content-length": "6" } });
  });
  const head = await raw(server.port, "HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  assert.match(head, /content-length: 6/i);
  assert.ok(head.endsWith("\r\n\r\n"), "no body after the headers");
  assert.equal((await fetch(server.url + "/204")).status, 204);
  const notModified = await raw(server.port, "GET /304 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  assert.ok(notModified.endsWith("\r\n\r\n"));
});

test("bodies of every shape arrive intact: string, bytes, one-chunk stream, many-chunk stream, used clone", async () => {
  const encoder = new TextEncoder();
  await using server = await listen(async (req) => {
    const path = new URL(req.url).pathname;
    if (path === "/bytes") return new Response(encoder.encode("bytes body"));
    if (path === "/one-chunk")
      return new Response(
        new ReadableStream({
          start: (c) => {
            c.enqueue(encoder.encode("one chunk"));
            c.close();
          },
        }),
      );
    if (path === "/chunks") {
      return new Response(
        new ReadableStream({
          async start(c) {
            for (const part of ["a", "b", "c"]) {
              c.enqueue(encoder.encode(part));
              await sleep(5); // chunks in separate turns: a real stream, not a one-chunk body
            }
            c.close();
          },
        }),
      );
    }
    if (path === "/clone") {
      const original = new Response("cloned body");
      await original.clone().text();
      return original;
    }
    return new Response("string body");
  });
  const expectations: [string, string, "length" | "chunked"][] = [
    ["/", "string body", "length"],
    ["/bytes", "bytes body", "length"],
    ["/one-chunk", "one chunk", "length"],
    ["/chunks", "abc", "chunked"],
    ["/clone", "cloned body", "length"],
  ];
  for (const [path, body, framing] of expectations) {
    const res = await fetch(server.url + path);
    assert.equal(await res.text(), body, path);
    if (framing === "length") assert.equal(res.headers.get("content-length"), String(body.length), path);
    else assert.equal(res.headers.get("transfer-encoding"), "chunked", path);
  }
});
