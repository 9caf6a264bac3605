import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileStream } from "./file-stream.js";

let dir: string;
let path: string;
const data = Buffer.alloc(300 * 1024);
for (let i = 0; i < data.length; i++) data[i] = (i * 7) % 251;

before(() => {
  dir = mkdtempSync(join(tmpdir(), "frank-stream-"));
  path = join(dir, "data.bin");
  writeFileSync(path, data);
});
after(() => rmSync(dir, { recursive: true, force: true }));

const openFds = () => readdirSync("/proc/self/fd").length;

test("streams the whole file and spans of it", async () => {
  assert.deepEqual(Buffer.from(await new Response(fileStream(path, 0, data.length - 1)).arrayBuffer()), data);
  assert.deepEqual(
    Buffer.from(await new Response(fileStream(path, 70000, 200000)).arrayBuffer()),
    data.subarray(70000, 200001),
  );
  assert.deepEqual(Buffer.from(await new Response(fileStream(path, 5, 5)).arrayBuffer()), data.subarray(5, 6));
});

test("a BYOB reader can reuse one buffer for the whole file", async () => {
  const reader = fileStream(path, 0, data.length - 1).getReader({ mode: "byob" });
  const parts: Buffer[] = [];
  let buffer = new Uint8Array(16 * 1024);
  for (;;) {
    const { done, value } = await reader.read(buffer);
    if (done) break;
    parts.push(Buffer.from(value));
    buffer = new Uint8Array(value.buffer);
  }
  assert.deepEqual(Buffer.concat(parts), data);
});

test("a file shorter than promised errors the stream", async () => {
  await assert.rejects(new Response(fileStream(path, 0, data.length + 10)).arrayBuffer(), /ended 11 bytes early/);
});

test("a missing file errors the stream", async () => {
  await assert.rejects(new Response(fileStream(join(dir, "nope"), 0, 10)).arrayBuffer(), /ENOENT/);
});

test("descriptors are closed at the end and on cancel, and never opened for an unread stream", {
  skip: process.platform !== "linux" && "counts /proc/self/fd",
}, async () => {
  const before = openFds();
  for (let i = 0; i < 20; i++) await new Response(fileStream(path, 0, data.length - 1)).arrayBuffer();
  for (let i = 0; i < 20; i++) {
    const reader = fileStream(path, 0, data.length - 1).getReader();
    await reader.read();
    await reader.cancel();
  }
  for (let i = 0; i < 20; i++) fileStream(path, 0, 10);
  // Closing is asynchronous and tells no one: look until the count is back, for at most 2 s.
  for (const deadline = Date.now() + 2000; openFds() > before + 1 && Date.now() < deadline; )
    await new Promise((resolve) => setTimeout(resolve, 10));
  assert.ok(openFds() <= before + 1, `${openFds() - before} descriptors left open`);
});
