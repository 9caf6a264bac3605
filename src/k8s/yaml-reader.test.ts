// Test timeout: 90 s: five shapes of adversarial YAML, 256 KiB each, read twice (about 16 CPU-seconds).
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
  const ownKey = Object.getOwnPropertyDescriptor(value, "__proto__")?.value as object;
  assert.deepEqual({ ...ownKey }, { polluted: true });
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test("large adversarial input is read within a bound of ordinary manifests of the same size", () => {
  const size = 256 * 1024;
  const repeat = (piece: string) => piece.repeat(Math.ceil(size / piece.length));
  const ordinary = repeat(
    "apiVersion: v1\nkind: Service\nmetadata: {name: shop, labels: {app: shop}}\nspec:\n  selector: {app: shop}\n  ports: [{name: http, port: 80, targetPort: http}]\n---\n",
  );
  const adversarial: Record<string, string> = {
    "40,000 aliases to one anchor": `a: &a [1, 2]\nb: [${repeat("*a, ")}1]\n`,
    "flow nesting 128 Ki deep": `${"[".repeat(size / 2)}${"]".repeat(size / 2)}`,
    "20,000 keys in one map": Array.from({ length: size / 12 }, (_, index) => `key${index}: 1`).join("\n"),
    "alias chain": Array.from({ length: size / 24 }, (_, i) => `k${i}: &a${i} [${i ? `*a${i - 1}` : 1}]`).join("\n"),
    "quoted strings to repair": `a:\n${Array.from({ length: size / 20 }, (_, i) => `  k${i}: '[\n  x\n  ]'`).join("\n")}\n`,
  };
  const time = (text: string) => {
    const started = performance.now();
    readYamlDocuments(text);
    return performance.now() - started;
  };
  // The faster of two runs, so a busy machine does not fail a linear reader.
  const baseline = Math.min(time(ordinary), time(ordinary));
  for (const [name, text] of Object.entries(adversarial)) {
    const ms = Math.min(time(text), time(text));
    assert.ok(ms < Math.max(baseline * 10, 1000), `${name}: ${ms.toFixed(0)} ms, ordinary ${baseline.toFixed(0)} ms`);
  }
});
