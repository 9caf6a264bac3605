import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Hono } from "hono";
import { Builder } from "../http/builder.js";
import { HttpError } from "../http/http-error.js";
import { getRequestId, requestId } from "../middleware/request-id.js";
import { App } from "./app.js";
import { logError } from "./internal-methods.js";
import { reply } from "./result.js";

function testApp(): App {
  const app = new App();
  app.set({ environment: "production", dumpErrors: false, publicFolder: false });
  return app;
}

describe("routes", () => {
  it("answers every verb and route()", async () => {
    const app = testApp();
    for (const verb of ["post", "put", "patch", "delete", "options", "link", "unlink"] as const) {
      app[verb]("/thing", () => verb);
    }
    app.route("PROPFIND", "/thing", () => "propfind");
    for (const verb of ["post", "put", "patch", "delete", "options", "link", "unlink"]) {
      const res = await app.request("/thing", { method: verb.toUpperCase() });
      assert.equal(res.status, 200);
      assert.equal(await res.text(), verb);
    }
    assert.equal(await (await app.request("/thing", { method: "PROPFIND" })).text(), "propfind");
  });

  it("get also answers HEAD, with the headers and no body", async () => {
    const app = testApp();
    app.get("/", (c) => {
      c.header("x-kind", "hello");
      return "hello";
    });
    const res = await app.request("/", { method: "HEAD" });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("x-kind"), "hello");
    assert.equal(res.headers.get("content-type"), "text/html;charset=utf-8");
    assert.equal(await res.text(), "");
    assert.equal(app.routes().length, 1, "the implicit HEAD route is not listed");
  });

  it("takes the first matching route in definition order", async () => {
    const app = testApp();
    app.get("/users/new", () => "new form");
    app.get("/users/:id", (c) => `user ${c.params.id}`);
    app.get("/users/special", () => "never reached");
    assert.equal(await (await app.request("/users/new")).text(), "new form");
    assert.equal(await (await app.request("/users/special")).text(), "user special");
  });

  it("types params from the pattern and decodes them", async () => {
    const app = testApp();
    app.get("/hello/:name", (c) => {
      const name: string = c.params.name;
      return `Hello ${name}`;
    });
    assert.equal(await (await app.request("/hello/J%C3%BCrgen")).text(), "Hello Jürgen");
    app.post("/items/:id", { provides: "json" }, (c) => {
      const id: string = c.params.id;
      // @ts-expect-error a name outside the pattern (a query or form field) may be anything, not a string
      const other: string = c.params.other;
      void other;
      return { id };
    });
    assert.deepEqual(await (await app.request("/items/7", { method: "POST" })).json(), { id: "7" });
  });

  it("is strict about trailing slashes unless strictPaths is off", async () => {
    const strict = testApp();
    strict.get("/about", () => "about");
    assert.equal((await strict.request("/about/")).status, 404);
    const relaxed = testApp().set("strictPaths", false);
    relaxed.get("/about", () => "about");
    assert.equal(await (await relaxed.request("/about/")).text(), "about");
  });

  it("answers an unmatched request with 404, X-Cascade: pass and Sinatra's body", async () => {
    const app = testApp();
    const res = await app.request("/nowhere");
    assert.equal(res.status, 404);
    assert.equal(res.headers.get("x-cascade"), "pass");
    assert.equal(await res.text(), "<h1>Not Found</h1>");
  });

  it("pass moves to the next matching route, and to 404 when none is left", async () => {
    const app = testApp();
    app.get("/guess/:who", (c) => (c.params.who === "frank" ? "You got me!" : c.pass()));
    app.get("/guess/*", () => "Missed!");
    app.get("/only/:x", (c) => c.pass());
    assert.equal(await (await app.request("/guess/frank")).text(), "You got me!");
    assert.equal(await (await app.request("/guess/sam")).text(), "Missed!");
    assert.equal((await app.request("/only/1")).status, 404);
  });

  it("gives a malformed percent-encoding in the path a 400 and keeps serving", async () => {
    const app = testApp();
    app.get("/x/:name", (c) => c.params.name);
    assert.equal((await app.request("/x/%E0%A4%A")).status, 400);
    assert.equal(await (await app.request("/x/ok")).text(), "ok");
  });
});

