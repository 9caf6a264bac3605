import { test } from "node:test";
import assert from "node:assert/strict";
import { Hono } from "hono";
import { hostAuthorization } from "./host-authorization.js";

const ok = () => new Response("ok");
const status = async (handler: (req: Request) => Response | Promise<Response>, host: string) =>
  (await handler(new Request("http://127.0.0.1:4567/", { headers: { host } }))).status;

test("loopback names are allowed by default, with or without a port", async () => {
  const guard = hostAuthorization()(ok);
  for (const host of [
    "localhost",
    "localhost:4567",
    "LOCALHOST:1",
    "127.0.0.1:4567",
    "[::1]:4567",
    "[::1]",
    "app.localhost:3000",
    "a.b.localhost",
    "localhost.",
  ]) {
    assert.equal(await status(guard, host), 200, host);
  }
});

test("other hosts get 403 Host not permitted", async () => {
  const guard = hostAuthorization()(ok);
  for (const host of [
    "evil.example",
    "evil.example:4567",
    "localhost.evil.example",
    "127.0.0.2",
    "notlocalhost",
    "[::2]:80",
  ]) {
    const res = await guard(new Request("http://127.0.0.1/", { headers: { host } }));
    assert.equal(res.status, 403, host);
    assert.match(await res.text(), /^Host not permitted/);
  }
});

test("allowedHosts adds exact names, domains with subdomains, and RegExps", async () => {
  const guard = hostAuthorization({ allowedHosts: ["myapp.test", ".dev.internal", /^review-\d+\.example$/] })(ok);
  assert.equal(await status(guard, "myapp.test:4567"), 200);
  assert.equal(await status(guard, "sub.myapp.test"), 403);
  assert.equal(await status(guard, "dev.internal"), 200);
  assert.equal(await status(guard, "a.dev.internal"), 200);
  assert.equal(await status(guard, "review-12.example"), 200);
  assert.equal(await status(guard, "review-x.example"), 403);
});

test("falls back to the URL's host when there is no Host header, and guards a Hono app", async () => {
  const hono = new Hono().get("/", (c) => c.text("hono"));
  const guard = hostAuthorization()(hono.fetch);
  assert.equal((await guard(new Request("http://localhost:4567/"))).status, 200);
  assert.equal((await guard(new Request("http://evil.example/"))).status, 403);
});
