// Test timeout: 120 s: npm pack, npm ci of an app from the registry, frank build, and three frank processes.
// The production install of an app that uses frank: `npm ci --omit=dev` of an app depending on
// frank packed as published stays within 5 MB and 10 packages, and what it installs is enough to
// run compiled JavaScript, and a TypeScript app built ahead with `frank build`; without that
// build, a TypeScript app is refused with a message that names the package to install.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { httpGet } from "./support/http.js";
import { FRANK_ROOT, type InstalledApp, installApp, packFrank } from "./support/install-size.js";
import { freePort } from "./support/ports.js";
import { waitFor } from "./support/wait.js";

const MAX_BYTES = 5_000_000;
const MAX_PACKAGES = 10;

const APP_JS = `import { App } from "frank";
const app = new App();
app.get("/hello", () => "hello from JavaScript");
export default app;
`;
const APP_TS = `import { App } from "frank";
import { greeting } from "./greeting.ts";
const app = new App();
app.get("/hello", () => greeting("TypeScript"));
export default app;
`;
const GREETING_TS = `export function greeting(who: string): string {
  return \`hello from \${who}\`;
}
`;

/** Starts installed frank on `file` in production and returns its first answer, then stops it. */
async function serveOnce(dir: string, file: string): Promise<{ body: string; output: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(dir, "node_modules/frank/bin/frank.js"), file, "-q"], {
    cwd: dir,
    env: { ...process.env, APP_ENV: "production", PORT: String(port), HOST: "127.0.0.1", TMPDIR: dir },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise((resolve) => child.once("exit", resolve));
  try {
    const answer = await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`frank exited: ${output}`);
        return httpGet(`http://127.0.0.1:${port}/hello`);
      },
      { description: `frank ${file} to answer`, timeoutMs: 30_000 },
    );
    assert.equal(answer.status, 200, output);
    return { body: answer.body, output };
  } finally {
    child.kill("SIGTERM");
    await exited;
  }
}

describe("the production install", () => {
  let work: string;
  let installed: InstalledApp;

  before(() => {
    work = mkdtempSync(join(tmpdir(), "frank-pack-"));
    installed = installApp(packFrank(work));
  });
  after(() => {
    rmSync(work, { recursive: true, force: true });
    if (installed) rmSync(installed.dir, { recursive: true, force: true });
  });

  test(`npm ci --omit=dev of an app using frank: at most ${MAX_BYTES / 1e6} MB and ${MAX_PACKAGES} packages`, (t) => {
    t.diagnostic(`packages (${installed.packages.length}): ${installed.packages.join(", ")}`);
    t.diagnostic(
      `size: ${(installed.bytes / 1e6).toFixed(2)} MB of files, ${(installed.diskBytes / 1e6).toFixed(2)} MB on disk`,
    );
    assert.ok(installed.packages.includes("frank"));
    assert.ok(installed.packages.length <= MAX_PACKAGES, installed.packages.join(", "));
    assert.ok(installed.bytes <= MAX_BYTES, `${installed.bytes} bytes`);
    for (const heavy of ["esbuild", "tsx", "kubernetes-models"])
      assert.ok(!installed.packages.includes(heavy), `${heavy} is not installed for production`);
  });

  test("it runs a compiled JavaScript app", async () => {
    writeFileSync(join(installed.dir, "app.js"), APP_JS);
    assert.equal((await serveOnce(installed.dir, "app.js")).body, "hello from JavaScript");
  });

  test("a TypeScript app without a build is refused at start, naming the package that is missing", () => {
    writeFileSync(join(installed.dir, "app.ts"), APP_TS);
    writeFileSync(join(installed.dir, "greeting.ts"), GREETING_TS);
    const result = spawnSync(process.execPath, [join(installed.dir, "node_modules/frank/bin/frank.js"), "app.ts"], {
      cwd: installed.dir,
      env: { ...process.env, APP_ENV: "production", TMPDIR: installed.dir },
      encoding: "utf8",
      timeout: 30_000,
    });
    assert.equal(result.status, 1, result.stderr);
    assert.match(
      result.stderr,
      /^frank: app\.ts is TypeScript: .*needs the package esbuild, which is not installed: npm install --save-dev esbuild$/m,
    );
  });

  test("a TypeScript app built with frank build starts from its build, with no esbuild installed", async () => {
    writeFileSync(join(installed.dir, "app.ts"), APP_TS);
    writeFileSync(join(installed.dir, "greeting.ts"), GREETING_TS);
    // The build stage of an image has the devDependencies: this checkout's frank, with esbuild.
    const build = spawnSync(process.execPath, [join(FRANK_ROOT, "bin/frank.js"), "build", "app.ts"], {
      cwd: installed.dir,
      encoding: "utf8",
      timeout: 60_000,
    });
    assert.equal(build.status, 0, build.stderr);
    assert.ok(existsSync(join(installed.dir, ".frank/app.mjs")));
    assert.equal((await serveOnce(installed.dir, "app.ts")).body, "hello from TypeScript");

    // A change to a file the build came from makes it stale: frank will not serve old code.
    writeFileSync(join(installed.dir, "greeting.ts"), GREETING_TS.replace("hello", "hi"));
    const stale = spawnSync(process.execPath, [join(installed.dir, "node_modules/frank/bin/frank.js"), "app.ts"], {
      cwd: installed.dir,
      env: { ...process.env, APP_ENV: "production", TMPDIR: installed.dir },
      encoding: "utf8",
      timeout: 30_000,
    });
    assert.equal(stale.status, 1);
    assert.match(stale.stderr, /npm install --save-dev esbuild/);
  });
});
