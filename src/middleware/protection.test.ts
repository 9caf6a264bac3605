import { test } from "node:test";
import assert from "node:assert/strict";
import { Hono } from "hono";
import { compose } from "../http/compose.js";
import type { Handler } from "../http/types.js";
import { cookieSession } from "./cookie-session.js";
import { methodOverride } from "./method-override.js";
import { protection, authenticityToken } from "./protection.js";

const SECRET = "s".repeat(40);

test("security headers are added and never override the handler's own", async () => {
  const h = protection()(() => new Response("ok", { headers: { "x-frame-options": "DENY" } }));
  const res = await h(new Request("http://localhost/"));
  assert.equal(res.headers.get("x-content-type-options"), "nosniff");
  assert.equal(res.headers.get("x-frame-options"), "DENY");
  assert.equal(res.headers.get("referrer-policy"), "strict-origin-when-cross-origin");
  assert.equal(res.headers.get("content-security-policy"), null);
  assert.equal(res.headers.get("strict-transport-security"), null);
});

test("CSP and HSTS are opt-in; headers can be turned off", async () => {
  const h = protection({
    contentSecurityPolicy: "default-src 'self'",
    hsts: { maxAge: 600, includeSubDomains: true },
    frameOptions: false,
    referrerPolicy: "no-referrer",
  })(() => Response.redirect("http://localhost/x"));
  const res = await h(new Request("http://localhost/"));
  assert.equal(res.headers.get("content-security-policy"), "default-src 'self'");
  assert.equal(res.headers.get("strict-transport-security"), "max-age=600; includeSubDomains");
  assert.equal(res.headers.get("x-frame-options"), null);
  assert.equal(res.headers.get("referrer-policy"), "no-referrer");
  const hsts = await protection({ hsts: true })(() => new Response(""))(new Request("http://localhost/"));
  assert.equal(hsts.headers.get("strict-transport-security"), "max-age=31536000");
});

// A form page that embeds the token, and a handler for its submission.
const app: Handler = async (req) => {
  if (req.method === "GET") return new Response(authenticityToken(req));
  return new Response(`${req.method} ok: ${(await req.formData()).get("title")}`);
};
const stack = compose(cookieSession({ secret: SECRET }), protection())(app);

async function tokenAndCookie(): Promise<{ token: string; cookie: string }> {
  const res = await stack(new Request("http://localhost/form"));
  return { token: await res.text(), cookie: res.headers.get("set-cookie")!.split(";")[0] };
}

const submit = (cookie: string | undefined, body: string, headers: Record<string, string> = {}) =>
  stack(
    new Request("http://localhost/posts", {
      method: "POST",
      body,
      headers: { "content-type": "application/x-www-form-urlencoded", ...(cookie ? { cookie } : {}), ...headers },
    }),
  );

test("a form post with the token from the page passes, and the body is still readable", async () => {
  const { token, cookie } = await tokenAndCookie();
  const res = await submit(cookie, `title=hi&authenticity_token=${token}`);
  assert.equal(res.status, 200);
  assert.equal(await res.text(), "POST ok: hi");
});

test("tokens are masked afresh each time and all of them verify", async () => {
  const res1 = await stack(new Request("http://localhost/form"));
  const cookie = res1.headers.get("set-cookie")!.split(";")[0];
  const token1 = await res1.text();
  const token2 = await (await stack(new Request("http://localhost/form", { headers: { cookie } }))).text();
  assert.notEqual(token1, token2);
  for (const token of [token1, token2])
    assert.equal((await submit(cookie, `title=x&authenticity_token=${token}`)).status, 200);
});

test("a missing, wrong, or other session's token is 403", async () => {
  const { token, cookie } = await tokenAndCookie();
  const other = await tokenAndCookie();
  assert.equal((await submit(cookie, "title=hi")).status, 403);
  assert.equal((await submit(cookie, "title=hi&authenticity_token=bogus")).status, 403);
  assert.equal((await submit(cookie, `title=hi&authenticity_token=${other.token}`)).status, 403);
  assert.equal((await submit(undefined, `title=hi&authenticity_token=${token}`)).status, 403);
  const forbidden = await submit(cookie, "title=hi");
  assert.match(await forbidden.text(), /authenticity token/);
  assert.equal(forbidden.headers.get("x-content-type-options"), "nosniff");
});

test("the X-CSRF-Token header works, for text/plain and multipart too", async () => {
  const { token, cookie } = await tokenAndCookie();
  assert.equal((await submit(cookie, "title=h", { "x-csrf-token": token })).status, 200);
  const plain = await stack(
    new Request("http://localhost/p", {
      method: "DELETE",
      body: "x",
      headers: { "content-type": "text/plain", cookie },
    }),
  );
  assert.equal(plain.status, 403);
  const form = new FormData();
  form.set("title", "m");
  form.set("authenticity_token", token);
  const multipart = await stack(new Request("http://localhost/p", { method: "PUT", body: form, headers: { cookie } }));
  assert.equal(await multipart.text(), "PUT ok: m");
});

test("JSON posts (which need a CORS preflight cross-site) and safe methods are not checked", async () => {
  const json = compose(cookieSession({ secret: SECRET }), protection())(() => new Response("ok"));
  const res = await json(
    new Request("http://localhost/api", {
      method: "POST",
      body: "{}",
      headers: { "content-type": "application/json" },
    }),
  );
  assert.equal(res.status, 200);
  assert.equal((await json(new Request("http://localhost/?x=1"))).status, 200);
});

test("without sessions there is nothing to check; with methodOverride the override is checked too", async () => {
  const noSessions = protection()(() => new Response("ok"));
  assert.equal(
    (
      await noSessions(
        new Request("http://localhost/", {
          method: "POST",
          body: "a=1",
          headers: { "content-type": "application/x-www-form-urlencoded" },
        }),
      )
    ).status,
    200,
  );

  const overridden = compose(
    cookieSession({ secret: SECRET }),
    methodOverride(),
    protection(),
  )(async (req) => new Response(req.method));
  const res = await overridden(
    new Request("http://localhost/", {
      method: "POST",
      body: "_method=DELETE",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    }),
  );
  assert.equal(res.status, 403);
});

test("guards a Hono app", async () => {
  const hono = new Hono().post("/", (c) => c.text("posted"));
  const h = compose(cookieSession({ secret: SECRET }), protection())(hono.fetch);
  const res = await h(
    new Request("http://localhost/", {
      method: "POST",
      body: "a=1",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    }),
  );
  assert.equal(res.status, 403);
  assert.equal(
    (
      await h(
        new Request("http://localhost/", {
          method: "POST",
          body: "{}",
          headers: { "content-type": "application/json" },
        }),
      )
    ).status,
    200,
  );
});
