import { test } from "node:test";
import assert from "node:assert/strict";
import { Hono } from "hono";
import { cookieSession, getSession, findSession } from "./cookie-session.js";
import type { Handler } from "../http/types.js";

const SECRET = "a".repeat(32) + "-first-secret";
const OLD_SECRET = "b".repeat(32) + "-older-secret";

// GET /count increments a counter; GET /peek reads it; GET /clear empties the session.
const counter: Handler = (req) => {
  const session = getSession(req);
  const path = new URL(req.url).pathname;
  if (path === "/count") session.count = ((session.count as number | undefined) ?? 0) + 1;
  if (path === "/clear") for (const key of Object.keys(session)) delete session[key];
  return new Response(String(session.count ?? 0));
};

function cookieOf(res: Response): string | undefined {
  return res.headers.get("set-cookie")?.split(";")[0];
}

async function call(handler: Handler, path: string, cookie?: string, url = "http://localhost") {
  return handler(new Request(url + path, { headers: cookie ? { cookie } : {} }));
}

test("a changed session is written as an HttpOnly, SameSite=Lax cookie and read back", async () => {
  const h = cookieSession({ secret: SECRET })(counter);
  const first = await call(h, "/count");
  const setCookie = first.headers.get("set-cookie") ?? "";
  assert.match(setCookie, /^frank\.session=[A-Za-z0-9_-]+; Path=\/; HttpOnly; SameSite=Lax$/);
  assert.equal(await first.text(), "1");
  const second = await call(h, "/count", cookieOf(first));
  assert.equal(await second.text(), "2");
});

test("the cookie is encrypted: its value does not contain the data", async () => {
  const h = cookieSession({ secret: SECRET })((req) => {
    getSession(req).user = "alice@example.test";
    return new Response("ok");
  });
  const value = cookieOf(await call(h, "/"))!.split("=")[1];
  assert.doesNotMatch(Buffer.from(value, "base64url").toString("latin1"), /alice/);
  assert.doesNotMatch(value, /alice/);
});

test("no Set-Cookie when the session was only read or not touched", async () => {
  const h = cookieSession({ secret: SECRET })(counter);
  const cookie = cookieOf(await call(h, "/count"));
  const peek = await call(h, "/peek", cookie);
  assert.equal(await peek.text(), "1");
  assert.equal(peek.headers.get("set-cookie"), null);
  assert.equal((await call(h, "/peek")).headers.get("set-cookie"), null);
});

test("tampered, garbage, or foreign cookies are an empty session and are removed", async () => {
  const h = cookieSession({ secret: SECRET })(counter);
  const value = cookieOf(await call(h, "/count"))!.split("=")[1];
  const flipped = value.slice(0, 20) + (value[20] === "A" ? "B" : "A") + value.slice(21);
  const foreign = cookieOf(await call(cookieSession({ secret: OLD_SECRET + "x" })(counter), "/count"))!.split("=")[1];
  for (const bad of [flipped, "garbage", "", "%%%", "AAAA", foreign]) {
    const res = await call(h, "/peek", `frank.session=${bad}`);
    assert.equal(res.status, 200, bad);
    assert.equal(await res.text(), "0", bad);
    assert.match(res.headers.get("set-cookie") ?? "", /^frank\.session=; .*Max-Age=0/, bad);
  }
});

test("a cookie cannot be replayed under another cookie name", async () => {
  const a = cookieSession({ secret: SECRET, name: "a" })(counter);
  const b = cookieSession({ secret: SECRET, name: "b" })(counter);
  const value = cookieOf(await call(a, "/count"))!.split("=")[1];
  assert.equal(await (await call(b, "/peek", `b=${value}`)).text(), "0");
});

test("rotation: the first secret encrypts, all decrypt", async () => {
  const old = cookieSession({ secret: OLD_SECRET })(counter);
  const rotated = cookieSession({ secret: [SECRET, OLD_SECRET] })(counter);
  const newOnly = cookieSession({ secret: SECRET })(counter);
  const oldCookie = cookieOf(await call(old, "/count"));
  const res = await call(rotated, "/count", oldCookie);
  assert.equal(await res.text(), "2");
  assert.equal(await (await call(newOnly, "/peek", cookieOf(res))).text(), "2");
});

