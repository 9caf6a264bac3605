import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { moduleGraph, watchSet } from "./module-graph.js";

test("the watch set is the app's own imports, its views folder and .env files; not packages or other files", async () => {
  const dir = mkdtempSync(join(tmpdir(), "frank-graph-"));
  try {
    mkdirSync(join(dir, "lib"));
    mkdirSync(join(dir, "views"));
    writeFileSync(
      join(dir, "app.ts"),
      `import { a } from "./lib/a.js";\nimport "node:fs";\nimport "yaml";\nexport default a;\n`,
    );
    writeFileSync(join(dir, "lib", "a.ts"), `import b from "./b.mjs";\nexport const a = b;\n`);
    writeFileSync(join(dir, "lib", "b.mjs"), `export default 1;\n`);
    writeFileSync(join(dir, "lib", "unused.ts"), `export {};\n`);
    writeFileSync(join(dir, ".env"), "A=1\n");
    writeFileSync(join(dir, "server.log"), "");
    const set = await watchSet(join(dir, "app.ts"), { settings: { root: dir } });
    assert.deepEqual(set.files.map((file) => file.slice(dir.length + 1)).sort(), [
      ".env",
      "app.ts",
      "lib/a.ts",
      "lib/b.mjs",
    ]);
    assert.deepEqual(set.folders, [join(dir, "views")]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a file that does not build still names itself and the file with the error", async () => {
  const dir = mkdtempSync(join(tmpdir(), "frank-graph-"));
  try {
    writeFileSync(join(dir, "app.ts"), `import "./broken.js";\n`);
    writeFileSync(join(dir, "broken.ts"), `export const = ;\n`);
    assert.deepEqual((await moduleGraph(join(dir, "app.ts"))).sort(), [join(dir, "app.ts"), join(dir, "broken.ts")]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
