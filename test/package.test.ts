// Test timeout: 60 s: npm pack and a fresh Node importing the package.
// The package as npm publishes it: packed by `npm pack`, unpacked, and read the way a user's tools
// read it. Its source maps lead to files that are in it (or, for a dependency bundled in, to
// sources the map carries), its tests are not, and importing it
// changes nothing in the process (no listeners), as `"sideEffects": false` promises bundlers.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { after, before, test } from "node:test";
import { REPO_ROOT, launcherUnavailableReason } from "./support/frank-in-pod.js";
import { skipUnlessAvailable } from "./support/prerequisites.js";

const skip = skipUnlessAvailable(launcherUnavailableReason());
let unpacked: string;
let scratch: string;

/** Files under `dir` whose names end with `suffix`. */
function filesEndingWith(dir: string, suffix: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(suffix))
    .map((name) => join(dir, name));
}

before(() => {
  if (skip) return;
  scratch = mkdtempSync(join(tmpdir(), "frank-pack-"));
  // The build is `npm test`'s first step; packing again without scripts keeps it.
  const [{ filename }] = JSON.parse(
    execFileSync("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", scratch], {
      cwd: REPO_ROOT,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }),
  ) as Array<{ filename: string }>;
  execFileSync("tar", ["-xzf", join(scratch, filename), "-C", scratch]);
  unpacked = join(scratch, "package");
});
after(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

test("every source map in the package leads to sources that are in the package", { skip }, () => {
  const scripts = filesEndingWith(join(unpacked, "dist"), ".js");
  assert.ok(scripts.length > 50, `only ${scripts.length} scripts in dist/`);
  let sources = 0;
  // The doctor's bundle has no map on purpose (scripts/bundle-doctor.mjs): it would carry the YAML
  // package's sources into every install; the bundle names each of frank's files in a comment.
  const BUNDLED = join("dist", "cli", "doctor-command.js");
  for (const script of scripts) {
    const name = relative(unpacked, script);
    const text = readFileSync(script, "utf8");
    if (name === BUNDLED) {
      assert.match(text, /\/\/ dist\/k8s\/yaml-reader\.js/, `${name} no longer names its sources`);
      continue;
    }
    const link = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(text);
    assert.ok(link, `${name} names no source map`);
    const mapPath = resolve(dirname(script), link[1]);
    assert.ok(existsSync(mapPath), `${name}: its map ${link[1]} is not in the package`);
    const map = JSON.parse(readFileSync(mapPath, "utf8")) as {
      sourceRoot?: string;
      sources: string[];
      sourcesContent?: (string | null)[];
    };
    for (const source of map.sources) {
      const file = resolve(dirname(mapPath), map.sourceRoot ?? "", source);
      assert.ok(existsSync(file), `${relative(unpacked, mapPath)}: ${source} is not in the package`);
      sources++;
    }
  }
  assert.ok(sources >= scripts.length - 1, `${sources} sources for ${scripts.length} scripts`);
});

test("the package holds the project files and no tests", { skip }, () => {
  for (const file of ["LICENSE", "README.md", "CHANGELOG.md", "package.json", "bin/frank.js", "dist/index.d.ts"]) {
    assert.ok(existsSync(join(unpacked, file)), `${file} is missing`);
  }
  assert.deepEqual(filesEndingWith(unpacked, ".test.ts"), []);
  assert.deepEqual(filesEndingWith(unpacked, ".test.js"), []);
  const manifest = JSON.parse(readFileSync(join(unpacked, "package.json"), "utf8"));
  assert.equal(manifest.sideEffects, false);
  assert.equal(manifest.license, "MIT");
  assert.match(readFileSync(join(unpacked, "LICENSE"), "utf8"), /^MIT License/);
});

test("importing frank, frank/middleware and frank/otel adds no process listener", { skip }, () => {
  // The package by its own name (Node resolves a package's self-reference through its exports).
  const script = `
    const before = Object.fromEntries(process.eventNames().map((name) => [String(name), process.listenerCount(name)]));
    await import("frank");
    await import("frank/middleware");
    await import("frank/otel");
    const after = Object.fromEntries(process.eventNames().map((name) => [String(name), process.listenerCount(name)]));
    console.log(JSON.stringify({ before, after }));
  `;
  const { before: listenersBefore, after: listenersAfter } = JSON.parse(
    execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: REPO_ROOT, encoding: "utf8" }),
  );
  assert.deepEqual(listenersAfter, listenersBefore);
});
