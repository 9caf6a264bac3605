// How apps are put together, as in Sinatra's modular style: an App used as middleware in another
// (`use LoginScreen`), namespaces, mounting under a prefix (Rack's SCRIPT_NAME), Sinatra's
// setting names, settings fixed once serving, and the default type of streamed bodies.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Builder } from "../http/builder.js";
import { App } from "./app.js";

function testApp(): App {
  return new App().set({ environment: "production", dumpErrors: false, publicFolder: false });
}

const SECRET = "a-session-secret-of-at-least-32-chars";

/** Replays the cookies a response set, as a browser would on the next request. */
function cookiesOf(res: Response): string {
  return res.headers
    .getSetCookie()
    .map((cookie) => cookie.split(";")[0])
    .join("; ");
}

describe("an App used as middleware in another (use LoginScreen)", () => {
  class LoginScreen extends App {
    constructor() {
      super();
      this.set({ environment: "production", publicFolder: false, sessions: true, sessionSecret: SECRET });
      this.get("/login", () => "the login form");
      this.post("/login", async (c) => {
        c.session.user = (await c.form()).name;
        return c.redirect("/");
      });
    }
  }

  class MyApp extends App {
    constructor() {
      super();
      this.set({ environment: "production", publicFolder: false, sessions: true, sessionSecret: SECRET });
      this.use(LoginScreen);
      this.before((c) => {
        if (!c.session.user) c.halt(401, "Access denied, please <a href='/login'>login</a>.");
      });
      this.get("/", (c) => `Hello ${c.session.user}.`);
    }
  }

  it("answers its own routes and hands the rest on; both share the session", async () => {
    const app = new MyApp();
    assert.equal(await (await app.request("/login")).text(), "the login form");
    assert.equal((await app.request("/")).status, 401);
    const login = await app.request("/login", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "name=ann",
    });
    assert.equal(login.status, 303);
    const home = await app.request("/", { headers: { cookie: cookiesOf(login) } });
    assert.equal(await home.text(), "Hello ann.");
  });

  it("runs its own filters for what it hands on (Sinatra's forward)", async () => {
    const stamp = testApp();
    stamp.after((c) => void c.header("x-stamped", "1"));
    const app = testApp();
    app.use(stamp);
    app.get("/", () => "inner");
    const res = await app.request("/");
    assert.deepEqual([await res.text(), res.headers.get("x-stamped")], ["inner", "1"]);
  });

  it("any other fetch app cascades on a 404 with X-Cascade: pass, and only then", async () => {
    const other = testApp();
    other.get("/other", () => "from the other app");
    other.get("/gone", (c) => c.notFound());
    const app = testApp();
    app.use({ fetch: (req: Request) => other.fetch(req) });
    app.get("/", () => "main");
    app.get("/gone", () => "never: the other app answered its own 404");
    assert.equal(await (await app.request("/other")).text(), "from the other app");
    assert.equal(await (await app.request("/")).text(), "main");
    assert.equal((await app.request("/gone")).status, 404);
  });
});

describe("namespace", () => {
  it("prefixes routes, scopes its filters and its notFound to the prefix", async () => {
    const app = testApp();
    app.notFound(() => "<h1>site 404</h1>");
    app.namespace("/api", (api) => {
      api.before((c) => void c.type("json"));
      api.get("/items/:id", (c) => JSON.stringify({ id: c.params.id, splat: c.params.splat ?? null }));
      api.notFound(() => JSON.stringify({ error: "no such endpoint" }));
      api.namespace("/v2", (v2) => {
        v2.get("/ping", () => "pong v2");
      });
    });
    app.get("/page", (c) => `page ${c.type() ?? "untyped"}`);
    const item = await app.request("/api/items/7");
    assert.deepEqual(
      [item.headers.get("content-type"), await item.json()],
      ["application/json", { id: "7", splat: null }],
    );
    const missing = await app.request("/api/nope");
    assert.deepEqual([missing.status, await missing.text()], [404, '{"error":"no such endpoint"}']);
    assert.equal(await (await app.request("/nope")).text(), "<h1>site 404</h1>");
    assert.equal(await (await app.request("/page")).text(), "page untyped", "the namespace's filter stays inside it");
    assert.equal(await (await app.request("/api/v2/ping")).text(), "pong v2");
    assert.equal((await app.request("/apixyz/items/7")).status, 404, "a prefix is whole segments");
  });

  it("joins its conditions to every route, and its prefix may have params", async () => {
    const app = testApp();
    app.namespace("/users/:user", { provides: "json" }, (users) => {
      users.before((c) => void c.set("who", c.params.user));
      users.get("/posts", (c) => ({ user: c.get("who"), posts: [] }));
    });
    const res = await app.request("/users/ann/posts", { headers: { accept: "application/json" } });
    assert.deepEqual(await res.json(), { user: "ann", posts: [] });
    assert.equal((await app.request("/users/ann/posts", { headers: { accept: "image/png" } })).status, 404);
  });
});

