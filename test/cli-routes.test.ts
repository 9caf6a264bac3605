// Test timeout: 60 s: one launcher process per case.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { describe, it } from "node:test";
import { promisify } from "node:util";

const run = promisify(execFile);
const FRANK = new URL("../bin/frank.js", import.meta.url).pathname;
const APP = new URL("./fixtures/routes/app.ts", import.meta.url).pathname;

describe("frank routes", () => {
  it("prints the route table in matching order with conditions, without the implicit HEAD twins", async () => {
    const { stdout } = await run(process.execPath, [FRANK, "routes", APP]);
    const lines = stdout.trim().split("\n");
    assert.match(lines[0], /^METHOD\s+PATTERN\s+CONDITIONS$/);
    assert.match(lines[1], /^GET\s+\/\s*$/);
    assert.match(lines[2], /^GET\s+\/api\/users\/:id\s+provides: \["json"\]$/);
    assert.match(lines[3], /^POST\s+\/upload\s+agent: \/curl\/$/);
    assert.match(lines[4], /^PROPFIND\s+\/\\\/dav\\\/\(\.\*\)\/$/);
    assert.equal(lines.length, 5);
  });

  it("prints JSON for machines", async () => {
    const { stdout } = await run(process.execPath, [FRANK, "routes", APP, "--json"]);
    const rows = JSON.parse(stdout);
    assert.deepEqual(rows[1], { method: "GET", pattern: "/api/users/:id", conditions: 'provides: ["json"]' });
  });

  it("explains a file that is not a frank App, and rejects unknown options with status 2", async () => {
    const hono = new URL("./fixtures/apps/hono/app.ts", import.meta.url).pathname;
    const notFrank = await run(process.execPath, [FRANK, "routes", hono]).catch((error) => error);
    assert.equal(notFrank.code, 1);
    assert.match(notFrank.stderr, /without a route table/);
    const unknown = await run(process.execPath, [FRANK, "routes", "--shiny"]).catch((error) => error);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /Unknown option '--shiny'/);
  });
});