describe("conditions", () => {
  it("host matches a string or RegExp, else the next route runs", async () => {
    const app = testApp();
    app.get("/", { host: "admin.example.org" }, () => "admin");
    app.get("/", { host: /^api\./ }, () => "api");
    app.get("/", () => "public");
    const get = (host: string) => app.request(new Request("http://x/", { headers: { host } })).then((r) => r.text());
    assert.equal(await get("admin.example.org:8080"), "admin");
    assert.equal(await get("api.example.org"), "api");
    assert.equal(await get("www.example.org"), "public");
  });

  it("agent exposes its captures", async () => {
    const app = testApp();
    app.get("/", { agent: /curl\/(\d+)\.(\d+)/ }, (c) => `curl ${(c.params as any).agent.join(".")}`);
    app.get("/", () => "someone else");
    const res = await app.request("/", { headers: { "user-agent": "curl/8.5.0" } });
    assert.equal(await res.text(), "curl 8.5");
    assert.equal(await (await app.request("/", { headers: { "user-agent": "Mozilla" } })).text(), "someone else");
  });

  it("provides negotiates Accept and sets the content type", async () => {
    const app = testApp();
    app.get("/doc", { provides: ["json"] }, () => ({ format: "json" }));
    app.get("/doc", { provides: "html" }, () => "<p>html</p>");
    const json = await app.request("/doc", { headers: { accept: "application/json" } });
    assert.match(json.headers.get("content-type")!, /^application\/json/);
    assert.deepEqual(await json.json(), { format: "json" });
    const html = await app.request("/doc", { headers: { accept: "text/html;q=0.9, application/json;q=0.1" } });
    assert.equal(await html.text(), '{"format":"json"}', "the first route providing an acceptable type wins");
    const htmlOnly = await app.request("/doc", { headers: { accept: "text/html" } });
    assert.equal(await htmlOnly.text(), "<p>html</p>");
    assert.match(htmlOnly.headers.get("content-type")!, /^text\/html/);
    assert.equal((await app.request("/doc", { headers: { accept: "image/png" } })).status, 404);
  });

  it("custom conditions, and an unknown one fails at definition", async () => {
    const app = testApp();
    app.condition("admin", (wanted: boolean) => (c) => (c.req.headers.get("x-admin") === "yes") === wanted);
    app.get("/panel", { admin: true }, () => "panel");
    app.get("/panel", () => "login first");
    assert.equal(await (await app.request("/panel", { headers: { "x-admin": "yes" } })).text(), "panel");
    assert.equal(await (await app.request("/panel")).text(), "login first");
    assert.throws(() => app.get("/x", { sunny: true }, () => ""), /Unknown route condition "sunny"/);
  });
});

describe("filters", () => {
  it("before filters run in order, may halt, redirect and change params; after filters see the response", async () => {
    const app = testApp();
    const order: string[] = [];
    app.before((c) => {
      order.push("first");
      (c.params as any).greeting = "Hi";
    });
    app.before("/admin/*", (c) => c.halt(401, "go away"));
    app.before("/old/:page", (c) => c.redirect(`/new/${c.params.page}`));
    app.get("/hello/:name", (c) => `${(c.params as any).greeting} ${c.params.name}`);
    app.after((c) => {
      order.push(`after ${c.res?.status}`);
      c.header("x-after", "seen");
    });
    const res = await app.request("/hello/ann");
    assert.equal(await res.text(), "Hi ann");
    assert.equal(res.headers.get("x-after"), "seen");
    assert.deepEqual(order, ["first", "after 200"]);
    const admin = await app.request("/admin/settings");
    assert.equal(admin.status, 401);
    assert.equal(await admin.text(), "go away");
    const old = await app.request("/old/faq");
    assert.equal(old.status, 302);
    assert.equal(old.headers.get("location"), "http://localhost/new/faq");
  });

  it("filters with conditions", async () => {
    const app = testApp();
    app.before("*", { agent: /bot/ }, (c) => c.halt(403));
    app.get("/", () => "human");
    assert.equal((await app.request("/", { headers: { "user-agent": "a bot" } })).status, 403);
    assert.equal(await (await app.request("/", { headers: { "user-agent": "firefox" } })).text(), "human");
  });
});

