import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { HttpError } from "./http-error.js";
import { parseQuery, QUERY_LIMITS } from "./query.js";

describe("parseQuery", () => {
  it("parses Rack's shapes", () => {
    assert.deepEqual(parseQuery("a=1&b=two+words&c=%C3%BC"), { a: "1", b: "two words", c: "ü" });
    assert.deepEqual(parseQuery("user[name]=ann&user[langs][]=ts&user[langs][]=rb"), {
      user: { name: "ann", langs: ["ts", "rb"] },
    });
    assert.deepEqual(parseQuery("x=1&x=2"), { x: "2" }, "a repeated plain key keeps the last value, as Rack does");
    assert.deepEqual(parseQuery(""), {});
    assert.deepEqual(parseQuery("flag"), { flag: "" });
  });

  it("keeps the last value of a repeated key at any depth, and every element of an array", () => {
    assert.deepEqual(parseQuery("a[b]=1&a[b]=2"), { a: { b: "2" } });
    assert.deepEqual(parseQuery("x=1&y[]=1&x=2&y[]=2&x=3"), { x: "3", y: ["1", "2"] });
    assert.deepEqual(parseQuery("k%5Bn%5D=1&k[n]=2"), { k: { n: "2" } }, "an encoded key is the same key");
  });

  it("checks a large hostile query in one pass", () => {
    // Unclosed brackets and stray percent signs in 1,000 keys and values of 1 KB each.
    const pairs = Array.from(
      { length: QUERY_LIMITS.parameters },
      (_, i) => `k${i}${"[".repeat(500)}=${"%".repeat(500)}`,
    );
    const parsed = parseQuery(pairs.join("&"));
    assert.equal(Object.keys(parsed).length, QUERY_LIMITS.parameters);
  });

  it("never lets a key reach Object.prototype", () => {
    const parsed = parseQuery("__proto__[polluted]=yes&constructor[prototype][bad]=1");
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(({} as Record<string, unknown>).bad, undefined);
    assert.equal(Object.getPrototypeOf(parsed), Object.prototype);
    assert.equal(Object.hasOwn(parsed, "__proto__"), false);
  });

  for (const [input, why] of [
    ["a=1&a[b]=2", "a value and an object"],
    ["a[b]=1&a=2", "an object and a value"],
    ["a[]=1&a[b]=2", "an array and an object"],
    ["a%5Bb%5D=1&a=1", "encoded brackets are brackets too"],
  ] as const) {
    it(`answers conflicting shapes with a 400: ${why}`, () => {
      assert.throws(
        () => parseQuery(input),
        (error: unknown) => error instanceof HttpError && error.status === 400 && /used both as/.test(error.message),
      );
    });
  }

  it("caps depth, parameter count and array length with a 400", () => {
    const deep = "a" + "[x]".repeat(QUERY_LIMITS.depth + 1) + "=1";
    assert.throws(
      () => parseQuery(deep),
      (e: unknown) => e instanceof HttpError && e.status === 400,
    );
    const many = Array.from({ length: QUERY_LIMITS.parameters + 1 }, (_, i) => `k${i}=1`).join("&");
    assert.throws(
      () => parseQuery(many),
      (e: unknown) => e instanceof HttpError && e.status === 400,
    );
    const long = Array.from({ length: QUERY_LIMITS.arrayLength + 1 }, () => "a[]=1").join("&");
    assert.throws(
      () => parseQuery(long),
      (e: unknown) => e instanceof HttpError && e.status === 400,
    );
  });

  it("answers a malformed escape in a key with a 400", () => {
    assert.throws(
      () => parseQuery("a%ZZ[b]=1&c=2"),
      (e: unknown) => e instanceof HttpError && e.status === 400,
    );
  });
});
