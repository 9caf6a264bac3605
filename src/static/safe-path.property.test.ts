// Properties of static path resolution over generated input (fast-check): whatever a URL path
// holds (any string, `..` in every encoding, backslashes, overlong UTF-8, NUL), resolveUrlPath
// never throws and what it accepts stays inside the folder; joinInside never leaves its root.
// FRANK_PROPERTY_RUNS raises the number of generated cases (`npm run test:reliability` does).
import { test } from "node:test";
import assert from "node:assert/strict";
import { resolve, sep } from "node:path";
import fc from "fast-check";
import { isInside, joinInside, resolveUrlPath } from "./safe-path.js";

const numRuns = Number(process.env.FRANK_PROPERTY_RUNS) || 300;
const ROOT = resolve("/srv/frank/public");

/** `..`, `.`, separators and NUL in the spellings attackers use; plus names and arbitrary text. */
const traversalPiece = fc.oneof(
  fc.constantFrom(
    "/",
    "..",
    ".",
    "%2e",
    "%2E",
    "%2e%2e",
    ".%2e",
    "%2e.",
    "%252e%252e",
    "%25",
    "%2f",
    "%2F",
    "%252f",
    "\\",
    "%5c",
    "%5C",
    "%255c",
    "%c0%ae",
    "%c0%af",
    "%e0%80%ae",
    "%f0%80%80%ae",
    "%c1%9c",
    "%ef%bc%8e",
    "%e2%88%95",
    "%00",
    "\0",
    "%u002e",
    ";",
    "//",
    "~",
  ),
  fc.constantFrom(
    "etc",
    "passwd",
    "secret.txt",
    "public",
    "public-sibling",
    ".env",
    ".git",
    ".well-known",
    "index.html",
    "css",
  ),
  fc.string({ unit: "binary", maxLength: 8 }),
);
const hostilePath = fc.array(traversalPiece, { maxLength: 16 }).map((pieces) => "/" + pieces.join(""));
const anyPath = fc.oneof(
  hostilePath,
  fc.string({ unit: "binary", maxLength: 64 }),
  fc.string({ unit: "binary", maxLength: 64 }).map((s) => "/" + s),
);

test("resolveUrlPath never throws, and a path it accepts has no way out of the folder", () => {
  fc.assert(
    fc.property(anyPath, (raw) => {
      const resolution = resolveUrlPath(raw);
      if (resolution.kind !== "path") return;
      const { relative } = resolution;
      assert.ok(!relative.startsWith("/"), `${JSON.stringify(raw)} -> absolute ${JSON.stringify(relative)}`);
      assert.ok(
        !relative.includes("\0") && !relative.includes("\\"),
        `${JSON.stringify(raw)} -> ${JSON.stringify(relative)}`,
      );
      for (const segment of relative === "" ? [] : relative.split("/")) {
        assert.ok(
          segment !== "" && segment !== "." && segment !== "..",
          `${JSON.stringify(raw)} -> segment ${JSON.stringify(segment)}`,
        );
      }
      const joined = joinInside(ROOT, relative);
      assert.ok(joined !== undefined && isInside(ROOT, joined), `${JSON.stringify(raw)} -> ${joined}`);
    }),
    { numRuns },
  );
});

test("a `..` segment is never accepted, in any encoding the decoder understands", () => {
  const dotDot = fc.constantFrom("..", "%2e%2e", "%2E%2E", ".%2e", "%2e.", "%2E.");
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom("css", "a", "b.txt"), { maxLength: 4 }),
      dotDot,
      fc.array(fc.constantFrom("secret.txt", "etc", "x"), { maxLength: 3 }),
      (before, dots, after) => {
        const raw = "/" + [...before, dots, ...after].join("/");
        assert.notEqual(resolveUrlPath(raw).kind, "path", raw);
      },
    ),
    { numRuns },
  );
});

test("overlong UTF-8 and broken escapes are a bad request, never a path", () => {
  const broken = fc.constantFrom(
    "%c0%ae",
    "%c0%af",
    "%e0%80%ae",
    "%f0%80%80%ae",
    "%c1%9c",
    "%C0%80",
    "%ED%A0%80",
    "%zz",
    "%",
    "%2",
    "%E2%82",
  );
  fc.assert(
    // The tail holds no hex digit, so "%2" + tail never completes into a valid escape.
    fc.property(
      fc.stringMatching(/^[a-z]{0,6}$/),
      broken,
      fc.stringMatching(/^[g-z]{0,6}$/),
      (head, brokenEscape, tail) => {
        assert.equal(resolveUrlPath(`/${head}${brokenEscape}${tail}`).kind, "bad-request");
      },
    ),
    { numRuns },
  );
});

test("a NUL byte, raw or encoded, is never part of an accepted path", () => {
  fc.assert(
    fc.property(
      fc.stringMatching(/^[a-z.]{0,6}$/),
      fc.constantFrom("\0", "%00"),
      fc.stringMatching(/^[a-z./]{0,6}$/),
      (head, nul, tail) => {
        assert.notEqual(resolveUrlPath(`/${head}${nul}${tail}`).kind, "path");
      },
    ),
    { numRuns },
  );
});

test("joinInside keeps any relative string inside the root, or refuses it", () => {
  fc.assert(
    fc.property(fc.oneof(hostilePath, fc.string({ unit: "binary", maxLength: 40 })), (relative) => {
      const joined = joinInside(ROOT, relative);
      if (joined !== undefined)
        assert.ok(joined === ROOT || joined.startsWith(ROOT + sep), `${JSON.stringify(relative)} -> ${joined}`);
    }),
    { numRuns },
  );
});