describe("halt, redirect, results", () => {
  it("halts in Sinatra's forms", async () => {
    const app = testApp();
    app.get("/a", (c) => c.halt());
    app.get("/b", (c) => c.halt(410));
    app.get("/c", (c) => c.halt("just a body"));
    app.get("/d", (c) => c.halt(403, "forbidden"));
    app.get("/e", (c) => c.halt(429, { "retry-after": "3" }, "slow down"));
    app.get("/f", (c) => c.halt(new Response("raw", { status: 418 })));
    const a = await app.request("/a");
    assert.deepEqual([a.status, await a.text()], [200, ""]);
    assert.equal((await app.request("/b")).status, 410);
    assert.equal(await (await app.request("/c")).text(), "just a body");
    const d = await app.request("/d");
    assert.deepEqual([d.status, await d.text()], [403, "forbidden"]);
    const e = await app.request("/e");
    assert.deepEqual([e.status, e.headers.get("retry-after"), await e.text()], [429, "3", "slow down"]);
    const f = await app.request("/f");
    assert.deepEqual([f.status, await f.text()], [418, "raw"]);
  });

  it("redirects with 302, 303 for non-GET, absolute from Host, relative when asked, forwarded only when trusted", async () => {
    const app = testApp();
    app.get("/go", (c) => c.redirect("/there"));
    app.post("/form", (c) => c.redirect("/done"));
    app.get("/moved", (c) => c.redirect("/new", 301));
    app.get("/back", (c) => c.redirect(c.back));
    const go = await app.request(new Request("http://example.org:8080/go"));
    assert.equal(go.status, 302);
    assert.equal(go.headers.get("location"), "http://example.org:8080/there");
    assert.equal((await app.request("/form", { method: "POST" })).status, 303);
    assert.equal((await app.request("/moved")).status, 301);
    const back = await app.request("/back", { headers: { referer: "http://localhost/from" } });
    assert.equal(back.headers.get("location"), "http://localhost/from");

    const forwarded = { headers: { "x-forwarded-host": "public.example", "x-forwarded-proto": "https" } };
    assert.equal((await app.request("/go", forwarded)).headers.get("location"), "http://localhost/there");
    const trusting = testApp().enable("trustProxy");
    trusting.get("/go", (c) => c.redirect("/there"));
    assert.equal((await trusting.request("/go", forwarded)).headers.get("location"), "https://public.example/there");
    const relative = testApp().disable("absoluteRedirects");
    relative.get("/go", (c) => c.redirect("/there"));
    assert.equal((await relative.request("/go")).headers.get("location"), "/there");
  });

  it("turns each kind of result into a response", async () => {
    const app = testApp();
    app.get("/string", () => "<b>html</b>");
    app.get("/bytes", () => new Uint8Array([1, 2, 3]));
    app.get("/object", () => ({ ok: true }));
    app.get("/array", () => [1, 2]);
    app.get("/status", () => 204);
    app.get("/pair", () => reply(201, "created"));
    app.get("/triple", () => reply(202, { "x-queued": "1" }, "queued"));
    app.get("/stream", () => new Response("ignored").body);
    app.get("/nothing", () => undefined);
    app.get("/typed", (c) => {
      c.type("txt");
      return "plain";
    });
    app.get("/default-type", () => "x");
    app.set("defaultContentType", "text/plain;charset=utf-8");
    const check = async (path: string) => {
      const res = await app.request(path);
      return { status: res.status, type: res.headers.get("content-type"), body: await res.text(), res };
    };
    assert.deepEqual(await check("/string").then(({ status, type, body }) => [status, type, body]), [
      200,
      "text/plain;charset=utf-8",
      "<b>html</b>",
    ]);
    const bytes = await app.request("/bytes");
    assert.deepEqual([...new Uint8Array(await bytes.arrayBuffer())], [1, 2, 3]);
    assert.equal(bytes.headers.get("content-type"), "application/octet-stream");
    assert.deepEqual(await check("/object").then(({ type, body }) => [type, body]), [
      "application/json",
      '{"ok":true}',
    ]);
    assert.equal((await check("/array")).body, "[1,2]");
    assert.deepEqual(await check("/status").then(({ status, body }) => [status, body]), [204, ""]);
    assert.deepEqual(await check("/pair").then(({ status, body }) => [status, body]), [201, "created"]);
    const triple = await check("/triple");
    assert.deepEqual([triple.status, triple.res.headers.get("x-queued"), triple.body], [202, "1", "queued"]);
    assert.equal((await check("/stream")).body, "ignored");
    assert.deepEqual(await check("/nothing").then(({ status, body }) => [status, body]), [200, ""]);
    assert.equal((await check("/typed")).type, "text/plain;charset=utf-8");
  });

  it("a string is text/html;charset=utf-8 by default (Sinatra's default)", async () => {
    const app = testApp();
    app.get("/", () => "hi");
    assert.equal((await app.request("/")).headers.get("content-type"), "text/html;charset=utf-8");
  });

  it("an unsupported result is a 500 whose logged error names what was returned", async () => {
    const app = testApp();
    const logged: unknown[] = [];
    app[logError] = (error) => void logged.push(error);
    // @ts-expect-error a symbol is no result, and the compiler says so before the runtime does
    app.get("/", () => Symbol("oops"));
    const res = await app.request("/");
    assert.equal(res.status, 500);
    assert.equal(await res.text(), "<h1>Internal Server Error</h1>");
    assert.match(String(logged[0]), /returned a symbol/);
  });
});

