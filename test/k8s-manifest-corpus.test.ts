// Every fixture in test/fixtures/manifests is classified right: a broken set is named after
// its one cause ("<code>.<variant>.yaml") and yields findings of that code only; a clean set
// yields none at all.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { checkManifests, loadManifests } from "../src/k8s/index.js";

const CORPUS = join(import.meta.dirname, "fixtures", "manifests");

function findingsFor(directory: string, file: string) {
  const text = readFileSync(join(CORPUS, directory, file), "utf8");
  return checkManifests(loadManifests([{ name: file, text }]).objects);
}

const broken = readdirSync(join(CORPUS, "broken")).sort();
const clean = readdirSync(join(CORPUS, "clean")).sort();

describe("manifest corpus", () => {
  test("has at least 25 broken sets and 5 clean ones", () => {
    assert.ok(broken.length >= 25, `${broken.length} broken sets`);
    assert.ok(clean.length >= 5, `${clean.length} clean sets`);
  });

  for (const file of broken) {
    const cause = file.split(".")[0]!;
    test(`broken/${file} is found as ${cause}`, () => {
      const findings = findingsFor("broken", file);
      assert.ok(findings.length > 0, "no finding");
      assert.deepEqual([...new Set(findings.map((finding) => finding.code))], [cause]);
      for (const finding of findings) {
        assert.match(finding.location, new RegExp(`^${file.replace(/\./g, "\\.")}:\\d+$`));
        assert.ok(finding.problem && finding.why && finding.fix && finding.path);
      }
    });
  }

  for (const file of clean) {
    test(`clean/${file} has no findings`, () => {
      assert.deepEqual(findingsFor("clean", file), []);
    });
  }
});
