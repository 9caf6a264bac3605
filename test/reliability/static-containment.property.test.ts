// Test timeout: 60 s: generated paths through the whole App, more under load.
// Through the whole App, in-process (app.request, no socket): no generated path, whether it
// reaches the public folder or a `sendFile` route fed from a splat, brings back a byte of the
// secret that sits beside the folder, in dotfiles inside it and behind symlinks that lead out.
// Fast, so `npm test` runs it too; FRANK_PROPERTY_RUNS raises the number of cases.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { App } from "../../src/index.js";
import { createPublicFixture, SECRET, type PublicFixture } from "./support/public-fixture.js";

const numRuns = Number(process.env.FRANK_PROPERTY_RUNS) || 300;
let fixture: PublicFixture;
let app: App;

before(() => {
  fixture = createPublicFixture();
  app = new App();
  // root is the folder too: c.sendFile resolves a relative path against the app's root.
  app.set({ environment: "production", root: fixture.folder, publicFolder: fixture.folder, dumpErrors: false });
  app.get("/download/*", (c) => c.sendFile(c.params.splat[0], { root: fixture.folder }));
});
after(() => fixture?.remove());

const piece = fc.oneof(
  fc.constantFrom(
    "/",
    "..",
    ".",
    "%2e",
    "%2E%2E",
    ".%2e",
    "%252e%252e",
    "%2f",
    "%2F",
    "%252f",
    "\\",
    "%5c",
    "%5C",
    "%c0%ae",
    "%c0%af",
    "%e0%80%ae",
    "%f0%80%80%ae",
    "%00",
    "//",
    "%3f",
    "%23",
    ";",
    "%u002e",
    "%ef%bc%8e",
  ),
  fc.constantFrom(
    "secret.txt",
    "public-sibling",
    "public",
    "outside-link.txt",
    "outside-dir",
    ".env",
    ".git",
    "config",
    ".well-known",
    "hello.txt",
    "css",
    ".hidden",
  ),
  fc.string({ unit: "binary", maxLength: 6 }),
);
const hostilePath = fc.array(piece, { minLength: 1, maxLength: 12 }).map((pieces) => pieces.join(""));

async function requestOrSkip(path: string): Promise<Response | undefined> {
  try {
    return await app.request(path);
  } catch (error) {
    if (error instanceof TypeError && /Invalid URL/i.test(error.message)) return undefined; // the client could not even form it
    throw error;
  }
}

test("no path through the App, to the public folder or a sendFile route, leaks the secret", async () => {
  await fc.assert(
    fc.asyncProperty(hostilePath, fc.constantFrom("/", "/download/", "/css/"), async (path, prefix) => {
      const res = await requestOrSkip(prefix + path);
      if (res === undefined) return;
      const body = Buffer.from(await res.arrayBuffer()).toString("latin1");
      assert.ok(!body.includes(SECRET), `${JSON.stringify(prefix + path)} leaked the secret`);
      assert.ok([200, 301, 400, 404].includes(res.status), `${JSON.stringify(prefix + path)} answered ${res.status}`);
    }),
    { numRuns },
  );
});

test("the App does serve the folder and the sendFile route, so the refusals above mean something", async () => {
  assert.equal(await (await app.request("/hello.txt")).text(), "hello from the public folder\n");
  assert.equal((await app.request("/download/css/site.css")).status, 200);
  assert.equal((await app.request("/.well-known/security.txt")).status, 200);
});