describe("errors", () => {
  class DatabaseError extends Error {}
  class ConnectionLost extends DatabaseError {}

  it("error handlers by class walk the class chain; the error is the second argument", async () => {
    const app = testApp();
    app.error(DatabaseError, (c, error) => {
      c.status(503);
      return `database trouble: ${error.message}`;
    });
    app.get("/", () => {
      throw new ConnectionLost("gone");
    });
    const res = await app.request("/");
    assert.deepEqual([res.status, await res.text()], [503, "database trouble: gone"]);
  });

  it("error handlers by status and range, also for statuses routes answer", async () => {
    const app = testApp();
    app.error(403, () => "custom forbidden");
    app.error([500, 599], () => "something broke");
    app.get("/forbidden", (c) => c.halt(403));
    app.get("/boom", () => {
      throw new Error("boom");
    });
    assert.equal(await (await app.request("/forbidden")).text(), "custom forbidden");
    const boom = await app.request("/boom");
    assert.deepEqual([boom.status, await boom.text()], [500, "something broke"]);
  });

  it("notFound handles every 404", async () => {
    const app = testApp();
    app.notFound((c) => `no ${new URL(c.req.url).pathname} here`);
    app.get("/gone", (c) => c.notFound());
    assert.equal(await (await app.request("/missing")).text(), "no /missing here");
    assert.equal(await (await app.request("/gone")).text(), "no /gone here");
  });

  it("HttpError carries its status and a clear message", async () => {
    const app = testApp();
    app.get("/teapot", () => {
      throw new HttpError(422, "name is required");
    });
    const res = await app.request("/teapot");
    assert.deepEqual([res.status, await res.text()], [422, "name is required"]);
  });

  it("an error in a filter or in an error handler is still a 500, never a crash", async () => {
    const app = testApp();
    app.before("/filter", () => {
      throw new Error("filter failed");
    });
    app.error(418, () => {
      throw new Error("handler failed too");
    });
    app.get("/teapot", (c) => c.halt(418));
    const filter = await app.request("/filter");
    assert.deepEqual([filter.status, await filter.text()], [500, "<h1>Internal Server Error</h1>"]);
    const teapot = await app.request("/teapot");
    assert.deepEqual([teapot.status, await teapot.text()], [500, "<h1>Internal Server Error</h1>"]);
    const after = testApp();
    after.after(() => {
      throw new Error("after failed");
    });
    after.get("/", () => "fine");
    assert.equal((await after.request("/")).status, 500);
  });

  it("a rejected promise from an async route is handled like a throw", async () => {
    const app = testApp();
    app.get("/", async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      throw new HttpError(409, "conflict");
    });
    assert.equal((await app.request("/")).status, 409);
  });
});

