// Errors and filters in Sinatra's order (base.rb's dispatch!, handle_exception!, error_block!):
// each case is a Sinatra behaviour a ported app relies on.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { HTTP_VERSION } from "../http/connection-info.js";
import { HttpError } from "../http/http-error.js";
import { App } from "./app.js";

function testApp(): App {
  return new App().set({ environment: "production", dumpErrors: false, publicFolder: false });
}

describe("error handlers keep what was set before the error", () => {
  it("before { content_type :json } with not_found gives JSON", async () => {
    const app = testApp();
    app.before((c) => void c.type("json"));
    app.notFound(() => JSON.stringify({ error: "not found" }));
    const res = await app.request("/nowhere");
    assert.deepEqual(
      [res.status, res.headers.get("content-type"), await res.text()],
      [404, "application/json", '{"error":"not found"}'],
    );
  });

  it("headers a route set before it threw stay when an error handler answers; the failed body's own headers go", async () => {
    const app = testApp();
    app.get("/", (c) => {
      c.header("x-request-note", "kept");
      c.header("content-disposition", "attachment");
      throw new Error("boom");
    });
    app.error(500, () => "sorry");
    const res = await app.request("/");
    assert.deepEqual(
      [res.status, res.headers.get("x-request-note"), res.headers.get("content-disposition"), await res.text()],
      [500, "kept", null, "sorry"],
    );
  });

  it("the default pages are HTML whatever type was set", async () => {
    const app = testApp();
    app.before((c) => void c.type("json"));
    const res = await app.request("/nowhere");
    assert.deepEqual(
      [res.headers.get("content-type"), await res.text()],
      ["text/html;charset=utf-8", "<h1>Not Found</h1>"],
    );
  });
});

describe("which error handler answers", () => {
  it("the last one defined that matches (error 403, then error 400..510)", async () => {
    const app = testApp();
    app.error(403, () => "the 403 handler");
    app.error([400, 510], () => "the range handler");
    app.get("/", (c) => c.halt(403));
    app.get("/boom", () => {
      throw new HttpError(403);
    });
    assert.equal(await (await app.request("/")).text(), "the range handler");
    assert.equal(await (await app.request("/boom")).text(), "the range handler");
  });

  it("a missing route reaches notFound before a later range, as Sinatra's error 404 also names NotFound", async () => {
    const app = testApp();
    app.notFound(() => "not found handler");
    app.error([400, 510], () => "range handler");
    app.get("/gone", (c) => c.halt(404));
    assert.equal(await (await app.request("/nowhere")).text(), "not found handler");
    assert.equal(await (await app.request("/gone")).text(), "range handler", "a 404 status: the last defined");
  });

  it("a class handler before a status handler; the most specific class first", async () => {
    class Missing extends HttpError {
      constructor() {
        super(404, "missing thing");
      }
    }
    const app = testApp();
    app.error(HttpError, () => "http error");
    app.error(Missing, () => "missing");
    app.notFound(() => "not found handler");
    app.get("/", () => {
      throw new Missing();
    });
    assert.equal(await (await app.request("/")).text(), "missing");
  });

  it("a notFound handler that returns nothing gives the default page", async () => {
    const app = testApp();
    let ran = false;
    app.notFound(() => {
      ran = true;
    });
    const res = await app.request("/nowhere");
    assert.deepEqual([ran, res.status, await res.text()], [true, 404, "<h1>Not Found</h1>"]);
  });

  it("a handler that returns nothing hands on to the one defined before it", async () => {
    const app = testApp();
    app.error(500, () => "the first handler");
    app.error(500, (c) => void c.header("x-seen", "yes"));
    app.get("/", () => {
      throw new Error("boom");
    });
    const res = await app.request("/");
    assert.deepEqual([await res.text(), res.headers.get("x-seen")], ["the first handler", "yes"]);
  });

  it("sendFile of a missing file goes through notFound", async () => {
    const root = mkdtempSync(join(tmpdir(), "frank-order-"));
    after(() => rmSync(root, { recursive: true, force: true }));
    const app = testApp().set("root", root);
    app.get("/download", (c) => c.sendFile("nope.pdf"));
    app.notFound((c) => `no such file: ${new URL(c.req.url).pathname}`);
    const res = await app.request("/download");
    assert.deepEqual([res.status, await res.text()], [404, "no such file: /download"]);
    assert.equal(res.headers.get("x-cascade"), null, "only a missing route cascades");
  });
});

describe("after filters and status handlers", () => {
  it("an after filter keeps the headers of halt(status, headers, body)", async () => {
    const app = testApp();
    app.get("/", (c) => c.halt(429, { "retry-after": "3" }, "slow down"));
    app.after((c) => void c.header("x-after", "1"));
    const res = await app.request("/");
    assert.deepEqual(
      [res.status, res.headers.get("retry-after"), res.headers.get("x-after"), await res.text()],
      [429, "3", "1", "slow down"],
    );
  });

  it("an after filter keeps the headers a status handler set, and the handler keeps the route's", async () => {
    const app = testApp();
    app.get("/", (c) => {
      c.header("x-route", "1");
      return 403;
    });
    app.error(403, (c) => {
      c.header("x-handler", "1");
      return "forbidden, says the handler";
    });
    app.after((c) => void c.header("x-after", "1"));
    const res = await app.request("/");
    assert.deepEqual(
      [res.headers.get("x-route"), res.headers.get("x-handler"), res.headers.get("x-after"), await res.text()],
      ["1", "1", "1", "forbidden, says the handler"],
    );
  });

  it("before and after filters run for a request no route matches, and their headers stay", async () => {
    const app = testApp();
    const ran: string[] = [];
    app.before((c) => {
      ran.push("before");
      c.header("x-before", "1");
    });
    app.after((c) => {
      ran.push(`after ${c.status()}`);
      c.header("x-after", "1");
    });
    const res = await app.request("/nowhere");
    assert.deepEqual(
      [res.status, res.headers.get("x-before"), res.headers.get("x-after"), ran],
      [404, "1", "1", ["before", "after 404"]],
    );
  });

  it("pass() in a before filter ends that filter; the next filters and the route run", async () => {
    const app = testApp();
    app.before((c) => {
      if (!c.req.headers.get("x-admin")) c.pass();
      c.header("x-admin-seen", "1");
    });
    app.before((c) => void c.header("x-second", "1"));
    app.get("/", () => "route");
    const res = await app.request("/");
    assert.deepEqual(
      [res.status, await res.text(), res.headers.get("x-admin-seen"), res.headers.get("x-second")],
      [200, "route", null, "1"],
    );
  });
});

describe("redirect", () => {
  it("with no URL goes to the current path (Sinatra's redirect to)", async () => {
    const app = testApp();
    app.post("/todos", (c) => c.redirect());
    const res = await app.request("/todos?x=1", { method: "POST" });
    assert.deepEqual([res.status, res.headers.get("location")], [303, "http://localhost/todos"]);
  });

  it("a POST under HTTP/1.0 gets 302 (HTTP/1.0 has no 303), under HTTP/1.1 a 303", async () => {
    const app = testApp();
    app.post("/", (c) => c.redirect("/done"));
    const overHttp10 = new Request("http://h/", { method: "POST" });
    Object.defineProperty(overHttp10, HTTP_VERSION, { value: "1.0" });
    assert.equal((await app.fetch(overHttp10)).status, 302);
    const overHttp11 = new Request("http://h/", { method: "POST" });
    Object.defineProperty(overHttp11, HTTP_VERSION, { value: "1.1" });
    assert.equal((await app.fetch(overHttp11)).status, 303);
  });
});
