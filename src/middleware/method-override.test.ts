import { test } from "node:test";
import assert from "node:assert/strict";
import { Hono } from "hono";
import { methodOverride } from "./method-override.js";

const echo = methodOverride()(async (req) => new Response(`${req.method} ${await req.text()}`));
const post = (body: BodyInit | null, headers: Record<string, string> = {}) =>
  new Request("http://localhost/posts/1", { method: "POST", body, headers });

test("a urlencoded _method field turns POST into DELETE and the body stays readable", async () => {
  const res = await echo(post("_method=delete&title=x", { "content-type": "application/x-www-form-urlencoded" }));
  assert.equal(await res.text(), "DELETE _method=delete&title=x");
});

test("a multipart _method field works", async () => {
  const form = new FormData();
  form.set("_method", "PUT");
  form.set("name", "n");
  const res = await methodOverride()(
    async (req) => new Response(`${req.method} ${(await req.formData()).get("name")}`),
  )(new Request("http://localhost/", { method: "POST", body: form }));
  assert.equal(await res.text(), "PUT n");
});

test("the X-HTTP-Method-Override header works without a form", async () => {
  const res = await echo(post("{}", { "x-http-method-override": "patch", "content-type": "application/json" }));
  assert.equal(await res.text(), "PATCH {}");
});

test("only POST is overridden, and never to a safe or unknown method", async () => {
  const get = await echo(
    new Request("http://localhost/?_method=delete", { headers: { "x-http-method-override": "DELETE" } }),
  );
  assert.equal(await get.text(), "GET ");
  for (const method of ["GET", "HEAD", "OPTIONS", "TRACE", "CONNECT", "BREW"]) {
    const res = await echo(post(`_method=${method}`, { "content-type": "application/x-www-form-urlencoded" }));
    assert.equal((await res.text()).split(" ")[0], "POST", method);
  }
});

test("a JSON body's _method key is ignored, and a plain POST passes untouched", async () => {
  const res = await echo(post('{"_method":"DELETE"}', { "content-type": "application/json" }));
  assert.equal(await res.text(), 'POST {"_method":"DELETE"}');
  assert.equal(await (await echo(post(null))).text(), "POST ");
});

test("custom methods list, and a Hono app routes the overridden method", async () => {
  const hono = new Hono().delete("/posts/1", (c) => c.text("deleted")).post("/posts/1", (c) => c.text("created"));
  const h = methodOverride()(hono.fetch);
  assert.equal(
    await (await h(post("_method=DELETE", { "content-type": "application/x-www-form-urlencoded" }))).text(),
    "deleted",
  );
  const onlyPut = methodOverride({ methods: ["PUT"] })(hono.fetch);
  assert.equal(
    await (await onlyPut(post("_method=DELETE", { "content-type": "application/x-www-form-urlencoded" }))).text(),
    "created",
  );
});
