// Every fixture in test/fixtures/manifests is classified right: a broken set is named after
// its one cause ("<code>.<variant>.yaml", or a folder of files named so) and yields findings of
// that code only, of the severity its "# expect: error|warning" line names; a clean set yields
// none at all. Sets in folders are read as `frank doctor -f FOLDER` reads them.
import assert from "node:assert/strict";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { readManifestPaths } from "../src/doctor/manifest-files.js";
import { checkManifests } from "../src/k8s/check-manifests.js";
import { loadManifests } from "../src/k8s/load-manifests.js";

const CORPUS = join(import.meta.dirname, "fixtures", "manifests");

function findingsFor(directory: string, entry: string) {
  const path = join(CORPUS, directory, entry);
  const sources = statSync(path).isDirectory()
    ? readManifestPaths([path]).sources.map((source) => ({ ...source, name: source.name.slice(CORPUS.length + 1) }))
    : [{ name: entry, text: readFileSync(path, "utf8") }];
  const loaded = loadManifests(sources);
  assert.deepEqual(loaded.notes, [], "every file of a fixture is read");
  return { findings: checkManifests(loaded.objects), texts: sources.map((source) => source.text) };
}

const broken = readdirSync(join(CORPUS, "broken")).sort();
const clean = readdirSync(join(CORPUS, "clean")).sort();

describe("manifest corpus", () => {
  test("has at least 25 broken sets and 5 clean ones", () => {
    assert.ok(broken.length >= 25, `${broken.length} broken sets`);
    assert.ok(clean.length >= 5, `${clean.length} clean sets`);
  });

  for (const entry of broken) {
    const cause = entry.split(".")[0]!;
    test(`broken/${entry} is found as ${cause}`, () => {
      const { findings, texts } = findingsFor("broken", entry);
      assert.ok(findings.length > 0, "no finding");
      assert.deepEqual([...new Set(findings.map((finding) => finding.code))], [cause]);
      const expected = texts.map((text) => /^# expect: (error|warning)$/m.exec(text)?.[1]).find(Boolean);
      if (expected) {
        assert.deepEqual(
          findings.map((finding) => finding.severity),
          findings.map(() => expected),
          findings.map((finding) => finding.problem).join("\n"),
        );
      }
      for (const finding of findings) {
        assert.ok(
          finding.location.startsWith(entry.endsWith(".yaml") ? `${entry}:` : `broken/${entry}/`),
          finding.location,
        );
        assert.match(finding.location, /:\d+$/);
        assert.ok(finding.problem && finding.why && finding.fix && finding.path);
        assert.doesNotMatch(`${finding.problem} ${finding.why} ${finding.fix}`, /undefined|\(\)|\(it has \)/);
      }
    });
  }

  for (const entry of clean) {
    test(`clean/${entry} has no findings`, () => {
      assert.deepEqual(findingsFor("clean", entry).findings, []);
    });
  }
});