describe("mounted under a prefix (Rack's SCRIPT_NAME)", () => {
  it("c.url, c.to and redirects build URLs under the mount path", async () => {
    const admin = testApp();
    admin.get("/", (c) => `${c.to("/")} ${c.url("/users")} ${c.url("", false)} ${c.url("x", false)}`);
    admin.get("/home", (c) => c.redirect(c.to("/")));
    admin.get("/plain", (c) => c.redirect("/elsewhere"));
    const prefixed = testApp().set("prefixedRedirects", true);
    prefixed.get("/plain", (c) => c.redirect("/elsewhere"));
    const site = new Builder().map("/a", admin).map("/b", prefixed);

    const urls = await site.fetch(new Request("http://h/a/"));
    assert.equal(await urls.text(), "http://h/a/ http://h/a/users /a/ /a/x");
    const home = await site.fetch(new Request("http://h/a/home"));
    assert.equal(home.headers.get("location"), "http://h/a/");
    const plain = await site.fetch(new Request("http://h/a/plain"));
    assert.equal(plain.headers.get("location"), "http://h/elsewhere", "Sinatra's default: prefixed_redirects off");
    const opted = await site.fetch(new Request("http://h/b/plain"));
    assert.equal(opted.headers.get("location"), "http://h/b/elsewhere");
  });

  it("nested mounts add up", async () => {
    const inner = testApp();
    inner.get("/", (c) => c.to("/x"));
    const site = new Builder().map("/outer", new Builder().map("/inner", inner));
    assert.equal(await (await site.fetch(new Request("http://h/outer/inner/"))).text(), "http://h/outer/inner/x");
  });
});

describe("settings", () => {
  it("Sinatra's names are aliases of frank's", async () => {
    const app = new App().set({ environment: "production", dumpErrors: false, public_folder: false });
    app.set("strict_paths", false).enable("method_override").set("session_secret", SECRET).enable("sessions");
    assert.deepEqual(
      [app.settings.publicFolder, app.settings.strictPaths, app.settings.methodOverride, app.settings.sessionSecret],
      [false, false, true, SECRET],
    );
    app.get("/about", () => "about");
    app.delete("/items/:id", (c) => `deleted ${c.params.id}`);
    assert.equal(await (await app.request("/about/")).text(), "about");
    const deleted = await app.request("/items/3", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "_method=delete",
    });
    assert.equal(await deleted.text(), "deleted 3");
  });

  it("a Sinatra setting frank has no counterpart for is an error that says what to do", () => {
    assert.throws(() => new App().set("threaded", true), /frank has no "threaded" setting: .*--workers/);
    assert.throws(() => new App().enable("protection"), /app.use\(protection\(\)\)/);
    assert.throws(() => new App().set("raise_errors", true), /no "raise_errors" setting/);
  });

  it("are read-only once the app has served: set throws, and writes do not compile", async () => {
    const app = testApp();
    app.get("/", () => "ok");
    app.set("motto", "before serving is fine");
    await app.request("/");
    assert.throws(() => app.set("strictPaths", false), /settings are fixed once the app has served/);
    assert.throws(() => {
      // @ts-expect-error settings are read-only
      app.settings.strictPaths = false;
    }, TypeError);
  });
});

describe("streamed bodies", () => {
  it("a stream or ReadableStream result is text/html;charset=utf-8 unless typed", async () => {
    const app = testApp();
    app.get("/stream", (c) => c.stream(async (out) => void (await out.write("<p>hi</p>"))));
    app.get("/readable", () => new Response("<p>body</p>").body);
    app.get("/typed", (c) => {
      c.type("text/plain");
      return c.stream(async (out) => void (await out.write("plain")));
    });
    for (const path of ["/stream", "/readable"]) {
      assert.equal((await app.request(path)).headers.get("content-type"), "text/html;charset=utf-8", path);
    }
    assert.equal((await app.request("/typed")).headers.get("content-type"), "text/plain;charset=utf-8");
  });
});
