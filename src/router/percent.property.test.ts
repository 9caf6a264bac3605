// canonicalPath against a reference written the obvious way (a regex over runs of escapes and
// decodeURIComponent): the same canonical path for any mix of escapes, broken ones included.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { canonicalPath } from "./percent.js";

const ESCAPES: Record<string, string> = { "/": "%2F", "%": "%25", "?": "%3F", "#": "%23" };

function reference(path: string): string {
  return path.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run).replace(/[/%?#]/g, (char) => ESCAPES[char]);
    } catch {
      return run.replace(/%([0-9A-Fa-f]{2})/g, (encoded, hex: string) => {
        const code = parseInt(hex, 16);
        if (code >= 0x80) return encoded;
        const char = String.fromCharCode(code);
        return ESCAPES[char] ?? char;
      });
    }
  });
}

test("canonicalPath decodes exactly what decodeURIComponent would, run by run", () => {
  const encodedByte = fc.integer({ min: 0, max: 255 }).map((byte) => `%${byte.toString(16).padStart(2, "0")}`);
  const piece = fc.oneof(
    encodedByte,
    encodedByte.map((e) => e.toUpperCase()),
    fc.constantFrom("a", "/", "%", "%z", "%4", "é", "+"),
  );
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 16 }), (pieces) => {
      const path = `/${pieces.join("")}`;
      assert.equal(canonicalPath(path), reference(path), path);
    }),
    { numRuns: Number(process.env.FRANK_PROPERTY_RUNS) || 2000 },
  );
});
