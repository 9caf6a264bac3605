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

/** A page that gives the token, and an account that answers anything sent to it. */
function accountStack(options: Parameters<typeof protection>[0] = {}): Handler {
  return compose(
    cookieSession({ secret: SECRET }),
    protection(options),
  )((req) => new Response(req.method === "GET" ? authenticityToken(req) : "changed"));
}

/** The session cookie and token of a fresh session, and a way to send to its account. */
async function signedIn(
  site = accountStack(),
): Promise<{ cookie: string; token: string; send: (init: RequestInit) => Promise<Response> }> {
  const page = await site(new Request("http://localhost/form"));
  const token = await page.text();
  const cookie = page.headers.get("set-cookie")!.split(";")[0];
  const send = async (init: RequestInit) =>
    site(new Request("http://localhost/account", { method: "POST", ...init, headers: { cookie, ...init.headers } }));
  return { cookie, token, send };
}

test("with the session cookie, a request of no type or another type needs a token unless the browser says it is same-origin", async () => {
  const { token, send } = await signedIn();
  // What fetch(url, { method: "POST", mode: "no-cors", credentials: "include" }) sends from an old browser.
  assert.equal((await send({})).status, 403);
  assert.match(await (await send({})).text(), /session cookie but no authenticity token/);
  assert.equal((await send({ method: "DELETE" })).status, 403);
  assert.equal((await send({ body: "{}", headers: { "content-type": "application/json" } })).status, 403);
  // Same-origin by the browser's word, or the token in the header: accepted.
  assert.equal((await send({ headers: { origin: "http://localhost" } })).status, 200);
  assert.equal((await send({ headers: { "sec-fetch-site": "same-origin" } })).status, 200);
  assert.equal((await send({ headers: { "x-csrf-token": token } })).status, 200);
  // Without the session cookie there is nothing to forge.
  const anonymous = await accountStack()(new Request("http://localhost/account", { method: "POST" }));
  assert.equal(anonymous.status, 200);
});

test("another origin is refused even with a valid token; allowedOrigins and an https page over a TLS proxy are not", async () => {
  const { token, send } = await signedIn();
  const form = (headers: Record<string, string>) =>
    send({
      body: `title=x&authenticity_token=${token}`,
      headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    });
  for (const origin of ["http://127.0.0.1:9999", "http://localhost:8080", "https://evil.example", "null"]) {
    const res = await form({ origin });
    assert.equal(res.status, 403, origin);
    assert.match(await res.text(), /another origin/);
  }
  assert.equal((await form({ "sec-fetch-site": "same-site" })).status, 403);
  assert.equal((await form({ "sec-fetch-site": "cross-site" })).status, 403);
  assert.equal((await form({ origin: "http://localhost" })).status, 200);
  assert.equal((await form({ origin: "https://localhost" })).status, 200, "TLS ended by a proxy in front");
  assert.equal((await form({})).status, 200, "no Origin: the token decides");

  const allowing = await signedIn(accountStack({ allowedOrigins: ["https://app.example"] }));
  assert.equal((await allowing.send({ headers: { origin: "https://app.example" } })).status, 200);
  assert.equal((await allowing.send({ headers: { origin: "https://other.example" } })).status, 403);

  const tokensOnly = await signedIn(accountStack({ originCheck: false }));
  const crossWithToken = (token: string) =>
    tokensOnly.send({
      body: `authenticity_token=${token}`,
      headers: { origin: "https://evil.example", "content-type": "application/x-www-form-urlencoded" },
    });
  assert.equal((await crossWithToken(tokensOnly.token)).status, 200, "originCheck off: the token decides");
  assert.equal((await crossWithToken("forged")).status, 403);
});
