// The examples answer as their comments promise, in process (no socket).
import { test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import seed from "../../examples/seed/app.js";
import hello from "../../examples/hello/app.js";

test("the seed app redirects / to /index.html and serves it from its public folder", async () => {
  // The launcher makes the app file's folder the root; in process the test does it.
  seed.set("root", fileURLToPath(new URL("../../examples/seed/", import.meta.url)));
  const root = await seed.request("/");
  assert.equal(root.status, 302);
  assert.match(root.headers.get("location") ?? "", /\/index\.html$/);
  const page = await seed.request("/index.html");
  assert.equal(page.status, 200);
  assert.match(page.headers.get("content-type") ?? "", /^text\/html/);
  assert.match(await page.text(), /<h1 id="greeting">Hello from frank!<\/h1>/);
});

test("the hello app greets by name, as plain text", async () => {
  const greeting = await hello.request("/hello/frank");
  assert.equal(greeting.status, 200);
  assert.match(greeting.headers.get("content-type") ?? "", /^text\/plain/);
  assert.equal(await greeting.text(), "Hello frank!");
  const hostile = await hello.request("/hello/%3Cb%3E");
  assert.equal(await hostile.text(), "Hello <b>!");
  assert.match(hostile.headers.get("content-type") ?? "", /^text\/plain/);
});
