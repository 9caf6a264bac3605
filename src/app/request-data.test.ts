// What a route reads of its request, as a Sinatra route reads `params`, `request` and `session`:
// merged params, a body readable many times, per-request variables, the client, negotiation,
// the request's logger, registered media types, the response body for after filters, flash.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CLIENT_ADDRESS } from "../http/client-address.js";
import { App, type NoVariables } from "./app.js";
import { logError } from "./internal-methods.js";

function testApp<V extends object = NoVariables>(): App<V> {
  return new App<V>().set({ environment: "production", dumpErrors: false, publicFolder: false });
}

// A string body would get text/plain from the Request constructor; bytes get no Content-Type at all.
const form = (body: string, type = "application/x-www-form-urlencoded"): RequestInit => ({
  method: "POST",
  headers: type ? { "content-type": type } : {},
  body: type ? body : new TextEncoder().encode(body),
});

/** A request as frank's Node adapter makes it, with the socket's address. */
function fromSocket(url: string, address: string, init?: RequestInit): Request {
  const req = new Request(url, init);
  Object.defineProperty(req, CLIENT_ADDRESS, { value: address });
  return req;
}

/** Replays the cookies a response set, as a browser would on the next request. */
function cookiesOf(res: Response): string {
  return res.headers
    .getSetCookie()
    .map((cookie) => cookie.split(";")[0])
    .join("; ");
}

describe("params, merged as Sinatra's", () => {
  it("hold the route's captures, the query and a urlencoded form; the route wins over the form, the form over the query", async () => {
    const app = testApp();
    app.post("/items/:id", (c) => ({ ...c.params }));
    const res = await app.request(
      "/items/7?id=query&page=2&title=from-query",
      form("id=form&title=from-form&tags[]=a&tags[]=b"),
    );
    assert.deepEqual(await res.json(), { id: "7", title: "from-form", tags: ["a", "b"], page: "2" });
  });

  it("hold the form's fields in before filters already", async () => {
    const app = testApp();
    app.before((c) => {
      if (c.params.token !== "secret") c.halt(403, "no token");
    });
    app.post("/", (c) => `hello ${c.params.name}`);
    assert.equal(await (await app.request("/", form("token=secret&name=ann"))).text(), "hello ann");
    assert.equal((await app.request("/", form("name=ann"))).status, 403);
  });

  it("gain a multipart form's fields once the form has been read", async () => {
    const app = testApp();
    app.post("/upload", async (c) => {
      const before = c.params.name ?? "none";
      await c.form();
      return `${before} then ${c.params.name}`;
    });
    const data = new FormData();
    data.append("name", "bob");
    assert.equal(await (await app.request("/upload", { method: "POST", body: data })).text(), "none then bob");
  });

  it("are the route's own object without query or form (nothing copied)", async () => {
    const app = testApp();
    app.get("/:a", (c) => String(Object.keys(c.params)));
    assert.equal(await (await app.request("/x")).text(), "a");
  });
});

describe("the body, read any number of times", () => {
  it("a POST with no type that is not a form still reaches its route; a declared form over a limit is a 413", async () => {
    const app = testApp();
    app.post("/echo", async (c) => `${(await c.body()).byteLength} bytes, ${Object.keys(c.params).length} params`);
    app.post("/form", async (c) => JSON.stringify(await c.form()));
    // 4 KiB with no "=": as a form, one field name over maxFieldNameSize.
    const bytes = new Uint8Array(4096).fill(100);
    const echoed = await app.request("/echo", { method: "POST", body: bytes });
    assert.deepEqual([echoed.status, await echoed.text()], [200, "4096 bytes, 0 params"]);
    assert.equal((await app.request("/form", { method: "POST", body: bytes })).status, 413);
    const declared = await app.request("/echo", form("d".repeat(4096)));
    assert.equal(declared.status, 413);
  });

  it("form(), json(), body() share one read", async () => {
    const app = testApp();
    app.post("/form", async (c) => {
      const first = await c.form();
      const second = await c.form();
      const bytes = await c.body();
      return `${first.a} ${second.a} ${bytes.byteLength}`;
    });
    app.post("/json", async (c) => {
      const a = await c.json<{ n: number }>();
      const b = await c.json<{ n: number }>();
      return String(a.n + b.n);
    });
    assert.equal(await (await app.request("/form", form("a=1"))).text(), "1 1 3");
    const json = { method: "POST", headers: { "content-type": "application/json" }, body: '{"n":2}' };
    assert.equal(await (await app.request("/json", json)).text(), "4");
  });

  it("a filter and an App used as middleware read the form the route reads again", async () => {
    const login = testApp();
    login.before(async (c) => void (await c.form()));
    const app = testApp();
    app.use(login);
    app.post("/save", async (c) => `saved ${(await c.form()).title}`);
    assert.equal(await (await app.request("/save", form("title=draft"))).text(), "saved draft");
  });

  it("a POST without a Content-Type is an empty form, not a 415; with a body it reads as urlencoded (as Rack)", async () => {
    const app = testApp();
    app.post("/", async (c) => await c.form());
    const empty = await app.request("/", { method: "POST" });
    assert.deepEqual([empty.status, await empty.json()], [200, {}]);
    assert.deepEqual(await (await app.request("/", form("a=1", ""))).json(), { a: "1" });
    assert.equal((await app.request("/", form("x", "text/plain"))).status, 415);
  });

  it("json() reads a body without a Content-Type; a form type is a 415 that says how to send JSON with curl", async () => {
    const app = testApp();
    app.post("/", async (c) => ({ got: await c.json() }));
    assert.deepEqual(await (await app.request("/", form('{"a":1}', ""))).json(), { got: { a: 1 } });
    const curl = await app.request("/", form('{"a":1}'));
    assert.equal(curl.status, 415);
    assert.match(await curl.text(), /curl -d sends a form.*Content-Type: application\/json/);
  });
});

