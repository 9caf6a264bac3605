// The App wired to the parts it uses: the public folder, sendFile, sessions, views and the
// development pages. Each part has its own tests; these pin how the App uses them.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { App } from "./app.js";

let root: string;

before(() => {
  root = mkdtempSync(join(tmpdir(), "frank-app-"));
  mkdirSync(join(root, "public"));
  mkdirSync(join(root, "views"));
  mkdirSync(join(root, "files"));
  writeFileSync(join(root, "public", "index.html"), "<h1>static index</h1>");
  writeFileSync(join(root, "public", "hello"), "static file wins");
  writeFileSync(join(root, "files", "report.txt"), "0123456789");
  writeFileSync(join(root, "secret.txt"), "never served");
  writeFileSync(join(root, "views", "layout.eta"), "<main><%~ it.body %></main>");
  writeFileSync(join(root, "views", "greet.eta"), "<p>Hello <%= it.name %></p>");
});

after(() => rmSync(root, { recursive: true, force: true }));

function appAt(environment = "production"): App {
  return new App().set({ environment, root, dumpErrors: false });
}

describe("the public folder", () => {
  it("is served before routes, for GET and HEAD only, without filters", async () => {
    const app = appAt();
    let filterRuns = 0;
    app.before(() => void filterRuns++);
    app.get("/hello", () => "route");
    app.post("/hello", () => "posted");
    const file = await app.request("/hello");
    assert.equal(await file.text(), "static file wins");
    assert.equal(filterRuns, 0, "filters do not run for static files");
    const head = await app.request("/index.html", { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get("content-length"), "21");
    assert.equal(await (await app.request("/hello", { method: "POST" })).text(), "posted");
  });

  it("the seed app: / redirects to /index.html, which the folder serves", async () => {
    const app = appAt();
    app.get("/", (c) => c.redirect("/index.html"));
    const home = await app.request("/");
    assert.equal(home.status, 302);
    const page = await app.request(new URL(home.headers.get("location")!).pathname);
    assert.equal(await page.text(), "<h1>static index</h1>");
    assert.match(page.headers.get("content-type")!, /^text\/html/);
  });

  it("never serves a file outside the folder, and can be turned off", async () => {
    const app = appAt();
    for (const path of ["/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt"]) {
      const res = await app.request(path);
      assert.notEqual(await res.text(), "never served", path);
    }
    const off = appAt().set("publicFolder", false);
    off.get("/hello", () => "route");
    assert.equal(await (await off.request("/hello")).text(), "route");
  });
});

describe("sendFile and attachment", () => {
  it("sends a file relative to root, with ranges, conditional GET and a 404 when missing", async () => {
    const app = appAt();
    app.get("/report", (c) => c.sendFile("files/report.txt"));
    app.get("/download", async (c) => {
      c.attachment("report.txt");
      await c.sendFile("files/report.txt");
    });
    app.get("/missing", (c) => c.sendFile("files/nope.txt"));
    app.get("/escape", (c) => c.sendFile("../../etc/passwd"));
    const full = await app.request("/report");
    assert.equal(await full.text(), "0123456789");
    const part = await app.request("/report", { headers: { range: "bytes=2-4" } });
    assert.deepEqual([part.status, await part.text(), part.headers.get("content-range")], [206, "234", "bytes 2-4/10"]);
    const cached = await app.request("/report", { headers: { "if-none-match": full.headers.get("etag")! } });
    assert.equal(cached.status, 304);
    const download = await app.request("/download");
    assert.match(download.headers.get("content-disposition")!, /^attachment; filename="report.txt"/);
    assert.equal((await app.request("/missing")).status, 404);
    const outside = await app.request("/escape");
    assert.ok(outside.status === 403 || outside.status === 404, `refused with ${outside.status}`);
  });

  it("a relative root option is a folder of settings.root, not of the process's working directory", async () => {
    assert.notEqual(process.cwd(), root);
    const app = appAt();
    app.get("/files/*", (c) => c.sendFile(c.params.splat![0], { root: "files" }));
    const res = await app.request("/files/report.txt");
    assert.deepEqual([res.status, await res.text()], [200, "0123456789"]);
    assert.equal((await app.request("/files/..%2Fsecret.txt")).status, 404, "confined to the narrower root");
  });
});

describe("sessions", () => {
  it("enable('sessions') gives c.session, kept in an encrypted cookie", async () => {
    const app = appAt().set("sessions", { secret: "s".repeat(32) + "-frank-test-secret" });
    app.get("/count", (c) => {
      const visits = Number(c.session.visits ?? 0) + 1;
      c.session.visits = visits;
      return String(visits);
    });
    const first = await app.request("/count");
    assert.equal(await first.text(), "1");
    const cookie = first.headers.get("set-cookie")!.split(";")[0];
    assert.doesNotMatch(cookie, /visits/, "the cookie is encrypted");
    const second = await app.request("/count", { headers: { cookie } });
    assert.equal(await second.text(), "2");
    const tampered = await app.request("/count", { headers: { cookie: cookie.slice(0, -4) + "AAAA" } });
    assert.deepEqual([tampered.status, await tampered.text()], [200, "1"], "a tampered cookie is an empty session");
  });
});

describe("views", () => {
  it("renders a template inside the layout, escaping locals", async () => {
    const app = appAt();
    app.get("/greet/:name", (c) => c.render("greet", { name: c.params.name }));
    const res = await app.request("/greet/%3Cb%3E");
    assert.equal(await res.text(), "<main><p>Hello &lt;b&gt;</p></main>");
    assert.match(res.headers.get("content-type")!, /^text\/html/);
  });
});

describe("development pages", () => {
  it("a 500 in development shows the error page; in production the terse body", async () => {
    const boom = (app: App) =>
      app.get("/boom", () => {
        throw new TypeError("the flux capacitor is empty");
      });
    const dev = boom(appAt("development"));
    const page = await dev.request("/boom", { headers: { accept: "text/html" } });
    assert.equal(page.status, 500);
    const html = await page.text();
    assert.match(html, /TypeError/);
    assert.match(html, /the flux capacitor is empty/);
    const prod = boom(appAt("production"));
    assert.equal(await (await prod.request("/boom")).text(), "<h1>Internal Server Error</h1>");
  });

  it("a 404 in development lists the routes and the code that would add the missing one", async () => {
    const dev = appAt("development");
    dev.get("/existing", () => "here");
    const page = await dev.request("/missing", { headers: { accept: "text/html" } });
    assert.equal(page.status, 404);
    assert.equal(page.headers.get("x-cascade"), "pass");
    const html = await page.text();
    assert.match(html, /\/existing/);
    assert.match(html, /\.get\(<span class="s">&quot;\/missing&quot;/, "the snippet that adds the route");
  });
});

describe("host authorization", () => {
  it("guards a development app bound to loopback only; never otherwise", async () => {
    const saved = process.env.FRANK_LISTEN;
    try {
      process.env.FRANK_LISTEN = "loopback";
      const dev = appAt("development");
      dev.get("/", () => "ok");
      const evil = await dev.request(new Request("http://evil.example/", { headers: { host: "evil.example" } }));
      assert.equal(evil.status, 403);
      assert.match(await evil.text(), /Host not permitted/);
      assert.equal((await dev.request(new Request("http://localhost:4567/"))).status, 200);

      const prod = appAt("production");
      prod.get("/", () => "ok");
      assert.equal((await prod.request(new Request("http://public.example/"))).status, 200, "production never guards");

      process.env.FRANK_LISTEN = "all";
      const behindIngress = appAt("development");
      behindIngress.get("/", () => "ok");
      assert.equal(
        (await behindIngress.request(new Request("http://public.example/"))).status,
        200,
        "all interfaces: no guard",
      );

      const forced = appAt("production").set("hostAuthorization", { allowedHosts: ["app.test"] });
      forced.get("/", () => "ok");
      assert.equal((await forced.request(new Request("http://app.test/"))).status, 200);
      assert.equal((await forced.request(new Request("http://other.test/"))).status, 403);
    } finally {
      if (saved === undefined) delete process.env.FRANK_LISTEN;
      else process.env.FRANK_LISTEN = saved;
    }
  });
});
