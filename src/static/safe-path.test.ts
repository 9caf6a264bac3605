import { test } from "node:test";
import assert from "node:assert/strict";
import { isInside, joinInside, resolveUrlPath } from "./safe-path.js";

test("plain paths resolve to relative paths", () => {
  assert.deepEqual(resolveUrlPath("/index.html"), { kind: "path", relative: "index.html", directory: false });
  assert.deepEqual(resolveUrlPath("/css/app.css"), { kind: "path", relative: "css/app.css", directory: false });
  assert.deepEqual(resolveUrlPath("/docs/"), { kind: "path", relative: "docs", directory: true });
  assert.deepEqual(resolveUrlPath("/"), { kind: "path", relative: "", directory: true });
  assert.deepEqual(resolveUrlPath("/caf%C3%A9%20menu.txt"), {
    kind: "path",
    relative: "café menu.txt",
    directory: false,
  });
  assert.deepEqual(resolveUrlPath("/.well-known/security.txt"), {
    kind: "path",
    relative: ".well-known/security.txt",
    directory: false,
  });
});

test("each segment is decoded exactly once", () => {
  assert.deepEqual(resolveUrlPath("/%252e%252e/x"), { kind: "path", relative: "%2e%2e/x", directory: false });
});

const refused: [string, "bad-request" | "not-static"][] = [
  ["/../secret", "not-static"],
  ["/a/../../secret", "not-static"],
  ["/%2e%2e/secret", "not-static"],
  ["/%2E%2E/secret", "not-static"],
  ["/.%2e/secret", "not-static"],
  ["/..%2fsecret", "not-static"],
  ["/a%2F..%2F..%2Fsecret", "not-static"],
  ["/..%5csecret", "not-static"],
  ["/..\\secret", "not-static"],
  ["/./index.html", "not-static"],
  ["//etc/passwd", "not-static"],
  ["/a//b", "not-static"],
  ["/.env", "not-static"],
  ["/css/.hidden", "not-static"],
  ["/.well-known/.secret", "not-static"],
  ["/x/.well-known/a", "not-static"],
  ["/%c0%ae%c0%ae/secret", "bad-request"],
  ["/%e0%80%ae/secret", "bad-request"],
  ["/%zz", "bad-request"],
  ["/%", "bad-request"],
  ["/index.html%00.png", "bad-request"],
  ["/" + "a".repeat(5000), "bad-request"],
  ["relative", "not-static"],
];
for (const [path, kind] of refused) {
  test(`refuses ${JSON.stringify(path.slice(0, 40))} as ${kind}`, () => {
    assert.equal(resolveUrlPath(path).kind, kind);
  });
}

test("isInside and joinInside keep to the root", () => {
  assert.equal(isInside("/srv/public", "/srv/public/a"), true);
  assert.equal(isInside("/srv/public", "/srv/public"), true);
  assert.equal(isInside("/srv/public", "/srv/public-secret/a"), false);
  assert.equal(joinInside("/srv/public", "a/b.txt"), "/srv/public/a/b.txt");
  assert.equal(joinInside("/srv/public", "../x"), undefined);
  assert.equal(joinInside("/srv/public", "/etc/passwd"), undefined);
  assert.equal(joinInside("/srv/public", "a\0b"), undefined);
});
