import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { credentialsFor, safeEqual } from "./authorization.js";

describe("credentialsFor", () => {
  it("reads token68 credentials of the named scheme, case-insensitively", () => {
    assert.equal(credentialsFor("Basic YTpi", "Basic"), "YTpi");
    assert.equal(credentialsFor("basic   YTpi==  ", "Basic"), "YTpi==");
    assert.equal(credentialsFor("Bearer abc.DEF-_~+/x=", "Bearer"), "abc.DEF-_~+/x=");
  });

  it("refuses other schemes and malformed headers", () => {
    for (const header of [
      null,
      "",
      "Basic",
      "Basic ",
      "BasicYTpi",
      "Bearer YTpi",
      "Basic YT pi",
      "Basic =abc",
      "Basic a=b",
    ]) {
      assert.equal(credentialsFor(header, "Basic"), undefined, String(header));
    }
  });

  it("reads a huge adversarial header in linear time", () => {
    const started = performance.now();
    for (const header of [
      `Basic ${"A".repeat(8 << 20)}!`,
      `Basic ${" ".repeat(8 << 20)}x`,
      `Bearer ${"=".repeat(8 << 20)}`,
      `Bearer a${"=".repeat(8 << 20)}a`,
    ]) {
      credentialsFor(header, header.slice(0, header.indexOf(" ")));
    }
    // Linear work on 32 MiB takes well under a second; a backtracking parser would never finish.
    assert.ok(performance.now() - started < 5_000);
  });
});

describe("safeEqual", () => {
  it("compares secrets of any lengths", () => {
    assert.equal(safeEqual("secret", "secret"), true);
    assert.equal(safeEqual("secret", "secreT"), false);
    assert.equal(safeEqual("secret", "secret-but-longer"), false);
    assert.equal(safeEqual("", ""), true);
  });
});
