// Properties of route matching over generated paths (fast-check): matching any path never
// throws anything but MalformedPathError (a 400), and a captured value decodes to the same
// string whichever of its characters a client chose to percent-encode.
// FRANK_PROPERTY_RUNS raises the number of generated cases (`npm run test:reliability` does).
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { Router } from "./router.js";
import { MalformedPathError } from "./pattern.js";

const numRuns = Number(process.env.FRANK_PROPERTY_RUNS) || 300;

/** One route of every pattern kind the router compiles, so every matcher sees each path. */
const PATTERNS: (string | RegExp)[] = [
  "/",
  "/hello/:name",
  "/files/*",
  "/:a/:b",
  "/posts/:id(.:format)?",
  "/say/*/to/*",
  "/{+rest}",
  "/caf\u00e9/menu",
  "/api/(v1|v2)/:resource",
  "/a b/c+d",
  "/optional/?",
  /\/re\/(?<year>\d+)\/(.*)/,
  /\/raw\/(.+)/,
  "/*",
];

function routerOf(strictPaths: boolean): Router<number> {
  const router = new Router<number>({ strictPaths });
  PATTERNS.forEach((pattern, index) => {
    router.add("GET", pattern, index);
  });
  return router;
}

/** The pieces hostile paths are made of: escapes valid and broken, separators, dots, non-ASCII. */
const pathPiece = fc.oneof(
  fc.constantFrom(
    "/",
    "/",
    "%",
    "%2",
    "%2F",
    "%2f",
    "%25",
    "%zz",
    "%C3",
    "%C3%A9",
    "%c0%ae",
    "%ED%A0%80",
    "%F4%90%80%80",
    "%00",
    "%",
    ".",
    "..",
    "\\",
    "?",
    "#",
    "+",
    " ",
    ";",
    "*",
  ),
  fc.constantFrom(
    "hello",
    "files",
    "posts",
    "say",
    "to",
    "re",
    "raw",
    "api",
    "v1",
    "caf\u00e9",
    "menu",
    "1.json",
    "2024",
  ),
  fc.string({ unit: "binary", maxLength: 6 }),
  fc.string({ unit: "binary-ascii", maxLength: 6 }),
);
const hostilePath = fc.array(pathPiece, { maxLength: 14 }).map((pieces) => "/" + pieces.join(""));

/** Every match, forced; returns the error thrown, if any. */
function matchAll(router: Router<number>, path: string): unknown {
  try {
    for (const found of router.match("GET", path)) void found;
    return undefined;
  } catch (error) {
    return error;
  }
}

test("matching any path throws nothing but MalformedPathError, whose status is 400", () => {
  const routers = [routerOf(true), routerOf(false)];
  fc.assert(
    fc.property(fc.oneof(hostilePath, fc.string({ unit: "binary", maxLength: 40 })), (path) => {
      for (const router of routers) {
        const error = matchAll(router, path);
        if (error === undefined) continue;
        assert.ok(error instanceof MalformedPathError, `${JSON.stringify(path)} threw ${String(error)}`);
        assert.equal(error.status, 400);
      }
    }),
    { numRuns },
  );
});

test("a path whose only capture holds a broken escape is a MalformedPathError", () => {
  const router = routerOf(true);
  const broken = fc.constantFrom("%zz", "%C3", "%c0%ae", "%ED%A0%80", "%F4%90%80%80", "%", "%2", "%E2%82");
  fc.assert(
    fc.property(fc.stringMatching(/^[a-z0-9]{0,5}$/), broken, (prefix, brokenEscape) => {
      assert.ok(matchAll(router, `/hello/${prefix}${brokenEscape}`) instanceof MalformedPathError);
    }),
    { numRuns },
  );
});

/** Characters a client must encode in a path segment; every other one it may send either way. */
const MUST_ENCODE = new Set(["/", "?", "#", "%"]);

/** Percent-encodes `value` as a client might: some characters escaped (in either hex case), some not. */
function clientEncoding(value: string, choices: boolean[], lowercase: boolean): string {
  let out = "";
  let i = 0;
  for (const char of value) {
    const encode = MUST_ENCODE.has(char) || char < " " || choices[i++ % Math.max(choices.length, 1)] === true;
    if (!encode) {
      out += char;
      continue;
    }
    const escaped = [...Buffer.from(char, "utf8")].map((byte) => "%" + byte.toString(16).padStart(2, "0")).join("");
    out += lowercase ? escaped : escaped.toUpperCase();
  }
  return out;
}

const captureValue = fc.string({ unit: "binary", minLength: 1, maxLength: 24 });
const encodingChoices = fc.array(fc.boolean(), { maxLength: 24 });

test("a named capture decodes to the same value however the client encoded it", () => {
  const router = new Router<string>();
  router.add("GET", "/hello/:name", "hello");
  fc.assert(
    fc.property(captureValue, encodingChoices, fc.boolean(), (value, choices, lowercase) => {
      const path = "/hello/" + clientEncoding(value, choices, lowercase);
      const found = router.match("GET", path).next();
      assert.equal(found.done, false, `${path} did not match`);
      assert.deepEqual(found.value?.params, { name: value });
      // The fully encoded and the chosen encoding agree.
      assert.deepEqual(router.match("GET", "/hello/" + encodeURIComponent(value)).next().value?.params, {
        name: value,
      });
    }),
    { numRuns },
  );
});

/** Line terminators: a splat must match them too (`.` alone would stop at them). */
const LINE_TERMINATOR = /[\n\r\u2028\u2029]/;
const splatValue = captureValue.filter((value) => !LINE_TERMINATOR.test(value));

test("a splat keeps real slashes and decodes encoded ones inside its segments", () => {
  const router = new Router<string>();
  router.add("GET", "/files/*", "files");
  fc.assert(
    fc.property(fc.array(splatValue, { minLength: 1, maxLength: 4 }), encodingChoices, (segments, choices) => {
      const path = "/files/" + segments.map((segment) => clientEncoding(segment, choices, false)).join("/");
      assert.deepEqual(router.match("GET", path).next().value?.params, { splat: [segments.join("/")] });
    }),
    { numRuns },
  );
});

test("a splat or {+name} matches an encoded line terminator as it matches any other character", () => {
  const router = new Router<string>();
  router.add("GET", "/files/*", "files");
  router.add("GET", "/x/{+rest}", "rest");
  for (const lineBreak of ["%0A", "%0D", "%E2%80%A8", "%E2%80%A9"]) {
    assert.equal(router.match("GET", `/files/a${lineBreak}b`).next().value?.value, "files", `/files/a${lineBreak}b`);
    assert.equal(router.match("GET", `/x/${lineBreak}`).next().value?.value, "rest", `/x/${lineBreak}`);
  }
});

test("a literal route matches every encoding of its own path, and only its path", () => {
  const router = new Router<string>();
  router.add("GET", "/caf\u00e9/men\u00fc", "menu");
  router.add("GET", "/*", "fallback");
  fc.assert(
    fc.property(encodingChoices, fc.boolean(), (choices, lowercase) => {
      const path =
        "/" +
        clientEncoding("caf\u00e9", choices, lowercase) +
        "/" +
        clientEncoding("men\u00fc", choices.slice(3), lowercase);
      assert.equal(router.match("GET", path).next().value?.value, "menu", path);
      assert.equal(router.match("GET", path.replace(/\/(?=[^/]*$)/, "%2F")).next().value?.value, "fallback");
    }),
    { numRuns },
  );
});
