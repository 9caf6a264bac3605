// The linear-time matcher gives exactly what V8's backtracking engine gives for the same regex
// tree: the same match or none, the same captures. Checked over generated Sinatra patterns and
// short generated paths (short, so V8's side stays fast). FRANK_PROPERTY_RUNS raises the runs.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { compileNodes } from "./compile.js";
import { LinearMatcher } from "./linear-match.js";
import { parsePattern } from "./parse.js";
import { toRegExpSource } from "./regex-tree.js";

const numRuns = Number(process.env.FRANK_PROPERTY_RUNS) || 300;

const patternPiece = fc.constantFrom(
  "/",
  "/",
  ":a",
  ":b",
  "*",
  "*",
  "(",
  ")",
  "(.:f)?",
  "(/:g)?",
  "?",
  "|",
  ".",
  "-",
  "x",
  "ab",
  " ",
  "%",
  "{+r}",
  "{c|d}",
  "\\/",
  "\\?",
);
const pattern = fc
  .array(patternPiece, { minLength: 1, maxLength: 9 })
  .map((pieces) => `/${pieces.join("")}`)
  .filter((source) => {
    try {
      parsePattern(source);
      return true;
    } catch {
      return false;
    }
  });

const pathPiece = fc.constantFrom("/", "/", "a", "ab", "x", ".", "-", "%2F", "%25", "%", "+", " ", "?", "%3F", "é");
const path = fc.array(pathPiece, { maxLength: 12 }).map((pieces) => `/${pieces.join("")}`);

test("the linear matcher and V8's engine agree on every match and capture", () => {
  fc.assert(
    fc.property(pattern, fc.array(path, { minLength: 1, maxLength: 8 }), (source, paths) => {
      const { tree } = compileNodes(parsePattern(source));
      const backtracking = new RegExp(`^${toRegExpSource(tree)}`);
      const linear = new LinearMatcher(tree);
      for (const candidate of paths) {
        const expected = backtracking.exec(candidate);
        assert.deepEqual(
          linear.exec(candidate),
          expected === null ? null : [...expected],
          `${source} against ${candidate} (${backtracking.source})`,
        );
      }
    }),
    { numRuns },
  );
});
