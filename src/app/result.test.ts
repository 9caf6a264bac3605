// Only reply(...) (or halt's argument list) is a status tuple; an array is data, sent as JSON.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { App } from "./app.js";
import type { Context } from "./context.js";
import { type HandlerResult, reply } from "./result.js";

function appReturning(value: (c: Context) => HandlerResult): App {
  const app = new App();
  app.set({ environment: "production", dumpErrors: false, publicFolder: false });
  app.get("/", value);
  return app;
}

async function answer(
  app: App,
): Promise<{ status: number; type: string | null; location: string | null; body: string }> {
  const res = await app.request("/");
  return {
    status: res.status,
    type: res.headers.get("content-type"),
    location: res.headers.get("location"),
    body: await res.text(),
  };
}

describe("results", () => {
  it("an array that looks like a status tuple is still JSON data", async () => {
    // What a database row or a user's stored list can look like.
    for (const data of [[250, 500], [301, { location: "//evil" }, "x"], [200, "<script>alert(1)</script>"], [404]]) {
      const got = await answer(appReturning(() => data));
      assert.deepEqual(got, { status: 200, type: "application/json", location: null, body: JSON.stringify(data) });
    }
  });

  it("reply() sets status, headers and body", async () => {
    assert.deepEqual(await answer(appReturning(() => reply(201, "created"))), {
      status: 201,
      type: "text/html;charset=utf-8",
      location: null,
      body: "created",
    });
    const moved = await answer(appReturning(() => reply(301, { location: "/new" }, "")));
    assert.deepEqual([moved.status, moved.location], [301, "/new"]);
    assert.deepEqual(await answer(appReturning(() => reply(404, { error: "no such order" }))), {
      status: 404,
      type: "application/json",
      location: null,
      body: '{"error":"no such order"}',
    });
    assert.deepEqual(await answer(appReturning(() => reply(202, new Headers({ "x-q": "1" }), [1, 2]))), {
      status: 202,
      type: "application/json",
      location: null,
      body: "[1,2]",
    });
  });

  it("halt's argument list is a tuple: halt(status, body), halt(status, headers, body)", async () => {
    const app = appReturning((c) => c.halt(429, { "retry-after": "3" }, "slow down"));
    app.get("/pair", (c) => c.halt(403, "no"));
    assert.deepEqual((await answer(app)).status, 429);
    const pair = await app.request("/pair");
    assert.deepEqual([pair.status, await pair.text()], [403, "no"]);
  });

  it("a reply with a status no response can have is refused where it is made", () => {
    assert.throws(() => reply(99, "x"), RangeError);
    assert.throws(() => reply(1000, "x"), RangeError);
  });
});
