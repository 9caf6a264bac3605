// One Content-Type for one kind of file, whichever way it leaves: a file from the public folder,
// `c.sendFile`, `c.attachment` or `c.type(name)` all answer with the header withCharset decides.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { App } from "./app.js";

const EXTENSIONS = ["css", "html", "js", "txt", "xml", "svg", "json", "png"];
const app = new App();
app.get("/typed/:name", (c) => {
  c.type(c.params.name);
  return "x";
});
app.get("/attached/:name", (c) => {
  c.attachment(`file.${c.params.name}`);
  return "x";
});
app.get("/sent/:name", (c) => c.sendFile(`public/file.${c.params.name}`));

// The folder is made in before(), not at import: see show-exceptions.test.ts.
let root = "";
before(() => {
  root = mkdtempSync(join(tmpdir(), "frank-content-type-"));
  mkdirSync(join(root, "public"));
  for (const extension of EXTENSIONS) writeFileSync(join(root, "public", `file.${extension}`), "x");
  app.set({ environment: "production", root, dumpErrors: false });
});
after(() => rmSync(root, { recursive: true, force: true }));

test("a public file, sendFile, attachment and c.type() give one Content-Type per kind of file", async () => {
  for (const extension of EXTENSIONS) {
    const served = (await app.request(`/file.${extension}`)).headers.get("content-type");
    assert.ok(served, `file.${extension} has a content type`);
    for (const route of ["typed", "attached", "sent"]) {
      const res = await app.request(`/${route}/${extension}`);
      assert.equal(res.headers.get("content-type"), served, `${route} ${extension}`);
    }
  }
});

test("the rule itself: text and XML types name utf-8, JSON and binary types nothing", async () => {
  const typeOf = async (extension: string) => (await app.request(`/file.${extension}`)).headers.get("content-type");
  assert.equal(await typeOf("css"), "text/css;charset=utf-8");
  assert.equal(await typeOf("svg"), "image/svg+xml;charset=utf-8");
  assert.equal(await typeOf("json"), "application/json");
  assert.equal(await typeOf("png"), "image/png");
});
