// `frank doctor -f` over manifests nobody here wrote: public repositories' deploy folders
// (test/fixtures/manifests/real-world, see SOURCES there), one run per repository as a user
// would point it at a checkout. Every finding and every input it did not check was reviewed by
// hand; reviewed-findings.json holds the verdicts. The run must match them exactly (a new or a
// lost finding is a change to review), never crash or abort, and its errors must be right at
// least 95% of the time: an error claims a real cause of Bad Gateway, refused connections or
// failed probes.
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { run } from "../src/cli/doctor-command.js";
import { readManifestPaths } from "../src/doctor/manifest-files.js";
import type { Finding } from "../src/k8s/finding.js";
import { commandIo } from "./support/command-io.js";

const REAL_WORLD = join(import.meta.dirname, "fixtures", "manifests", "real-world");

interface Reviewed {
  repo: string;
  severity: string;
  code: string;
  object: string;
  location: string;
  verdict: "right" | "wrong";
  why: string;
}

interface ReviewedNote {
  repo: string;
  file: string;
  reason: string;
  verdict: "right" | "wrong";
}

const review = JSON.parse(readFileSync(join(REAL_WORLD, "reviewed-findings.json"), "utf8")) as {
  findings: Reviewed[];
  notChecked: ReviewedNote[];
};
const repos = readdirSync(REAL_WORLD, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

const keyOf = (finding: Pick<Reviewed, "repo" | "severity" | "code" | "object" | "location">) =>
  `${finding.repo} ${finding.severity} ${finding.code} ${finding.object} ${finding.location}`;

describe("frank doctor -f on real-world manifests", () => {
  const found: Reviewed[] = [];
  const notChecked: ReviewedNote[] = [];

  test("the corpus: at least 300 manifest files from at least 10 repositories", () => {
    const files = repos.flatMap((repo) => readManifestPaths([join(REAL_WORLD, repo)]).sources);
    assert.ok(repos.length >= 10, `${repos.length} repositories`);
    assert.ok(files.length >= 300, `${files.length} files`);
  });

  for (const repo of repos) {
    test(`${repo}: runs to the end, exit status by what it found`, async () => {
      const { io, out, err } = commandIo();
      const code = await run(["-f", join(REAL_WORLD, repo), "--json"], io);
      const stderr = err();
      assert.doesNotMatch(stderr, /could not be read|unexpected|TypeError|RangeError/);
      const lines = stderr.split("\n").filter(Boolean);
      if (lines.some((line) => line.startsWith("frank doctor: nothing to check"))) {
        assert.equal(code, 2);
        assert.equal(out(), "");
      } else {
        const report = JSON.parse(out()) as {
          findings: Finding[];
          notChecked: Array<{ file: string; reason: string }>;
        };
        const errors = report.findings.some((finding) => finding.severity === "error");
        const unreadable = (report.notChecked as Array<{ unreadable?: boolean }>).some((note) => note.unreadable);
        assert.equal(code, errors ? 1 : unreadable ? 2 : 0);
        for (const finding of report.findings) {
          found.push({
            repo,
            severity: finding.severity,
            code: finding.code,
            object: `${finding.object.kind} ${finding.object.namespace}/${finding.object.name}`,
            location: finding.location.slice(join(REAL_WORLD, repo).length + 1),
            verdict: "right",
            why: "",
          });
          assert.doesNotMatch(`${finding.problem} ${finding.why} ${finding.fix}`, /undefined|\(\)|\(it has \)/);
        }
      }
      for (const line of lines) {
        const note = /^frank doctor: (.+?): (.*)$/.exec(line)!;
        if (note[1] === "nothing to check") continue;
        const file = note[1]!.slice(join(REAL_WORLD, repo).length + 1);
        notChecked.push({ repo, file: file || ".", reason: note[2]!.split(":")[0]!, verdict: "right" });
      }
    });
  }

  test("every finding and every input not checked is one that was reviewed, and none is missing", () => {
    const reviewed = new Set(review.findings.map(keyOf));
    const actual = new Set(found.map(keyOf));
    assert.deepEqual(
      [...actual].filter((key) => !reviewed.has(key)),
      [],
      "findings nobody reviewed: review them and add them to reviewed-findings.json",
    );
    assert.deepEqual(
      [...reviewed].filter((key) => !actual.has(key)),
      [],
      "reviewed findings no longer found",
    );
    assert.equal(found.length, review.findings.length, "each finding once");
    const noteKey = (note: ReviewedNote) => `${note.repo} ${note.file} ${note.reason}`;
    assert.deepEqual(notChecked.map(noteKey).sort(), review.notChecked.map(noteKey).sort());
  });

  test("errors are right at least 95% of the time", () => {
    const errors = review.findings.filter((finding) => finding.severity === "error");
    const right = errors.filter((finding) => finding.verdict === "right");
    assert.ok(errors.length > 0);
    assert.ok(right.length / errors.length >= 0.95, `${right.length} of ${errors.length} errors right`);
    for (const finding of review.findings) assert.ok(finding.why.length > 20, `a reason for ${keyOf(finding)}`);
  });
});