describe("request parsing", () => {
  it("query nests like Rack, caps depth, and answers conflicting shapes with 400", async () => {
    const app = testApp();
    app.get("/q", (c) => c.query);
    const res = await app.request("/q?a[b]=1&list[]=x&list[]=y&plain=1&plain=2&sp=a+b");
    assert.deepEqual(await res.json(), { a: { b: "1" }, list: ["x", "y"], plain: "2", sp: "a b" });
    const conflict = await app.request("/q?a=1&a[b]=2");
    assert.equal(conflict.status, 400);
    assert.match(await conflict.text(), /used both as a value and as an object/);
    assert.equal((await app.request("/q?" + "a".repeat(1) + "[b]".repeat(20) + "=1")).status, 400);
    assert.equal((await app.request("/q?bad=%E0%A4%A")).status, 200, "qs keeps a malformed value as it is");
  });

  it("form() reads urlencoded and multipart, and refuses other types with 415", async () => {
    const app = testApp();
    app.post("/form", async (c) => await c.form());
    const urlencoded = await app.request("/form", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "user[name]=ann&tags[]=a&tags[]=b",
    });
    assert.deepEqual(await urlencoded.json(), { user: { name: "ann" }, tags: ["a", "b"] });
    const data = new FormData();
    data.append("name", "bob");
    const multipart = await app.request("/form", { method: "POST", body: data });
    assert.deepEqual(await multipart.json(), { name: "bob" });
    const wrong = await app.request("/form", { method: "POST", headers: { "content-type": "text/plain" }, body: "x" });
    assert.equal(wrong.status, 415);
    assert.match(await wrong.text(), /Expected a form/);
  });

  it("json() reads JSON; invalid JSON is a 400 and a wrong type a 415", async () => {
    const app = testApp();
    app.post("/echo", async (c) => ({ got: await c.json() }));
    const ok = await app.request("/echo", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"a":1}',
    });
    assert.deepEqual(await ok.json(), { got: { a: 1 } });
    const invalid = await app.request("/echo", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{nope",
    });
    assert.equal(invalid.status, 400);
    assert.match(await invalid.text(), /Invalid JSON body/);
    const wrong = await app.request("/echo", { method: "POST", headers: { "content-type": "text/plain" }, body: "{}" });
    assert.equal(wrong.status, 415);
  });

  it("reads and sets cookies", async () => {
    const app = testApp();
    app.get("/", (c) => {
      c.cookies.set("seen", "yes", { maxAge: 60 });
      return `before: ${c.cookies.get("visit") ?? "none"}`;
    });
    const res = await app.request("/", { headers: { cookie: "visit=3" } });
    assert.equal(await res.text(), "before: 3");
    assert.match(res.headers.get("set-cookie")!, /^seen=yes; Max-Age=60; Path=\/; HttpOnly; SameSite=Lax$/);
  });
});