describe("per-request variables (Sinatra's @ivars)", () => {
  interface User {
    name: string;
  }

  it("flow from filters to routes, typed by the app's variables", async () => {
    const app = testApp<{ user: User; started: number }>();
    app.before((c) => {
      c.set("user", { name: "ann" });
      c.set("started", 1);
      // @ts-expect-error the declared type is enforced
      c.set("user", "not a user");
      c.set("user", { name: "ann" });
    });
    app.get("/", (c) => {
      const user: User = c.get("user");
      const untyped: unknown = c.get("anything");
      return `${user.name} ${c.var.started} ${String(untyped)}`;
    });
    assert.equal(await (await app.request("/")).text(), "ann 1 undefined");
  });

  it("are a class's type parameter in the modular style", async () => {
    class Admin extends App<{ role: "admin" | "guest" }> {
      constructor() {
        super();
        this.set({ environment: "production", publicFolder: false });
        this.before((c) => void c.set("role", c.req.headers.get("x-admin") ? "admin" : "guest"));
        this.get("/", (c) => c.get("role"));
      }
    }
    const admin = new Admin();
    assert.equal(await (await admin.request("/", { headers: { "x-admin": "1" } })).text(), "admin");
  });
});

describe("the client", () => {
  it("c.ip is the socket's address unless trustProxy says which proxies to believe", async () => {
    const plain = testApp();
    plain.get("/", (c) => c.ip ?? "none");
    const spoofed = { headers: { "x-forwarded-for": "203.0.113.9" } };
    assert.equal(await (await plain.fetch(fromSocket("http://h/", "198.18.0.7", spoofed))).text(), "198.18.0.7");
    assert.equal(await (await plain.fetch(fromSocket("http://h/", "::ffff:198.18.0.7"))).text(), "198.18.0.7");

    const behindIngress = testApp().set("trustProxy", true);
    behindIngress.get("/", (c) => c.ip ?? "none");
    const chain = { headers: { "x-forwarded-for": "6.6.6.6, 203.0.113.9, 10.0.0.3" } };
    // The peer (10.0.0.2) and the last hop (10.0.0.3) are private: the client is the address before them.
    assert.equal(await (await behindIngress.fetch(fromSocket("http://h/", "10.0.0.2", chain))).text(), "203.0.113.9");
    // A public peer is the client itself, whatever it claims.
    assert.equal(
      await (await behindIngress.fetch(fromSocket("http://h/", "203.0.113.5", chain))).text(),
      "203.0.113.5",
    );

    const listed = testApp().set("trustProxy", ["198.18.0.0/15"]);
    listed.get("/", (c) => c.ip ?? "none");
    const viaList = { headers: { "x-forwarded-for": "10.1.1.1, 198.19.0.1" } };
    assert.equal(await (await listed.fetch(fromSocket("http://h/", "198.18.0.1", viaList))).text(), "10.1.1.1");
    assert.throws(() => testApp().set("trustProxy", ["not-an-address"]), /not an IP address/);
  });

  it("c.xhr, c.secure (X-Forwarded-Proto only when trusted)", async () => {
    const app = testApp();
    app.get("/", (c) => `${c.xhr} ${c.secure}`);
    assert.equal(
      await (await app.request("/", { headers: { "x-requested-with": "XMLHttpRequest" } })).text(),
      "true false",
    );
    assert.equal(await (await app.request("https://h/")).text(), "false true");
    const proxied = { headers: { "x-forwarded-proto": "https" } };
    assert.equal(await (await app.request("/", proxied)).text(), "false false");
    const trusting = testApp().set("trustProxy", true);
    trusting.get("/", (c) => String(c.secure));
    assert.equal(await (await trusting.request("/", proxied)).text(), "true");
  });

  it("accept, accepts() and preferredType() as Sinatra's request.accept, accept? and preferred_type", async () => {
    const app = testApp();
    app.get("/", (c) =>
      [c.accept.join(","), c.accepts("json"), c.accepts("image/png"), c.preferredType("html", "json")].join(" "),
    );
    const res = await app.request("/", { headers: { accept: "text/html;q=0.5, application/json, */*;q=0.1" } });
    assert.equal(await res.text(), "application/json,text/html,*/* true true json");
    const none = await app.request("/");
    assert.equal(await none.text(), "*/* true true html");
  });
});

