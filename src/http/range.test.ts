import { test } from "node:test";
import assert from "node:assert/strict";
import { parseRange } from "./range.js";

const rows: [string | null, number, ReturnType<typeof parseRange>][] = [
  [null, 100, { kind: "none" }],
  ["bytes=0-9", 100, { kind: "single", start: 0, end: 9 }],
  ["bytes=10-", 100, { kind: "single", start: 10, end: 99 }],
  ["bytes=-10", 100, { kind: "single", start: 90, end: 99 }],
  ["bytes=-1000", 100, { kind: "single", start: 0, end: 99 }],
  ["bytes=50-5000", 100, { kind: "single", start: 50, end: 99 }],
  ["Bytes = 0-0", 100, { kind: "single", start: 0, end: 0 }],
  [
    "bytes=0-0,-1",
    100,
    {
      kind: "multiple",
      ranges: [
        { start: 0, end: 0 },
        { start: 99, end: 99 },
      ],
    },
  ],
  [
    "bytes=0-1, ,5-6",
    100,
    {
      kind: "multiple",
      ranges: [
        { start: 0, end: 1 },
        { start: 5, end: 6 },
      ],
    },
  ],
  ["bytes=200-300,0-1", 100, { kind: "single", start: 0, end: 1 }],
  ["bytes=100-", 100, { kind: "unsatisfiable" }],
  ["bytes=100-200,300-", 100, { kind: "unsatisfiable" }],
  ["bytes=-0", 100, { kind: "unsatisfiable" }],
  ["bytes=0-", 0, { kind: "unsatisfiable" }],
  ["bytes=-5", 0, { kind: "unsatisfiable" }],
  ["bytes=9-5", 100, { kind: "none" }],
  ["bytes=abc", 100, { kind: "none" }],
  ["bytes=-", 100, { kind: "none" }],
  ["bytes=1-2-3", 100, { kind: "none" }],
  ["bytes=", 100, { kind: "none" }],
  ["bytes=0x10-20", 100, { kind: "none" }],
  ["bytes=+1-2", 100, { kind: "none" }],
  ["items=0-9", 100, { kind: "none" }],
  ["0-9", 100, { kind: "none" }],
  ["bytes=" + Array(101).fill("0-1").join(","), 100, { kind: "none" }],
];

for (const [header, size, expected] of rows) {
  test(`parseRange(${JSON.stringify(header)?.slice(0, 40)}, ${size})`, () => {
    assert.deepEqual(parseRange(header, size), expected);
  });
}
