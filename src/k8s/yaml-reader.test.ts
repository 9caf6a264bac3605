import assert from "node:assert/strict";
import { test } from "node:test";
import { MAX_NESTING_DEPTH, type YamlReadError, readYamlDocuments } from "./yaml-reader.js";

function read(text: string): { values: unknown[]; error?: undefined } | { values?: undefined; error: YamlReadError } {
  const result = readYamlDocuments(text);
  return result.ok ? { values: result.documents.map((document) => document.value) } : { error: result.error };
}

test("YAML 1.1 as kubectl reads it: merge keys, and anchors reused by many aliases", () => {
  const labels = "labels: &labels {app: shop, tier: web}\n";
  const uses = Array.from({ length: 150 }, (_, index) => `  item${index}: *labels`).join("\n");
  const many = read(`${labels}items:\n${uses}\n`);
  assert.ok(many.values, JSON.stringify(many));
  const items = (many.values[0] as { items: Record<string, unknown> }).items;
  assert.equal(Object.keys(items).length, 150);
  assert.deepEqual({ ...(items.item149 as object) }, { app: "shop", tier: "web" });

  const merged = read("base: &base {a: 1, b: 2}\nderived:\n  <<: *base\n  b: 3\n");
  assert.ok(merged.values);
  assert.deepEqual({ ...(merged.values[0] as { derived: object }).derived }, { a: 1, b: 3 });
});

test("an alias bomb is refused with a reason, as kubectl's reader refuses it", () => {
  const levels = "abcdefghij";
  const lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
  for (let index = 1; index < levels.length; index++) {
    const previous = levels[index - 1];
    lines.push(`${levels[index]}: &${levels[index]} [${Array(10).fill(`*${previous}`).join(", ")}]`);
  }
  const result = read(`${lines.join("\n")}\n`);
  assert.ok("error" in result);
  assert.match(result.error!.reason, /alias bomb/);
  // Doubling at every level: 2^200 copies if expanded; refused without expanding anything.
  const doubling = [
    "a0: &a0 [x, x]",
    ...Array.from({ length: 200 }, (_, i) => `a${i + 1}: &a${i + 1} [*a${i}, *a${i}]`),
  ];
  const exponential = read(`${doubling.join("\n")}\n`);
  assert.ok("error" in exponential);
  assert.match(exponential.error!.reason, /alias bomb/);
});

test("repeated keys, unknown aliases and collection keys are errors with a line", () => {
  const repeated = read("a: 1\nb: 2\na: 3\n");
  assert.deepEqual(repeated, {
    error: {
      line: 3,
      column: 1,
      reason: 'mapping key "a" already defined at line 1: kubectl refuses a repeated key too',
    },
  });
  const unknown = read("a: *nowhere\n");
  assert.ok("error" in unknown);
  assert.match(unknown.error!.reason, /alias \*nowhere has no anchor/);
});

test("nesting deeper than the limit is refused before the composer recurses into it", () => {
  const deep = `${"[".repeat(MAX_NESTING_DEPTH + 1)}${"]".repeat(MAX_NESTING_DEPTH + 1)}`;
  const result = read(deep);
  assert.ok("error" in result);
  assert.match(result.error!.reason, /nested more than 200 levels deep/);
  const allowed = `${"[".repeat(MAX_NESTING_DEPTH)}${"]".repeat(MAX_NESTING_DEPTH)}`;
  assert.ok("values" in read(allowed));
  const blocks = Array.from({ length: MAX_NESTING_DEPTH + 5 }, (_, index) => `${" ".repeat(index)}k:`).join("\n");
  assert.ok("error" in read(`${blocks} 1\n`));
});

test("a quoted string whose continuation lines sit at its key's indentation keeps its value", () => {
  const result = read("a:\n  b: 'one\n  two'\n  c: \"three\n  four\"\n");
  assert.ok(result.values, JSON.stringify(result));
  assert.deepEqual(JSON.parse(JSON.stringify(result.values[0])), { a: { b: "one two", c: "three four" } });
});

test("an unclosed quote is still an error, at the line where it starts", () => {
  const result = read("a: 'never closed\nb: 1\n");
  assert.ok("error" in result);
  assert.match(result.error!.reason, /Missing closing 'quote/);
});

test("objects have no prototype a key could reach", () => {
  const result = read("__proto__: {polluted: true}\nconstructor: 1\n");
  assert.ok(result.values);
  const value = result.values[0] as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(value), null);
  assert.deepEqual({ ...(value.__proto__ as object) }, { polluted: true });
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});
