import assert from "node:assert/strict";
import diagnosticsChannel from "node:diagnostics_channel";
import { test } from "node:test";
import { ROUTE_CHANNEL, type RouteMessage } from "../http/request-channels.js";
import { recordRoute, routeOf } from "../http/route-record.js";
import { methodOverride } from "../middleware/method-override.js";
import { App } from "./app.js";

// What the App records for the server's metrics and traces (http/route-record.ts), and publishes.

test("the App records the pattern of the route that answered, on the request the server made", async () => {
  const app = new App();
  app.get("/hello/:name", (c) => `hi ${c.params.name}`);
  app.get(/^\/posts\/(\d+)$/, () => "post");
  app.get("/maybe/:n", (c) => (Number(c.params.n) % 2 ? c.pass() : "even"));
  app.get("/maybe/*", () => "odd");
  const route = async (path: string, init?: RequestInit) => {
    const request = new Request(`http://x${path}`, init);
    await app.fetch(request);
    return routeOf(request);
  };
  assert.equal(await route("/hello/ann"), "/hello/:name");
  assert.equal(await route("/hello/bob", { method: "HEAD" }), "/hello/:name");
  assert.equal(await route("/posts/12"), String(/^\/posts\/(\d+)$/));
  assert.equal(await route("/maybe/2"), "/maybe/:n");
  assert.equal(await route("/maybe/3"), "/maybe/*", "after pass() the route that answered");
  assert.equal(await route("/nowhere"), undefined);
});

test("through a middleware that derives the request, the route still lands on the original", async () => {
  const app = new App();
  app.use(methodOverride());
  app.delete("/items/:id", () => 204);
  const request = new Request("http://x/items/1", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "_method=DELETE",
  });
  assert.equal((await app.fetch(request)).status, 204);
  assert.equal(routeOf(request), "/items/:id");
});

test("frank.route subscribers hear each route chosen, with the original request", async (t) => {
  const heard: RouteMessage[] = [];
  const listen = (message: unknown) => heard.push(message as RouteMessage);
  diagnosticsChannel.subscribe(ROUTE_CHANNEL, listen);
  t.after(() => diagnosticsChannel.unsubscribe(ROUTE_CHANNEL, listen));
  const app = new App();
  app.get("/a/:x", (c) => c.pass());
  app.get("/a/*", () => "second");
  const request = new Request("http://x/a/1");
  await app.fetch(request);
  assert.deepEqual(
    heard.map(({ request: r, method, route }) => [r === request, method, route]),
    [
      [true, "GET", "/a/:x"],
      [true, "GET", "/a/*"],
    ],
  );
  recordRoute(request, "/manual");
  assert.equal(routeOf(request), "/manual", "any framework can record its own pattern");
});
