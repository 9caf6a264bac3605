// Loading a TypeScript app by bundling it: per-file import.meta, packages shared with the
// process, stack traces into the original files, clear build errors, and the cache between starts.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { BundleError, importBundled } from "./bundle-app.js";

/** An app folder inside this repository (so `yaml` resolves from its node_modules), with its own TMPDIR for the cache. */
function withProject(files: Record<string, string>, run: (dir: string) => Promise<void>): Promise<void> {
  const root = join(import.meta.dirname, "..", "..", ".test-apps");
  mkdirSync(root, { recursive: true });
  const dir = mkdtempSync(join(root, "bundle-"));
  const cacheRoot = mkdtempSync(join(tmpdir(), "frank-bundle-test-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = cacheRoot;
  return run(dir).finally(() => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(dir, { recursive: true, force: true });
    rmSync(cacheRoot, { recursive: true, force: true });
  });
}

test("each bundled file keeps its own import.meta, and packages are the process's own modules", () =>
  withProject(
    {
      "app.ts": [
        'import YAML from "yaml";',
        'import { where, folder } from "./lib/where.js";',
        "export const mine: string = import.meta.url;",
        "export const theirs = where;",
        "export const theirFolder = folder;",
        "export const yaml = YAML;",
      ].join("\n"),
      "lib/where.ts":
        "export const where: string = import.meta.url;\nexport const folder: string = import.meta.dirname;\n",
    },
    async (dir) => {
      const module = (await importBundled(join(dir, "app.ts")))!;
      assert.equal(module.mine, pathToFileURL(join(dir, "app.ts")).href);
      assert.equal(module.theirs, pathToFileURL(join(dir, "lib/where.ts")).href);
      assert.equal(module.theirFolder, join(dir, "lib"));
      assert.equal(
        module.yaml,
        (await import("yaml")).default,
        "a package is imported by Node, not copied into the bundle",
      );
    },
  ));

test("a stack trace names the original file and line", () =>
  withProject(
    {
      "app.ts": 'import { fail } from "./fail.js";\nexport function run(): void {\n  fail();\n}\n',
      "fail.ts":
        '// a comment first, so line numbers would shift if the map were wrong\nexport function fail(): never {\n  throw new Error("from fail.ts");\n}\n',
    },
    async (dir) => {
      const module = (await importBundled(join(dir, "app.ts")))!;
      const error = (() => {
        try {
          (module.run as () => void)();
        } catch (caught) {
          return caught as Error;
        }
        throw new Error("run() did not throw");
      })();
      const frames = String(error.stack).split("\n").slice(1, 3).join("\n");
      assert.match(frames, new RegExp(`${join(dir, "fail.ts").replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}:3:9`));
      assert.match(frames, /app\.ts:3:3/);
    },
  ));

test("a syntax error and a missing import are BundleErrors with their place", () =>
  withProject(
    {
      "broken.ts": "export const x: number = 1;\nexport const y = (2 + ;\n",
      "missing.ts": 'import { nothing } from "./nowhere.js";\nexport default nothing;\n',
    },
    async (dir) => {
      await assert.rejects(importBundled(join(dir, "broken.ts")), (error: unknown) => {
        assert.ok(error instanceof BundleError);
        assert.equal(error.kind, "syntax");
        assert.deepEqual(
          error.place,
          { file: join(dir, "broken.ts"), line: 2, column: 23 },
          "column 23 counted from 1: the semicolon",
        );
        return true;
      });
      await assert.rejects(importBundled(join(dir, "missing.ts")), (error: unknown) => {
        assert.ok(error instanceof BundleError);
        assert.equal(error.kind, "resolve");
        assert.match(error.text, /Could not resolve "\.\/nowhere\.js"/);
        assert.equal(error.place?.line, 1);
        return true;
      });
    },
  ));

test("the next start reuses the bundle until one of its files changes", () =>
  withProject(
    {
      "app.ts": 'import { value } from "./value.js";\nexport default value;\n',
      "value.ts": "export const value: string = 'first';\n",
    },
    async (dir) => {
      const app = join(dir, "app.ts");
      const past = (seconds: number) => new Date(Date.now() - seconds * 1000);
      // Older than any build: a file saved during a build keeps its bundle out of the cache.
      for (const name of ["app.ts", "value.ts"]) utimesSync(join(dir, name), past(10), past(10));
      assert.equal((await importBundled(app))!.default, "first");
      const folder = join(
        process.env.TMPDIR!,
        readdirSync(process.env.TMPDIR!).find((name) => name.startsWith("frank-bundles-"))!,
      );
      const bundles = readdirSync(folder).filter((name) => name.endsWith(".mjs"));
      assert.equal(bundles.length, 1, "one bundle kept");
      const bundle = join(folder, bundles[0]);
      const kept = statSync(bundle);
      assert.equal(kept.mode & 0o777, 0o600);

      // The same files: the kept bundle is used, not rebuilt.
      await importBundled(app);
      assert.equal(statSync(bundle).ino, kept.ino, "the kept bundle was not replaced");

      // A changed imported file: built anew, with the new content.
      writeFileSync(join(dir, "value.ts"), "export const value: string = 'second, longer';\n");
      utimesSync(join(dir, "value.ts"), past(5), past(5));
      await importBundled(app);
      assert.notEqual(statSync(bundle).ino, kept.ino, "a changed file rebuilds the bundle");
      assert.match(readFileSync(bundle, "utf8"), /second, longer/);

      // A tsconfig.json appearing next to the app can change the build too.
      const before = statSync(bundle).ino;
      writeFileSync(join(dir, "tsconfig.json"), "{}\n");
      utimesSync(join(dir, "tsconfig.json"), past(5), past(5));
      await importBundled(app);
      assert.notEqual(statSync(bundle).ino, before, "a new tsconfig.json rebuilds the bundle");
    },
  ));

test("a cache folder that someone else can write to is not used", () =>
  withProject({ "app.ts": "export default 42;\n" }, async (dir) => {
    const folder = join(process.env.TMPDIR!, `frank-bundles-${process.getuid?.() ?? "user"}`);
    mkdirSync(folder, { mode: 0o777 });
    chmodSync(folder, 0o777);
    assert.equal((await importBundled(join(dir, "app.ts")))!.default, 42, "the app still loads");
    assert.deepEqual(readdirSync(folder), [], "nothing was written to the unsafe folder");
  }));