test("SESSION_SECRET is read as a comma-separated list", async () => {
  const saved = process.env.SESSION_SECRET;
  try {
    process.env.SESSION_SECRET = `${OLD_SECRET}`;
    const cookie = cookieOf(await call(cookieSession()(counter), "/count"));
    process.env.SESSION_SECRET = ` ${SECRET} , ${OLD_SECRET} `;
    assert.equal(await (await call(cookieSession()(counter), "/peek", cookie)).text(), "1");
  } finally {
    if (saved === undefined) delete process.env.SESSION_SECRET;
    else process.env.SESSION_SECRET = saved;
  }
});

test("without a secret: development warns and uses a random one, test is quiet, production refuses", () => {
  const saved = process.env.SESSION_SECRET;
  delete process.env.SESSION_SECRET;
  try {
    const warnings: string[] = [];
    const logger = { warn: (m: string) => warnings.push(m) };
    cookieSession({ environment: "development", logger });
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /SESSION_SECRET/);
    cookieSession({ environment: "test", logger });
    assert.equal(warnings.length, 1);
    assert.throws(() => cookieSession({ environment: "production" }), /SESSION_SECRET in production/);
    assert.throws(() => cookieSession({ environment: "staging" }), /SESSION_SECRET in staging/);
    assert.throws(() => cookieSession({ secret: "short" }), /too short/);
  } finally {
    if (saved !== undefined) process.env.SESSION_SECRET = saved;
  }
});

test("clearing the session expires the cookie", async () => {
  const h = cookieSession({ secret: SECRET })(counter);
  const cookie = cookieOf(await call(h, "/count"));
  const res = await call(h, "/clear", cookie);
  assert.match(res.headers.get("set-cookie") ?? "", /^frank\.session=; Path=\/; HttpOnly; SameSite=Lax; Max-Age=0$/);
});

test("maxAge, Secure, and server-side expiry inside the cookie", async (t) => {
  const h = cookieSession({ secret: SECRET, maxAge: 60, secure: true, domain: "example.test" })(counter);
  const res = await call(h, "/count");
  assert.match(res.headers.get("set-cookie") ?? "", /; Domain=example\.test; Max-Age=60; Secure$/);
  const https = await call(cookieSession({ secret: SECRET })(counter), "/count", undefined, "https://localhost");
  assert.match(https.headers.get("set-cookie") ?? "", /; Secure$/);

  t.mock.timers.enable({ apis: ["Date"], now: Date.now() });
  const cookie = cookieOf(await call(h, "/count"));
  t.mock.timers.tick(59_000);
  assert.equal(await (await call(h, "/peek", cookie)).text(), "1");
  t.mock.timers.tick(2_000);
  assert.equal(await (await call(h, "/peek", cookie)).text(), "0");
});

test("a session too large for a cookie is an error that says so", async () => {
  const h = cookieSession({ secret: SECRET })((req) => {
    getSession(req).blob = "x".repeat(5000);
    return new Response("ok");
  });
  await assert.rejects(call(h, "/"), /store less in the session/);
});

test("getSession throws without the middleware; findSession is undefined", () => {
  const req = new Request("http://localhost/");
  assert.throws(() => getSession(req), /turn sessions on/);
  assert.equal(findSession(req), undefined);
});

test("works with a Hono app through c.req.raw and on immutable responses", async () => {
  const hono = new Hono().get("/", (c) => {
    getSession(c.req.raw).seen = true;
    return c.redirect("/next");
  });
  const h = cookieSession({ secret: SECRET })(hono.fetch);
  const res = await h(new Request("http://localhost/"));
  assert.equal(res.status, 302);
  assert.ok(res.headers.get("set-cookie"));
  const redirect = cookieSession({ secret: SECRET })((req) => {
    getSession(req).x = 1;
    return Response.redirect("http://localhost/", 303);
  });
  assert.ok((await redirect(new Request("http://localhost/"))).headers.get("set-cookie"));
});
