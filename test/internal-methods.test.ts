// What frank calls on an App and a Context but apps do not is out of their public types and off
// their names: a Context's applying of results, starting over and building of the Response, an
// App's error log and its start and stop hooks. The server still finds the hooks, by their
// registered symbols, on a frank App and on any app that has them.
import assert from "node:assert/strict";
import { test } from "node:test";
import { App, Context, serve } from "../src/index.js";

const HIDDEN_CONTEXT = ["apply", "reset", "finish", "startOver", "answered"] as const;
const HIDDEN_APP = ["runStartHooks", "runStopHooks", "logError"] as const;

test("a Context and an App have no method named like frank's internal ones", () => {
  for (const name of HIDDEN_CONTEXT) assert.ok(!(name in Context.prototype), `Context has ${name}`);
  for (const name of HIDDEN_APP) assert.ok(!(name in App.prototype), `App has ${name}`);
});

test("the types say so too", () => {
  const app = new App();
  app.get("/", (c) => {
    // @ts-expect-error frank's own: applies a handler's result
    c.apply;
    // @ts-expect-error frank's own: starts over for the plain 500
    c.reset;
    // @ts-expect-error frank's own: builds the Response
    c.finish;
    // @ts-expect-error frank's own: starts over for an error handler
    c.startOver;
    // @ts-expect-error frank's own: whether a handler answered
    c.answered;
    return "ok";
  });
  // @ts-expect-error called by the server
  app.runStartHooks;
  // @ts-expect-error called by the server
  app.runStopHooks;
  // @ts-expect-error called by the dispatch
  app.logError;
});

test("serve() runs an App's onStart and onStop hooks, and those of any app with the registered symbols", async () => {
  const events: string[] = [];
  const app = new App().set({ environment: "test", publicFolder: false });
  app.onStart(() => void events.push("app started"));
  app.onStop(() => void events.push("app stopped"));
  app.get("/", () => "hi");
  // As a frank App from another copy of frank would carry them: the same registered symbols.
  const other = {
    fetch: () => new Response("other"),
    [Symbol.for("frank.runStartHooks")]: async () => void events.push("other started"),
    [Symbol.for("frank.runStopHooks")]: async () => void events.push("other stopped"),
  };
  for (const served of [app, other]) {
    const server = await serve(served, { port: 0, host: "127.0.0.1", env: "test", quiet: true, handleSignals: false });
    assert.equal((await fetch(server.localUrl)).status, 200);
    await server.close();
  }
  assert.deepEqual(events, ["app started", "app stopped", "other started", "other stopped"]);
});
