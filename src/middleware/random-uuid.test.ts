import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { randomUuid } from "./random-uuid.js";

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test("version 4 UUIDs, all different, across many refills of the random pool", () => {
  const seen = new Set<string>();
  for (let i = 0; i < 20_000; i++) {
    const id = randomUuid();
    assert.match(id, V4);
    seen.add(id);
  }
  assert.equal(seen.size, 20_000);
});

test("every hex digit turns up in every random place (the bytes are random, not a pattern)", () => {
  const digits = Array.from({ length: 36 }, () => new Set<string>());
  for (let i = 0; i < 2_000; i++) {
    const id = randomUuid();
    for (let place = 0; place < id.length; place++) digits[place].add(id[place]);
  }
  for (const place of [0, 7, 9, 15, 20, 35]) assert.equal(digits[place].size, 16, `place ${place}`);
  assert.deepEqual([...digits[14]], ["4"]);
  assert.deepEqual([...digits[19]].sort(), ["8", "9", "a", "b"]);
});

test("an id kept alive does not keep its whole batch of ids alive with it", () => {
  // A long-lived request (a WebSocket, an event stream) keeps its request id for hours, while
  // thousands of other requests come and go: here one id in every 512 is kept, 5,000 in all.
  // When each id was a slice of its batch's 18 KiB string, this kept 112 MiB; now about 16 MiB.
  const script = `
    import { randomUuid } from ${JSON.stringify(new URL("./random-uuid.ts", import.meta.url).href)};
    const kept = [];
    const rss = () => { globalThis.gc(); return process.memoryUsage().rss; };
    for (let i = 0; i < 512 * 4; i++) randomUuid();
    const before = rss();
    for (let i = 0; i < 512 * 5000; i++) { const id = randomUuid(); if (i % 512 === 0) kept.push(id); }
    console.log(JSON.stringify({ grown: rss() - before, kept: kept.length }));`;
  const args = ["--expose-gc", "--import", "tsx", "--input-type=module", "-e", script];
  const { stdout } = spawnSync(process.execPath, args, { encoding: "utf8" });
  const { grown, kept } = JSON.parse(stdout) as { grown: number; kept: number };
  assert.equal(kept, 5000);
  assert.ok(grown < 48 * 1024 * 1024, `keeping 5,000 ids grew the process by ${Math.round(grown / 1048576)} MiB`);
});
