import assert from "node:assert/strict";
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
