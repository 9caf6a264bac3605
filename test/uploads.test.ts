// Uploads on a real server: a multipart body over maxBodySize is a 413 whether its length is
// declared or it comes chunked; a route's maxBodySize lets larger bodies through to it alone;
// files of an upload the client abandons half-way are removed.
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { once } from "node:events";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "../src/app/app.js";
import type { RunningServer } from "../src/server/serve.js";
import { serveForTest } from "./support/serve-app.js";
import { waitFor } from "./support/wait.js";

const BOUNDARY = "frank-upload-test";

async function start(t: TestContext, app: App): Promise<{ server: RunningServer; port: number }> {
  const server = await serveForTest(t, app, { maxBodySize: "64kb" });
  return { server, port: Number(new URL(server.localUrl).port) };
}

function uploadDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), "frank-uploads-test-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A multipart body with one file of `bytes` bytes. */
function multipart(bytes: number): Buffer {
  return Buffer.concat([
    Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="f.bin"\r\n\r\n`),
    Buffer.alloc(bytes, 0x61),
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]);
}

/** Sends a request with a multipart body, declared or chunked, and reads the answer until the server closes or answers whole. */
async function send(
  port: number,
  path: string,
  body: Buffer,
  chunked: boolean,
): Promise<{ status: number; text: string }> {
  const socket = connect(port, "127.0.0.1");
  await once(socket, "connect");
  let answer = "";
  socket.setEncoding("latin1").on("data", (chunk: string) => (answer += chunk));
  socket.on("error", () => {}); // a reset after the answer is fine: the answer is what counts
  const framing = chunked ? "Transfer-Encoding: chunked" : `Content-Length: ${body.length}`;
  socket.write(
    `POST ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: multipart/form-data; boundary=${BOUNDARY}\r\n${framing}\r\n\r\n`,
  );
  for (let offset = 0; offset < body.length && !socket.destroyed; offset += 16 * 1024) {
    const piece = body.subarray(offset, offset + 16 * 1024);
    socket.write(
      chunked ? Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from("\r\n")]) : piece,
    );
  }
  if (chunked && !socket.destroyed) socket.write("0\r\n\r\n");
  await once(socket, "close");
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);
  return { status, text: answer.slice(answer.indexOf("\r\n\r\n") + 4) };
}

test("a multipart body over maxBodySize is a 413, declared or chunked", async (t) => {
  const app = new App().set("environment", "test");
  app.set("uploadDir", uploadDir(t));
  app.post("/upload", async (c) => `${((await c.form()).file as File).size} bytes`);
  const { port } = await start(t, app);
  for (const chunked of [false, true]) {
    const fits = await send(port, "/upload", multipart(60 * 1024), chunked);
    assert.equal(fits.status, 200, `chunked ${chunked}: ${fits.text}`);
    const over = await send(port, "/upload", multipart(100 * 1024), chunked);
    assert.equal(over.status, 413, `chunked ${chunked}: ${over.text}`);
    assert.match(over.text, /accepts at most 65536 bytes/);
  }
});

test("a route's maxBodySize lets larger bodies through to that route only", async (t) => {
  const app = new App().set("environment", "test");
  app.set("uploadDir", uploadDir(t));
  app.post("/videos", { maxBodySize: "1mb" }, async (c) => `${((await c.form()).file as File).size} bytes`);
  app.post("/avatars", async (c) => `${((await c.form()).file as File).size} bytes`);
  const { port } = await start(t, app);
  for (const chunked of [false, true]) {
    assert.deepEqual(await send(port, "/videos", multipart(800 * 1024), chunked), {
      status: 200,
      text: chunked ? "819200 bytes" : "819200 bytes",
    });
    assert.equal((await send(port, "/avatars", multipart(800 * 1024), chunked)).status, 413);
    const over = await send(port, "/videos", multipart(1100 * 1024), chunked);
    assert.equal(over.status, 413);
    assert.match(over.text, /accepts at most 1048576 bytes/);
  }
});

test("an upload abandoned half-way leaves no file behind", async (t) => {
  const dir = uploadDir(t);
  const app = new App().set("environment", "test");
  app.set("uploadDir", dir);
  const outcomes: string[] = [];
  app.post("/upload", { maxBodySize: "10mb" }, async (c) => {
    try {
      await c.form();
      outcomes.push("parsed");
    } catch (error) {
      outcomes.push(`failed: ${(error as Error).message}`);
      throw error;
    }
    return "ok";
  });
  const { port } = await start(t, app);
  const socket = connect(port, "127.0.0.1");
  await once(socket, "connect");
  socket.on("error", () => {});
  const body = multipart(5 * 1024 * 1024);
  socket.write(
    `POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: ${body.length}\r\n\r\n`,
  );
  socket.write(body.subarray(0, 2 * 1024 * 1024));
  await waitFor(() => readdirSync(dir).length > 0 && readdirSync(join(dir, readdirSync(dir)[0])).length > 0, {
    description: "the file being written",
  });
  socket.destroy();
  await waitFor(() => outcomes.length === 1, { description: "the form to fail" });
  assert.match(outcomes[0], /failed: the client closed the connection/);
  await waitFor(() => readdirSync(dir).length === 0, { description: "the upload folder to be removed" });
});
