import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { App } from "./app.js";

function testApp(methodNotAllowed: boolean): App {
  const app = new App();
  app.set({ environment: "production", dumpErrors: false, publicFolder: false, methodNotAllowed });
  app.get("/items/:id", (c) => `item ${c.params.id}`);
  app.delete("/items/:id", () => 204);
  app.post("/items", () => 201);
  app.put("/items/:id", { provides: "json" }, () => ({ put: true }));
  return app;
}

describe("methodNotAllowed", () => {
  it("is off by default: a path with routes of other methods only is Sinatra's 404 with X-Cascade", async () => {
    const app = new App();
    app.set({ environment: "production", publicFolder: false });
    app.get("/items/:id", () => "item");
    const res = await app.request("/items/1", { method: "PATCH" });
    assert.equal(res.status, 404);
    assert.equal(res.headers.get("x-cascade"), "pass");
    assert.equal(res.headers.get("allow"), null);
    assert.equal((await testApp(false).request("/items/1", { method: "OPTIONS" })).status, 404);
  });

  it("answers 405 with the methods the path has routes for, HEAD and OPTIONS included", async () => {
    const res = await testApp(true).request("/items/1", { method: "PATCH" });
    assert.equal(res.status, 405);
    assert.equal(res.headers.get("allow"), "GET, HEAD, DELETE, PUT, OPTIONS");
    assert.equal(res.headers.get("x-cascade"), null);
    assert.equal(await res.text(), "<h1>Method Not Allowed</h1>");
    const collection = await testApp(true).request("/items", { method: "DELETE" });
    assert.equal(collection.headers.get("allow"), "POST, OPTIONS");
  });

  it("answers HEAD on a path without GET with a 405 and no body", async () => {
    const res = await testApp(true).request("/items", { method: "HEAD" });
    assert.equal(res.status, 405);
    assert.equal(res.headers.get("allow"), "POST, OPTIONS");
    assert.equal(await res.text(), "");
  });

  it("answers OPTIONS with 204 and Allow unless a route answers OPTIONS itself", async () => {
    const app = testApp(true);
    const res = await app.request("/items/1", { method: "OPTIONS" });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get("allow"), "GET, HEAD, DELETE, PUT, OPTIONS");
    app.options("/items", () => "own answer");
    const own = await app.request("/items", { method: "OPTIONS" });
    assert.equal(await own.text(), "own answer");
  });

  it("keeps 404 for a path no route matches, and for a method whose route declined by its conditions", async () => {
    const app = testApp(true);
    const nowhere = await app.request("/nothing/here", { method: "POST" });
    assert.equal(nowhere.status, 404);
    assert.equal(nowhere.headers.get("x-cascade"), "pass");
    const declined = await app.request("/items/1", { method: "PUT", headers: { accept: "text/html" } });
    assert.equal(declined.status, 404, "PUT is allowed; its route's provides condition said no");
  });

  it("goes through the error handlers like any error status", async () => {
    const app = testApp(true);
    app.error(405, (c) => {
      c.type("json");
      return JSON.stringify({ error: "method", allow: c.res?.headers.get("allow") ?? c.header("allow") });
    });
    const res = await app.request("/items", { method: "PATCH" });
    assert.equal(res.status, 405);
    assert.equal(res.headers.get("allow"), "POST, OPTIONS");
    assert.deepEqual(await res.json(), { error: "method", allow: "POST, OPTIONS" });
  });
});
