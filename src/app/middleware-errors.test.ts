// An error thrown by a middleware the App uses is answered by the same status rule as a route's,
// and a server error goes to the App's error log: a JSON line in production.
import assert from "node:assert/strict";
import { test } from "node:test";
import { HttpError } from "../http/http-error.js";
import { App } from "./app.js";

/** What `run` writes to stderr, kept from the terminal. */
async function stderrOf(run: () => Promise<unknown>): Promise<string> {
  const original = process.stderr.write;
  let written = "";
  process.stderr.write = ((chunk: string | Uint8Array) => {
    written += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  try {
    await run();
  } finally {
    process.stderr.write = original;
  }
  return written;
}

function appWithFailingMiddleware(error: unknown): App {
  const app = new App();
  app.set({ environment: "production", dumpErrors: true, publicFolder: false });
  app.use(() => () => {
    throw error;
  });
  app.get("/x", () => "never");
  return app;
}

test("a middleware's error in production: a 500 page, and one JSON line in the error log", async () => {
  const app = appWithFailingMiddleware(new Error("middleware broke"));
  let res!: Response;
  const logged = await stderrOf(async () => {
    res = await app.request("/x?token=1");
  });
  assert.equal(res.status, 500);
  assert.equal(await res.text(), "<h1>Internal Server Error</h1>");
  const lines = logged.trim().split("\n");
  assert.equal(lines.length, 1, logged);
  const entry = JSON.parse(lines[0]);
  assert.equal(entry.level, "error");
  assert.equal(entry.message, "middleware broke");
  assert.equal(entry.method, "GET");
  assert.equal(entry.path, "/x");
  assert.match(entry.stack, /middleware broke/);
});

test("a middleware's HttpError answers its own status, unlogged, as a route's would", async () => {
  const app = appWithFailingMiddleware(new HttpError(429));
  let res!: Response;
  const logged = await stderrOf(async () => {
    res = await app.request("/x");
  });
  assert.equal(res.status, 429);
  assert.equal(await res.text(), "<h1>Too Many Requests</h1>");
  assert.equal(logged, "");
});
