// docs/architecture.md names lines of code as [`file.ts:N`](../src/.../file.ts#LN) `symbol`.
// When code moves, this test names each reference that went stale and where its symbol is now.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkDocument } from "./support/code-references.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const DOC = "docs/architecture.md";

test("every code reference in docs/architecture.md still points at its symbol", () => {
  const { references, problems } = checkDocument(root, DOC);
  // A change of format that matched nothing must not pass as "no stale references".
  assert.ok(references.length >= 80, `only ${references.length} references found in ${DOC}`);
  if (problems.length > 0) {
    assert.fail(
      `${problems.length} reference${problems.length === 1 ? "" : "s"} in ${DOC} no longer hold:\n\n` +
        problems.join("\n\n"),
    );
  }
});

test("every file the document names in backticks exists", () => {
  const markdown = readFileSync(join(root, DOC), "utf8");
  const missing = [...markdown.matchAll(/`((?:src|test|scripts|bench|docs)\/[\w./-]+\.(?:ts|mjs|md))`/g)]
    .map((match) => match[1])
    .filter((path) => {
      try {
        readFileSync(join(root, path));
        return false;
      } catch {
        return true;
      }
    });
  assert.deepEqual(missing, [], `${DOC} names files that do not exist: ${missing.join(", ")}`);
});

test("the README links to the document", () => {
  assert.match(readFileSync(join(root, "README.md"), "utf8"), /\]\(docs\/architecture\.md\)/);
});

test("the check names a moved line, a vanished symbol, a missing file, a mismatched label and an unreadable mention", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "frank-doc-refs-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, "src/server"), { recursive: true });
  mkdirSync(join(dir, "docs"));
  const lines = Array.from({ length: 30 }, (_, i) => `// line ${i + 1}`);
  lines[19] = "export function servedHandler() {}";
  writeFileSync(join(dir, "src/server/serve.ts"), lines.join("\n"));

  const markdown = [
    "holds: [`serve.ts:20`](../src/server/serve.ts#L20) `servedHandler`",
    "within two lines: [`serve.ts:22`](../src/server/serve.ts#L22) `servedHandler`",
    "moved: [`serve.ts:5`](../src/server/serve.ts#L5) `servedHandler`",
    "gone: [`serve.ts:20`](../src/server/serve.ts#L20) `toNodeListener`",
    "no file: [`index.ts:3`](../src/server/index.ts#L3) `serve`",
    "label: [`serve.ts:21`](../src/server/serve.ts#L20) `servedHandler`",
    "loose: see serve.ts:20 for the handler",
  ].join("\n");
  const { references, problems } = checkDocument(dir, "docs/x.md", markdown);

  assert.equal(references.length, 6);
  assert.equal(problems.length, 5, problems.join("\n\n"));
  const [moved, gone, noFile, label, loose] = problems;
  assert.match(moved, /^docs\/x\.md:3: /);
  assert.match(moved, /line 5 \(±2\) of src\/server\/serve\.ts no longer contains `servedHandler`/);
  assert.ok(moved.includes("Write [`serve.ts:20`](../src/server/serve.ts#L20) `servedHandler`."), moved);
  assert.match(gone, /^docs\/x\.md:4: .*\n {2}src\/server\/serve\.ts no longer contains `toNodeListener` at all/);
  assert.match(noFile, /^docs\/x\.md:5: .*\n {2}src\/server\/index\.ts does not exist/);
  assert.match(label, /^docs\/x\.md:6: .*\n .*disagree/);
  assert.match(loose, /^docs\/x\.md:7: serve\.ts:20 is not written as/);
});
