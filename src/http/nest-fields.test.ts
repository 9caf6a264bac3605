import { test } from "node:test";
import assert from "node:assert/strict";
import { HttpError } from "./http-error.js";
import { keySegments, nestFields } from "./nest-fields.js";
import { parseQuery } from "./query.js";

const plain = (value: unknown) => JSON.parse(JSON.stringify(value));

test("names split into segments in one pass; unpaired brackets make a plain name", () => {
  assert.deepEqual(keySegments("user"), ["user"]);
  assert.deepEqual(keySegments("user[address][city]"), ["user", "address", "city"]);
  assert.deepEqual(keySegments("tags[]"), ["tags", ""]);
  for (const odd of ["a[b", "a[b]c", "[a]", "a[b[c]]", "a]"]) assert.deepEqual(keySegments(odd), [odd], odd);
});

test("fields nest as query strings do: objects, arrays, indices, last value wins", () => {
  const pairs: Array<[string, string]> = [
    ["user[name]", "ann"],
    ["user[address][city]", "Oslo"],
    ["tags[]", "a"],
    ["tags[]", "b"],
    ["rows[1]", "second"],
    ["rows[0]", "first"],
    ["title", "old"],
    ["title", "new"],
    ["items[][name]", "pen"],
    ["items[][qty]", "2"],
    ["items[][name]", "ink"],
  ];
  const expected = {
    user: { name: "ann", address: { city: "Oslo" } },
    tags: ["a", "b"],
    rows: ["first", "second"],
    title: "new",
    items: [{ name: "pen", qty: "2" }, { name: "ink" }],
  };
  assert.deepEqual(plain(nestFields(pairs)), expected);
  // The same pairs as a query string give the same shapes (the last-value rule aside for items, where qs differs from Rack).
  const query = parseQuery(
    pairs
      .slice(0, 8)
      .map(([k, v]) => `${encodeURIComponent(k)}=${v}`)
      .join("&"),
  );
  const { items: _items, ...withoutItems } = expected;
  assert.deepEqual(plain(query), withoutItems);
});

test("__proto__, constructor and toString are fields of null-prototype objects, and nothing is polluted", () => {
  const fields = nestFields([
    ["__proto__", "x"],
    ["constructor", "c"],
    ["toString", "t"],
    ["user[__proto__][admin]", "true"],
    ["user[constructor][prototype][admin]", "true"],
  ]);
  assert.equal(Object.getPrototypeOf(fields), null);
  assert.deepEqual(Object.keys(fields), ["__proto__", "constructor", "toString", "user"]);
  assert.equal(Object.getOwnPropertyDescriptor(fields, "__proto__")?.value, "x");
  assert.equal(fields.constructor, "c");
  assert.equal(fields.toString, "t");
  const user = fields.user as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(user), null);
  assert.deepEqual(Object.keys(user), ["__proto__", "constructor"]);
  assert.equal(({} as Record<string, unknown>).admin, undefined);
  assert.equal(Object.hasOwn(Object.prototype, "admin"), false);
});

test("a name used as two shapes, or nested too deep, is a 400", () => {
  const refused = (pairs: Array<[string, string]>, pattern: RegExp) =>
    assert.throws(
      () => nestFields(pairs),
      (error: unknown) => error instanceof HttpError && error.status === 400 && pattern.test(error.message),
    );
  refused(
    [
      ["a", "1"],
      ["a[b]", "2"],
    ],
    /"a" is used both as a value and as an object/,
  );
  refused(
    [
      ["a[]", "1"],
      ["a[b]", "2"],
    ],
    /"a" is used both as an array and as an object/,
  );
  refused(
    [
      ["a[b]", "1"],
      ["a", "2"],
    ],
    /"a" is used both as an object and as a value/,
  );
  refused([["a[1][2][3][4][5][6]", "x"]], /nested deeper than 5/);
});

test("files (any object) stay leaves", () => {
  const file = new File(["x"], "x.txt");
  const fields = nestFields<File>([
    ["docs[]", file],
    ["avatar", file],
  ]);
  assert.equal((fields.docs as File[])[0], file);
  assert.equal(fields.avatar, file);
});

test("nesting is linear: a MiB of adversarial names takes about four times what a quarter MiB does", () => {
  const cases: Record<string, (bytes: number) => Array<[string, string]>> = {
    "one name of brackets": (bytes) => [[`a${"[".repeat(bytes)}`, "x"]],
    "one name of empty pairs": (bytes) => [[`a${"[]".repeat(bytes / 2)}`, "x"]],
    "one name of closes": (bytes) => [[`a[${"]".repeat(bytes)}`, "x"]],
    "many appends": (bytes) => Array.from({ length: bytes / 8 }, () => ["t[]", "x"] as [string, string]),
    "many nested names": (bytes) =>
      Array.from({ length: bytes / 16 }, (_, i) => [`u[${i}x][b]`, "x"] as [string, string]),
  };
  const time = (pairs: Array<[string, string]>) => {
    const started = performance.now();
    try {
      nestFields(pairs);
    } catch (error) {
      assert.ok(error instanceof HttpError, String(error));
    }
    return performance.now() - started;
  };
  for (const [name, make] of Object.entries(cases)) {
    // The fastest of three runs: a collection or a busy neighbour on a shared machine is not the parser.
    const fastest = (pairs: Array<[string, string]>) => Math.min(time(pairs), time(pairs), time(pairs));
    const quarter = fastest(make(256 * 1024));
    const whole = fastest(make(1024 * 1024));
    // Quadratic work would take 16 times as long; the floor absorbs timer noise on fast cases.
    assert.ok(
      whole < 8 * Math.max(quarter, 50),
      `${name}: 256 KiB ${quarter.toFixed(0)} ms, 1 MiB ${whole.toFixed(0)} ms`,
    );
    assert.ok(whole < 5_000, `${name}: 1 MiB took ${whole.toFixed(0)} ms`);
  }
});
