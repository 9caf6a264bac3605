// The types a user touches are checked by the compiler (`npm run typecheck`): every line marked
// to expect an error must fail to compile, every other line must compile. The runtime tests below
// show that what compiles also answers, and that what the types refuse fails at runtime too.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { App } from "./app.js";
import type { RouteHandler } from "./definition.js";
import type { RouteParams } from "../router/pattern.js";
import { type HandlerResult, reply } from "./result.js";
import { logError } from "./internal-methods.js";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<_Check extends true>(): void {}

interface Order {
  id: number;
  lines: string[];
}
declare const order: Order;
const app = new App();

// Results a route may return: every form of DESIGN.md §2, interfaces and toJSON classes included.
app.get("/string", () => "text");
app.get("/status", () => 204);
app.get("/interface", () => order);
app.get("/async-interface", async () => order);
app.get("/array", () => [order]);
app.get("/date", () => new Date(0));
app.get("/tuple", () => reply(201, "made"));
app.get("/tuple-headers", () => reply(201, { location: "/o/1" }, "made"));
app.get("/bytes", () => new TextEncoder().encode("x"));
app.get("/response", () => new Response("x"));
app.get("/nothing", (c) => {
  c.status(204);
});
app.get("/redirect", (c) => c.redirect("/"));
app.get("/file", (c) => c.sendFile("x.txt"));
app.error((c, error: Error) => ({ error: error.message, at: c.req.url }));

// Results JSON would lose, or that are no result at all, do not compile.
// @ts-expect-error a Map becomes `{}` in JSON
app.get("/map", () => new Map([["a", 1]]));
// @ts-expect-error a Set becomes `{}` in JSON
app.get("/set", () => new Set([1]));
// @ts-expect-error an async Map is a Map too
app.get("/async-map", async () => new Map());
// @ts-expect-error a boolean is no response
app.get("/boolean", () => true);
// @ts-expect-error an error handler answers as a route does
app.error(() => new Map());

expectType<Equal<ReturnType<RouteHandler<RouteParams>>, HandlerResult | Promise<HandlerResult>>>();

// halt takes Sinatra's forms, and only those.
app.get("/halts", (c) => {
  if (c.query.a) c.halt();
  if (c.query.b) c.halt(404);
  if (c.query.c) c.halt("gone");
  if (c.query.d) c.halt({ error: "nope" });
  if (c.query.e) c.halt(403, "no");
  if (c.query.f) c.halt(401, { "www-authenticate": "Basic" }, "who?");
  if (c.query.g) c.halt(new Response("whole"));
  // @ts-expect-error a status and body come as (status, body), never (body, status)
  if (c.query.h) c.halt("no", 403);
  // @ts-expect-error [status, body] takes a string, bytes or a stream as its body, not JSON
  if (c.query.i) c.halt(422, { error: "invalid" });
  // @ts-expect-error a Map is no result here either
  if (c.query.j) c.halt(new Map());
  return "not halted";
});

// The sessions setting takes the session middleware's options.
app.set("sessions", true);
app.set("sessions", { secret: "s".repeat(32), maxAge: 3600, sameSite: "Strict" });
app.set({ sessions: { name: "my.session" } });
// @ts-expect-error a misspelt option is caught
app.set("sessions", { secrte: "s".repeat(32) });
// @ts-expect-error sameSite is one of three words
app.set("sessions", { sameSite: "lax" });
// @ts-expect-error a setting frank reads gets its own type, not the catch-all
app.set("strictPaths", "no");
app.set("myOwnSetting", { anything: true }); // names frank does not read take any value

describe("what the handler types allow answers, and what they refuse fails", () => {
  it("interfaces, Dates and replies answer; an array is data", async () => {
    const orders = new App();
    orders.set({ environment: "production", dumpErrors: false, publicFolder: false });
    const one: Order = { id: 1, lines: ["tea"] };
    orders.get("/order", () => one);
    orders.get("/when", () => new Date(0));
    orders.get("/made", () => reply(201, { location: "/order" }, "made"));
    orders.get("/list", () => [201, { location: "/order" }, "made"]);
    assert.deepEqual(await (await orders.request("/order")).json(), one);
    assert.equal(await (await orders.request("/when")).json(), "1970-01-01T00:00:00.000Z");
    const made = await orders.request("/made");
    assert.equal(made.status, 201);
    assert.equal(made.headers.get("location"), "/order");
    const list = await orders.request("/list");
    assert.deepEqual([list.status, await list.json()], [200, [201, { location: "/order" }, "made"]]);
  });

  it("a Map, were it forced through, is a 500 that names it", async () => {
    const maps = new App();
    const logged: unknown[] = [];
    maps.set({ environment: "production", publicFolder: false });
    maps[logError] = (error) => void logged.push(error);
    maps.get("/map", (() => new Map([["a", 1]])) as unknown as RouteHandler<RouteParams>);
    assert.equal((await maps.request("/map")).status, 500);
    assert.match(String(logged[0]), /an object of class Map/);
  });
});