describe("response helpers", () => {
  it("status, header, type, text, html, json", async () => {
    const app = testApp();
    app.get("/json", (c) => c.json({ a: 1 }, 201));
    app.get("/text", (c) => c.status(202).header("x-a", "b").text("plain"));
    app.get("/html", (c) => c.html("<p>"));
    const json = await app.request("/json");
    assert.deepEqual(
      [json.status, json.headers.get("content-type"), await json.text()],
      [201, "application/json", '{"a":1}'],
    );
    const text = await app.request("/text");
    assert.deepEqual(
      [text.status, text.headers.get("x-a"), text.headers.get("content-type")],
      [202, "b", "text/plain;charset=utf-8"],
    );
    assert.equal((await app.request("/html")).headers.get("content-type"), "text/html;charset=utf-8");
  });

  it("attachment, cacheControl, expires", async () => {
    const app = testApp();
    app.get("/report", (c) => {
      c.attachment("report 2026.csv");
      c.cacheControl("public", { maxAge: 300, mustRevalidate: true });
      return "a,b";
    });
    app.get("/soon", (c) => {
      c.expires(60, "public");
      return "";
    });
    const report = await app.request("/report");
    assert.equal(report.headers.get("content-disposition"), 'attachment; filename="report 2026.csv"');
    assert.match(report.headers.get("content-type")!, /^text\/csv/);
    assert.equal(report.headers.get("cache-control"), "public, max-age=300, must-revalidate");
    const soon = await app.request("/soon");
    assert.equal(soon.headers.get("cache-control"), "public, max-age=60");
    assert.ok(Math.abs(Date.parse(soon.headers.get("expires")!) - Date.now() - 60_000) < 2000);
  });

  it("etag answers 304 and 412 early, as RFC 9110 says", async () => {
    const app = testApp();
    let runs = 0;
    app.get("/doc", (c) => {
      c.etag("v1");
      runs++;
      return "document";
    });
    app.put("/doc", (c) => {
      c.etag("v1");
      return "updated";
    });
    const first = await app.request("/doc");
    assert.equal(first.headers.get("etag"), '"v1"');
    const cached = await app.request("/doc", { headers: { "if-none-match": '"v1"' } });
    assert.deepEqual([cached.status, await cached.text()], [304, ""]);
    assert.equal(runs, 1, "the route stopped at etag()");
    assert.equal(
      (await app.request("/doc", { headers: { "if-none-match": 'W/"v1"' } })).status,
      304,
      "weak comparison for If-None-Match",
    );
    assert.equal((await app.request("/doc", { method: "PUT", headers: { "if-match": '"v0"' } })).status, 412);
    assert.equal((await app.request("/doc", { method: "PUT", headers: { "if-match": '"v1"' } })).status, 200);
    assert.equal((await app.request("/doc", { method: "PUT", headers: { "if-none-match": "*" } })).status, 412);
  });

  it("lastModified answers 304 and 412", async () => {
    const app = testApp();
    const modified = new Date("2026-01-02T03:04:05Z");
    app.get("/doc", (c) => {
      c.lastModified(modified);
      return "doc";
    });
    app.post("/doc", (c) => {
      c.lastModified(modified);
      return "changed";
    });
    const res = await app.request("/doc");
    assert.equal(res.headers.get("last-modified"), modified.toUTCString());
    assert.equal((await app.request("/doc", { headers: { "if-modified-since": modified.toUTCString() } })).status, 304);
    assert.equal(
      (await app.request("/doc", { headers: { "if-modified-since": new Date(0).toUTCString() } })).status,
      200,
    );
    assert.equal(
      (await app.request("/doc", { method: "POST", headers: { "if-unmodified-since": new Date(0).toUTCString() } }))
        .status,
      412,
    );
  });

  it("stream writes chunks and stops cleanly when the client goes away", async () => {
    const app = testApp();
    app.get("/count", (c) =>
      c.stream(async (out) => {
        for (let i = 1; i <= 3; i++) await out.write(`${i}\n`);
      }),
    );
    assert.equal(await (await app.request("/count")).text(), "1\n2\n3\n");

    let closedSeen = false;
    let writesAfterClose = 0;
    let producerDone!: () => void;
    const produced = new Promise<void>((resolve) => (producerDone = resolve));
    const abort = new AbortController();
    app.get("/forever", (c) =>
      c.stream(
        async (out) => {
          out.onClose(() => (closedSeen = true));
          for (let i = 0; i < 10_000 && !out.closed; i++) await out.write("tick\n");
          if (!(await out.write("late"))) writesAfterClose++;
          producerDone();
        },
        { keepOpen: true },
      ),
    );
    const res = await app.request("/forever", { signal: abort.signal });
    const reader = res.body!.getReader();
    await reader.read();
    abort.abort();
    await reader.cancel();
    await produced;
    assert.ok(closedSeen, "onClose ran");
    assert.equal(writesAfterClose, 1, "writes after the client left resolve false instead of throwing");
  });

  it("url() builds absolute URLs", async () => {
    const app = testApp();
    app.get("/where", (c) => [c.url("/x"), c.url("y"), c.url("/z", false), c.to("https://other/")].join(" "));
    assert.equal(await (await app.request("http://h:1/where")).text(), "http://h:1/x http://h:1/y /z https://other/");
  });
});

