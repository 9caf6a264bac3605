// `frank doctor -f` reads YAML nobody here wrote. Every shape that makes a YAML reader slow
// (deep nesting, many aliases, many keys in one map, merge keys, long lines, unclosed quotes,
// quoted strings to repair, many documents, shell scripts in commands) is read at 64 KiB and at
// 256 KiB: four times the input must cost well under eight times the time (a quadratic reader
// costs sixteen times), and 256 KiB of any of them no more than ten times what 256 KiB of
// ordinary manifests costs. The faster of two runs counts, so a busy machine does not fail a
// linear reader; a quadratic one fails both.
import assert from "node:assert/strict";
import { test } from "node:test";
import { checkManifests } from "../../src/k8s/check-manifests.js";
import { loadManifests } from "../../src/k8s/load-manifests.js";
import { recordResults } from "./support/results.js";

const KIB = 1024;

const ordinary = (bytes: number) => {
  const one = [
    "apiVersion: apps/v1",
    "kind: Deployment",
    "metadata: {name: shop, labels: {app: shop}}",
    "spec:",
    "  selector: {matchLabels: {app: shop}}",
    "  template:",
    "    metadata: {labels: {app: shop}}",
    "    spec:",
    "      containers:",
    "      - name: shop",
    "        image: registry.example/shop:1.4",
    '        command: ["sh", "-c", "cd /app && exec gunicorn --bind 0.0.0.0:8080 shop.wsgi"]',
    "        ports: [{name: http, containerPort: 8080}]",
    "        env: [{name: APP_ENV, value: production}, {name: PORT, value: '8080'}]",
    "        readinessProbe: {httpGet: {path: /readyz, port: http}}",
    "---",
    "apiVersion: v1",
    "kind: Service",
    "metadata: {name: shop}",
    "spec: {selector: {app: shop}, ports: [{name: http, port: 80, targetPort: http}]}",
    "---\n",
  ].join("\n");
  return one.repeat(Math.ceil(bytes / one.length));
};

const fill = (piece: string, bytes: number) => piece.repeat(Math.ceil(bytes / piece.length));

const SHAPES: Record<string, (bytes: number) => string> = {
  "flow nesting": (bytes) => `${"[".repeat(bytes / 2)}${"]".repeat(bytes / 2)}`,
  "unbalanced brackets": (bytes) => "{".repeat(bytes),
  "compact sequences": (bytes) => fill("- ", bytes),
  "nested implicit keys": (bytes) => `a${fill(": a", bytes)}`,
  "one anchor, many aliases": (bytes) => `a: &a [1, 2, 3]\nb: [${fill("*a, ", bytes)}1]\n`,
  "alias chains": (bytes) =>
    Array.from({ length: bytes / 24 }, (_, index) => `k${index}: &a${index} [${index ? `*a${index - 1}` : 1}]`).join(
      "\n",
    ),
  "merge keys": (bytes) =>
    `base: &b {${Array.from({ length: 64 }, (_, index) => `k${index}: 1`).join(", ")}}\n` +
    Array.from({ length: bytes / 16 }, (_, index) => `m${index}: {<<: *b}`).join("\n"),
  "many keys in one map": (bytes) => Array.from({ length: bytes / 12 }, (_, index) => `key${index}: 1`).join("\n"),
  "repeated key at the end": (bytes) =>
    `${Array.from({ length: bytes / 12 }, (_, index) => `key${index}: 1`).join("\n")}\nkey0: 2\n`,
  "one long line": (bytes) => `a: ${"x".repeat(bytes)}\n`,
  "unclosed quote": (bytes) => `a: '${fill("x\n", bytes)}`,
  "quotes to repair": (bytes) =>
    `a:\n${Array.from({ length: bytes / 20 }, (_, index) => `  k${index}: '[\n  x\n  ]'`).join("\n")}\n`,
  "many documents": (bytes) => fill("---\na: 1\n", bytes),
  "comments and blank lines": (bytes) => fill("# comment: [ { & * ' \"\n\n", bytes),
  "shell script in a command": (bytes) => {
    const script = fill("$( ' ` a && b || c; \\ ", bytes).replaceAll('"', "");
    return `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: x\n    command: [sh, -c, ${JSON.stringify(script)}]\n`;
  },
};

function bestOf(runs: number, work: () => void): number {
  let best = Number.POSITIVE_INFINITY;
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    work();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

function read(text: string): void {
  const { objects } = loadManifests([{ name: "input.yaml", text }]);
  checkManifests(objects);
}

test("reading manifests is linear in the input, whatever its shape", () => {
  const baseline = bestOf(2, () => read(ordinary(256 * KIB)));
  const results: Record<string, { ms64KiB: number; ms256KiB: number; ratio: number }> = {};
  for (const [shape, make] of Object.entries(SHAPES)) {
    const small = make(64 * KIB);
    const large = make(256 * KIB);
    const smallMs = bestOf(2, () => read(small));
    const largeMs = bestOf(2, () => read(large));
    // Below 25 ms the clock and the garbage collector decide, not the reader.
    const ratio = largeMs / Math.max(smallMs, 25);
    results[shape] = { ms64KiB: Math.round(smallMs), ms256KiB: Math.round(largeMs), ratio: Number(ratio.toFixed(2)) };
    assert.ok(
      ratio < 8,
      `${shape}: 4x the input took ${ratio.toFixed(1)}x the time (${smallMs.toFixed(0)} -> ${largeMs.toFixed(0)} ms)`,
    );
    assert.ok(
      largeMs < Math.max(baseline * 10, 2000),
      `${shape}: 256 KiB took ${largeMs.toFixed(0)} ms, ordinary manifests ${baseline.toFixed(0)} ms`,
    );
  }
  recordResults("manifest-yaml-linear", { ordinaryManifests256KiBMs: Math.round(baseline), shapes: results });
});
