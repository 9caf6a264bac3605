// Matching is linear in the path for every pattern the DSL accepts: hostile 32 KiB paths (four
// times the longest request target the server accepts) against patterns that make a
// backtracking engine try every split of the path. Before the linear matcher, `/*/*/*/edit`
// took 2 s on a 4 KiB path and `/:a.:b.:c` 41 s.
import assert from "node:assert/strict";
import { test } from "node:test";
import { compilePattern, MalformedPathError } from "./pattern.js";
import { Router } from "./router.js";

const SIZE = 32 * 1024;
const fill = (unit: string, prefix = "/", suffix = "") =>
  prefix + unit.repeat(Math.ceil((SIZE - prefix.length) / unit.length)) + suffix;

/** Paths that end just short of a match, in every shape the patterns below care about. */
export const HOSTILE_PATHS: readonly string[] = [
  fill("a/"),
  fill("a/", "/", "x"),
  fill("a"),
  fill("."),
  fill(".", "/", "/"),
  fill("a."),
  fill("-"),
  fill("a-", "/", "/"),
  fill("/"),
  fill("%2F"),
  fill("%2"),
  fill("to/", "/say/"),
  fill("foo/", "/bar/"),
  fill("a/", "/", "edit/"),
  fill(" "),
  fill("v1/", "/api/"),
  fill("x", "/user_", ".jso"),
];

/** Patterns with several dynamic parts that can each end in many places. */
export const HOSTILE_PATTERNS: readonly string[] = [
  "/*/*/*/edit",
  "/*/*",
  "/*.*",
  "/*/foo/*/*",
  "/say/*/to/*",
  "/:a.:b.:c",
  "/:a-:b-:c",
  "/:foo(.:bar)?",
  "/:foo(/:bar)?",
  "/posts/:id(.:format)?",
  "/:a(foo:b)",
  "/:a(.:b(.:c)?)?",
  "/api/(v1|v2)/:resource",
  "/:a|/x/:b|/*/y",
  "/{+path}/:name",
  "/*name/*",
  "/(a|a/)*/(b|b/)*/z",
  "/:a?/:b?/:c?",
  "/colou?r/*/*?",
  // the shapes that stay on V8's engine: one dynamic part per segment, one splat, nothing after it
  "/users/:id/posts/:post",
  "/files/*",
  "/:name/*",
  "/*/edit",
  "/user_:id.json",
  "/:a/:b/:c",
];

/** A captured broken escape ("%2") is a MalformedPathError, the 400 the framework answers: fine here. */
function matchOrMalformed(match: () => unknown): void {
  try {
    match();
  } catch (error) {
    if (!(error instanceof MalformedPathError)) throw error;
  }
}

test("every hostile pattern matches every hostile 32 KiB path in linear time", () => {
  for (const source of HOSTILE_PATTERNS) {
    for (const strictPaths of [true, false]) {
      const pattern = compilePattern(source, { strictPaths });
      for (const path of HOSTILE_PATHS) {
        const ms = cpuMs(() => matchOrMalformed(() => pattern.match(path)));
        assert.ok(ms < 1000, `${source} against ${JSON.stringify(path.slice(0, 24))}…: ${ms.toFixed(0)} ms`);
      }
    }
  }
});

test("a router holding all of them answers a hostile path in linear time", () => {
  const router = new Router<string>();
  for (const source of HOSTILE_PATTERNS) router.add("GET", source, source);
  for (const path of HOSTILE_PATHS) {
    const ms = cpuMs(() =>
      matchOrMalformed(() => {
        for (const found of router.match("GET", path)) void found;
      }),
    );
    assert.ok(ms < 5000, `${JSON.stringify(path.slice(0, 24))}…: ${ms.toFixed(0)} ms`);
  }
});

test("the linear matcher still finds Mustermann's captures on long paths", () => {
  const long = "a".repeat(10_000);
  assert.deepEqual(compilePattern("/*/*/*/edit").match(`/${long}/b/c/edit`), { splat: [long, "b", "c"] });
  assert.deepEqual(compilePattern("/:foo(.:bar)?").match(`/${long}.b.json`), { foo: `${long}.b`, bar: "json" });
  assert.deepEqual(compilePattern("/:a.:b.:c").match(`/${long}.x.y`), { a: long, b: "x", c: "y" });
});

/** CPU time this process spends on `run`, in ms: unlike wall time, other processes on a busy machine do not count. */
function cpuMs(run: () => unknown): number {
  const before = process.cpuUsage();
  run();
  const { user, system } = process.cpuUsage(before);
  return (user + system) / 1000;
}