describe("settings, environments, subclasses, helpers", () => {
  it("set, enable, disable and configure by environment", () => {
    const app = new App().set("environment", "production");
    app.set("title", "frank").enable("shiny").disable("dull");
    let ran = "";
    app.configure("development", () => (ran += "dev"));
    app.configure("production", "staging", () => (ran += "prod"));
    app.configure(() => (ran += "+all"));
    assert.equal(app.settings.title, "frank");
    assert.equal(app.settings.shiny, true);
    assert.equal(app.settings.dull, false);
    assert.equal(ran, "prod+all");
  });

  it("reads its environment as the launcher exports it", () => {
    const saved = { APP_ENV: process.env.APP_ENV, RACK_ENV: process.env.RACK_ENV };
    try {
      process.env.APP_ENV = "staging";
      process.env.RACK_ENV = "production";
      assert.equal(new App().environment, "staging");
      delete process.env.APP_ENV;
      assert.equal(new App().environment, "production");
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it("subclasses inherit routes, filters and settings", async () => {
    class Base extends App {
      constructor() {
        super();
        this.set({ environment: "production", publicFolder: false, motto: "frankly" });
        this.before((c) => void c.header("x-base", "1"));
        this.get("/ping", () => "pong");
      }
    }
    class Child extends Base {
      constructor() {
        super();
        this.get("/motto", (c) => String(c.settings.motto));
      }
    }
    const child = new Child();
    const ping = await child.request("/ping");
    assert.deepEqual([await ping.text(), ping.headers.get("x-base")], ["pong", "1"]);
    assert.equal(await (await child.request("/motto")).text(), "frankly");
  });

  it("helpers are methods on c", async () => {
    const app = testApp().helpers({
      shout(text: string) {
        return `${text.toUpperCase()}!`;
      },
    });
    app.get("/", (c) => c.shout("hi"));
    assert.equal(await (await app.request("/")).text(), "HI!");
  });

  it("use() wraps the app in middleware, outermost first", async () => {
    const app = testApp();
    app.use((next) => async (req) => {
      const res = await next(req);
      const headers = new Headers(res.headers);
      headers.set("x-outer", "1");
      return new Response(res.body, { status: res.status, headers });
    });
    app.get("/", () => "inner");
    const res = await app.request("/");
    assert.deepEqual([await res.text(), res.headers.get("x-outer")], ["inner", "1"]);
  });
});

describe("Builder", () => {
  it("mounts any fetch handler under a prefix, stripping it, with middleware around all", async () => {
    const legacy = new Hono();
    legacy.get("/users/:id", (c) => c.text(`legacy user ${c.req.param("id")}`));
    legacy.post("/echo", async (c) => c.text(await c.req.text()));
    const app = testApp();
    app.get("/", () => "frank root");
    const builder = new Builder()
      .use((next) => async (req) => {
        const res = await next(req);
        return new Response(res.body, {
          status: res.status,
          headers: { ...Object.fromEntries(res.headers), "x-served-by": "builder" },
        });
      })
      .map("/legacy", legacy)
      .run(app);
    const hono = await builder.fetch(new Request("http://localhost/legacy/users/7"));
    assert.deepEqual([await hono.text(), hono.headers.get("x-served-by")], ["legacy user 7", "builder"]);
    const echo = await builder.fetch(
      new Request("http://localhost/legacy/echo", { method: "POST", body: "streamed body" }),
    );
    assert.equal(await echo.text(), "streamed body");
    assert.equal(await (await builder.fetch(new Request("http://localhost/"))).text(), "frank root");
    assert.equal(await (await builder.fetch(new Request("http://localhost/legacyx"))).text(), "<h1>Not Found</h1>");
  });

  it("state that middleware keeps per request (the request id) survives the prefix being stripped", async () => {
    const inner = testApp();
    inner.get("/whoami", (c) => getRequestId(c.req) ?? "lost");
    const builder = new Builder().use(requestId()).map("/api", inner);
    const res = await builder.fetch(
      new Request("http://localhost/api/whoami", { headers: { "x-request-id": "req-42" } }),
    );
    assert.equal(await res.text(), "req-42");
  });
});
