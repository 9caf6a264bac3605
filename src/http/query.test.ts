import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { HttpError } from "./http-error.js";
import { keySegments, parseQuery, QUERY_LIMITS } from "./query.js";

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

  it("splits keys as qs-esm does, so the shape check sees the shapes qs-esm builds", () => {
    assert.deepEqual(keySegments("a"), ["a"]);
    assert.deepEqual(keySegments("a[b][]"), ["a", "[b]", "[]"]);
    assert.deepEqual(keySegments("a[b][c[]]"), ["a", "[b]", "[]"]);
    assert.deepEqual(keySegments("a[[b"), ["a[[b"]);
    assert.deepEqual(keySegments("a[[b]"), ["a[", "[b]"]);
    assert.deepEqual(parseQuery("a[b][c[]]=1"), { a: { b: ["1"] } });
    assert.deepEqual(parseQuery("a[[[=1"), { "a[[[": "1" });
    // qs-esm makes a[b] an array here; naming it as an object too is a conflict.
    assert.throws(
      () => parseQuery("a[b][c[]]=1&a[b][x]=2"),
      (e: unknown) => e instanceof HttpError && e.status === 400,
    );
  });

  // Every input is 1 MiB; a parser that backtracks or rescans would take minutes on them.
  const MiB = 1024 * 1024;
  const adversarial: Array<[string, string]> = [
    ["open brackets", `a${"[".repeat(MiB)}=1`],
    ["open brackets, encoded", `a${"%5B".repeat(MiB / 3)}=1`],
    ["close brackets", `a${"]".repeat(MiB)}=1`],
    ["empty groups", `a${"[]".repeat(MiB / 2)}=1`],
    ["unclosed nesting", `a[${"[]".repeat(MiB / 2)}=1`],
    ["bracket then text", `a[${"x".repeat(MiB)}=1`],
    ["alternating", `a${"[x".repeat(MiB / 2)}=1`],
    ["many open keys", `${"a[[[[[[[[&".repeat(999)}${"[".repeat(MiB)}`],
    ["long value", `a=${"[".repeat(MiB)}`],
    ["only separators", "&".repeat(MiB)],
  ];
  for (const [name, input] of adversarial) {
    it(`parses 1 MiB of adversarial keys in well under a second: ${name}`, () => {
      const ms = cpuMs(() => {
        try {
          parseQuery(input);
        } catch (error) {
          assert.ok(error instanceof HttpError && error.status === 400, String(error));
        }
      });
      assert.ok(ms < 1000, `${name}: ${ms.toFixed(0)} ms of CPU`);
    });
  }
});

/** CPU time this process spends on `run`, in ms: unlike wall time, other processes on a busy machine do not count. */
function cpuMs(run: () => unknown): number {
  const before = process.cpuUsage();
  run();
  const { user, system } = process.cpuUsage(before);
  return (user + system) / 1000;
}
