import { test } from "node:test";
import assert from "node:assert/strict";
import { Hono } from "hono";
import { cors } from "./cors.js";

const handler = () => new Response("data", { headers: { "x-total": "3" } });
const get = (origin?: string) => new Request("http://api.localhost/items", { headers: origin ? { origin } : {} });
const preflight = (origin: string, headers?: string) =>
  new Request("http://api.localhost/items", {
    method: "OPTIONS",
    headers: {
      origin,
      "access-control-request-method": "PUT",
      ...(headers ? { "access-control-request-headers": headers } : {}),
    },
  });

test("an allowed origin gets Allow-Origin, credentials, exposed headers and Vary: Origin", async () => {
  const h = cors({ origin: ["https://app.example"], credentials: true, exposeHeaders: ["X-Total"] })(handler);
  const res = await h(get("https://app.example"));
  assert.equal(res.headers.get("access-control-allow-origin"), "https://app.example");
  assert.equal(res.headers.get("access-control-allow-credentials"), "true");
  assert.equal(res.headers.get("access-control-expose-headers"), "X-Total");
  assert.equal(res.headers.get("vary"), "Origin");
  assert.equal(await res.text(), "data");
});

test("another origin gets no CORS headers but still Vary: Origin", async () => {
  const h = cors({ origin: "https://app.example" })(handler);
  const res = await h(get("https://evil.example"));
  assert.equal(res.headers.get("access-control-allow-origin"), null);
  assert.equal(res.headers.get("vary"), "Origin");
  const same = await h(get());
  assert.equal(same.headers.get("access-control-allow-origin"), null);
});

test("preflight answers 204 with methods, asked headers and max-age without calling the handler", async () => {
  let called = false;
  const h = cors({ origin: /^https:\/\/.*\.example$/, maxAge: 600 })(() => {
    called = true;
    return new Response("x");
  });
  const res = await h(preflight("https://a.example", "content-type, x-token"));
  assert.equal(res.status, 204);
  assert.equal(called, false);
  assert.equal(res.headers.get("access-control-allow-origin"), "https://a.example");
  assert.equal(res.headers.get("access-control-allow-methods"), "GET, HEAD, PUT, PATCH, POST, DELETE");
  assert.equal(res.headers.get("access-control-allow-headers"), "content-type, x-token");
  assert.equal(res.headers.get("access-control-max-age"), "600");
  assert.equal(res.headers.get("vary"), "Origin, Access-Control-Request-Headers");
});

test("a preflight from a disallowed origin goes to the handler, which can answer OPTIONS itself", async () => {
  const h = cors({ origin: "https://app.example" })(() => new Response(null, { status: 405 }));
  const res = await h(preflight("https://evil.example"));
  assert.equal(res.status, 405);
  assert.equal(res.headers.get("access-control-allow-origin"), null);
});

test('"*" allows everyone without Vary; "*" with credentials is refused at creation', async () => {
  const h = cors({ origin: "*", allowHeaders: ["Content-Type"] })(handler);
  const res = await h(get("https://any.example"));
  assert.equal(res.headers.get("access-control-allow-origin"), "*");
  assert.equal(res.headers.get("vary"), null);
  const pre = await h(preflight("https://any.example", "x-other"));
  assert.equal(pre.headers.get("access-control-allow-headers"), "Content-Type");
  assert.throws(() => cors({ origin: "*", credentials: true }), /credentials/);
});

test("a function decides per request, and a Hono app works behind it", async () => {
  const hono = new Hono().get("/items", (c) => c.json([1]));
  const h = cors({ origin: (origin) => origin.endsWith(".localhost") })(hono.fetch);
  const res = await h(get("http://web.localhost"));
  assert.equal(res.headers.get("access-control-allow-origin"), "http://web.localhost");
  assert.deepEqual(await res.json(), [1]);
});
