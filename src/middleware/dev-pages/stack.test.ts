import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { frameParts } from "./stack.js";

// The regex frameParts replaces: the same answers, without its quadratic worst case.
const FRAME = /^\s*at (?:(.+?) \()?(.+?):(\d+):(\d+)\)?$/;

test("frameParts reads V8's frame lines", () => {
  assert.deepEqual(frameParts("    at boom (/app/routes.ts:12:7)"), ["boom", "/app/routes.ts", "12", "7"]);
  assert.deepEqual(frameParts("    at /app/routes.ts:12:7"), [undefined, "/app/routes.ts", "12", "7"]);
  assert.deepEqual(frameParts("    at async Server.handle (file:///a%20b/x.js:1:2)"), [
    "async Server.handle",
    "file:///a%20b/x.js",
    "1",
    "2",
  ]);
  assert.deepEqual(frameParts("    at new Order (node:internal/x:3:4)"), ["new Order", "node:internal/x", "3", "4"]);
  assert.equal(frameParts("    at new Promise (<anonymous>)"), undefined);
  assert.equal(frameParts("Error: at a:1:2"), undefined);
});

test("frameParts agrees with the regex it replaces", () => {
  const piece = fc.constantFrom(" ", "(", ")", ":", "1", "23", "at ", "a", "x.js", " (", "\r", "\u00a0", "é");
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 14 }), (pieces) => {
      const line = pieces.join("");
      const expected = FRAME.exec(line);
      assert.deepEqual(frameParts(line), expected === null ? undefined : expected.slice(1), JSON.stringify(line));
    }),
    { numRuns: Number(process.env.FRANK_PROPERTY_RUNS) || 2000 },
  );
});

test("frameParts takes linear time on a hostile 1 MiB line", () => {
  for (const line of [`at ${"a (".repeat(350_000)}`, `at ${"a (1:".repeat(200_000)}x`, `at ${":1".repeat(500_000)}x`]) {
    const ms = cpuMs(() => frameParts(line));
    assert.ok(ms < 1000, `${ms.toFixed(0)} ms of CPU`);
  }
});

/** CPU time this process spends on `run`, in ms: unlike wall time, other processes on a busy machine do not count. */
function cpuMs(run: () => unknown): number {
  const before = process.cpuUsage();
  run();
  const { user, system } = process.cpuUsage(before);
  return (user + system) / 1000;
}