describe("logging, media types, the response body", () => {
  it("c.logger writes lines that name the request, at the level asked", async () => {
    const lines: string[] = [];
    const app = testApp().set("logging", { level: "info", format: "json", write: (line) => lines.push(line) });
    app.get("/work", (c) => {
      c.logger.debug("hidden");
      c.logger.info("working", { items: 3 });
      return "ok";
    });
    await app.request("/work");
    assert.equal(lines.length, 1);
    const line = JSON.parse(lines[0]);
    assert.deepEqual(
      [line.level, line.method, line.path, line.message, line.items],
      ["info", "GET", "/work", "working", 3],
    );
    assert.throws(() => testApp().set("logging", "loud" as never), /unknown level "loud"/);
  });

  it("c.logger's JSON lines carry the trace id of an incoming traceparent, as the access log does", async () => {
    const lines: string[] = [];
    const app = testApp().set("logging", { format: "json", write: (line) => lines.push(line) });
    app.get("/traced", (c) => {
      c.logger.info("traced");
      return "ok";
    });
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    await app.request("/traced", { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } });
    await app.request("/traced");
    const [traced, untraced] = lines.map((line) => JSON.parse(line));
    assert.equal(traced.trace_id, traceId);
    assert.equal("trace_id" in untraced, false);
  });

  it("mimeType(name, type) registers a name for c.type and provides; an unknown name says how to register it", async () => {
    const app = testApp().mimeType("ics", "text/calendar").mimeType("foo", "application/x-foo");
    app.get("/cal", (c) => {
      c.type("ics");
      return "BEGIN:VCALENDAR";
    });
    app.get("/foo", { provides: "foo" }, () => "foo!");
    app.get("/bad", (c) => {
      c.type("nosuchtype");
      return "";
    });
    assert.equal((await app.request("/cal")).headers.get("content-type"), "text/calendar;charset=utf-8");
    const foo = await app.request("/foo", { headers: { accept: "application/x-foo" } });
    assert.deepEqual([foo.status, foo.headers.get("content-type")], [200, "application/x-foo"]);
    const logged: unknown[] = [];
    app[logError] = (error) => void logged.push(error);
    assert.equal((await app.request("/bad")).status, 500);
    assert.match(String(logged[0]), /register it with app.mimeType\("nosuchtype"/);
  });

  it("after filters read and replace the response body", async () => {
    const app = testApp();
    app.get("/", () => "hello");
    app.get("/json", (c) => c.json({ a: 1 }));
    app.after((c) => {
      if (typeof c.responseBody === "string") c.responseBody = c.responseBody.toUpperCase();
    });
    const res = await app.request("/");
    assert.deepEqual([await res.text(), res.headers.get("content-type")], ["HELLO", "text/html;charset=utf-8"]);
    assert.equal(await (await app.request("/json")).text(), '{"A":1}');
  });
});

describe("session and flash", () => {
  it("session.clear() empties the session and removes the cookie", async () => {
    const app = testApp().enable("sessions").set("sessionSecret", "s".repeat(32));
    app.post("/login", (c) => {
      c.session.user = "ann";
      return "in";
    });
    app.get("/me", (c) => String(c.session.user ?? "nobody"));
    app.post("/logout", (c) => {
      c.session.clear();
      return "out";
    });
    const cookie = cookiesOf(await app.request("/login", { method: "POST" }));
    assert.equal(await (await app.request("/me", { headers: { cookie } })).text(), "ann");
    const out = await app.request("/logout", { method: "POST", headers: { cookie } });
    assert.match(out.headers.get("set-cookie") ?? "", /Max-Age=0/);
    assert.equal(await (await app.request("/me", { headers: { cookie: cookiesOf(out) } })).text(), "nobody");
  });

  it("flash messages reach the next request that reads them, once; flash.now only this one", async () => {
    const app = testApp().enable("sessions").set("sessionSecret", "s".repeat(32));
    app.post("/save", (c) => {
      c.flash.notice = "Saved";
      c.flash.now.hint = "only now";
      return `${c.flash.notice} ${c.flash.hint}`;
    });
    app.get("/", (c) => `notice=${c.flash.notice ?? ""} hint=${c.flash.hint ?? ""}`);
    const saved = await app.request("/save", { method: "POST" });
    assert.equal(await saved.text(), "Saved only now");
    const first = await app.request("/", { headers: { cookie: cookiesOf(saved) } });
    assert.equal(await first.text(), "notice=Saved hint=");
    const again = await app.request("/", { headers: { cookie: cookiesOf(first) || cookiesOf(saved) } });
    assert.equal(await again.text(), "notice= hint=", "shown once");
  });
});
