// Test timeout: 90 s: tsc checks an app in a fresh folder, then the launcher serves it.
// The README's "Add frank to your project", followed in an empty folder: frank as a dependency
// (linked, as `npm install ../frank` links it), the README's tsconfig.json checking the app, and
// `npx frank` serving it on a real socket.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { cleanEnv, ROOT } from "./support/launcher.js";

/** The tsconfig.json block of the README's "Add frank to your project" section. */
function readmeTsconfig(): string {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Add frank to your project"));
  const block = /```json\n([\s\S]*?)```/.exec(section);
  assert.ok(block, "the section has a tsconfig.json");
  return block[1];
}

test("a new project: install frank, check it with the README's tsconfig, serve it with npx frank", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "frank-project-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const modules = join(dir, "node_modules");
  mkdirSync(join(modules, ".bin"), { recursive: true });
  mkdirSync(join(modules, "@types"), { recursive: true });
  symlinkSync(ROOT, join(modules, "frank"), "dir");
  symlinkSync(join(ROOT, "bin", "frank.js"), join(modules, ".bin", "frank"));
  symlinkSync(join(ROOT, "node_modules", "typescript"), join(modules, "typescript"), "dir");
  symlinkSync(join(ROOT, "node_modules", "@types", "node"), join(modules, "@types", "node"), "dir");
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({ type: "module", scripts: { start: "frank" }, dependencies: { frank: "file:../frank" } }),
  );
  writeFileSync(join(dir, "tsconfig.json"), readmeTsconfig());
  writeFileSync(
    join(dir, "routes.ts"),
    `import type { App } from "frank";\nexport function routes(app: App) {\n  app.get("/hello/:name", (c) => \`Hello \${c.params.name}\`);\n}\n`,
  );
  writeFileSync(
    join(dir, "app.ts"),
    `import { App } from "frank";\nimport { routes } from "./routes.js";\nconst app = new App();\nroutes(app);\nexport default app;\n`,
  );

  const tsc = join(modules, "typescript", "bin", "tsc");
  const checked = spawnSync(process.execPath, [tsc, "-p", dir], { encoding: "utf8" });
  assert.equal(checked.status, 0, checked.stdout + checked.stderr);
  writeFileSync(
    join(dir, "wrong.ts"),
    `import { App } from "frank";\nnew App().get("/:id", (c) => c.params.id.toFixed());\n`,
  );
  const wrong = spawnSync(process.execPath, [tsc, "-p", dir], { encoding: "utf8" });
  assert.notEqual(wrong.status, 0, "the checker is really checking");
  assert.match(wrong.stdout, /toFixed/);
  rmSync(join(dir, "wrong.ts"));

  const npx = spawn("npx", ["--no-install", "frank", "-o", "127.0.0.1", "-p", "0", "--no-reload"], {
    cwd: dir,
    env: { ...cleanEnv(), npm_config_update_notifier: "false" },
    detached: true, // its own process group: npx and the frank it starts stop together
  });
  const exited = new Promise((resolve) => npx.once("exit", resolve));
  t.after(async () => {
    if (npx.exitCode === null) process.kill(-npx.pid!, "SIGTERM");
    await exited;
  });
  let output = "";
  const url = await new Promise<string>((resolve) => {
    const collect = (chunk: Buffer) => {
      output += chunk;
      const found = /^ {3}(http:\/\/\S+\/)\n/m.exec(output);
      if (found) resolve(found[1]);
    };
    npx.stdout.on("data", collect);
    npx.stderr.on("data", collect);
    npx.on("exit", () => resolve(""));
  });
  assert.ok(url, output);
  assert.equal(await (await fetch(`${url}hello/frank`)).text(), "Hello frank");
});
