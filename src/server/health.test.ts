import { test } from "node:test";
import assert from "node:assert/strict";
import { withHealthChecks, DEFAULT_LIVENESS_PATH, DEFAULT_READINESS_PATH, type HealthOptions } from "./health.js";

function app(req: Request): Response {
  return new Response(`app saw ${req.method} ${new URL(req.url).pathname}`);
}

function checked(options: Partial<HealthOptions> = {}, ready = () => true) {
  return withHealthChecks(app, {
    livenessPath: DEFAULT_LIVENESS_PATH,
    readinessPath: DEFAULT_READINESS_PATH,
    isReady: ready,
    ...options,
  });
}

async function call(handler: ReturnType<typeof checked>, path: string, method = "GET") {
  const res = await handler(new Request(`http://pod:8080${path}`, { method }));
  return { status: res.status, body: await res.text(), cacheControl: res.headers.get("cache-control") };
}

test("/livez and /readyz are answered before the app, never cached", async () => {
  const handler = checked();
  assert.deepEqual(await call(handler, "/livez"), { status: 200, body: "live\n", cacheControl: "no-store" });
  assert.deepEqual(await call(handler, "/readyz"), { status: 200, body: "ready\n", cacheControl: "no-store" });
  assert.equal((await call(handler, "/readyz?verbose=1")).status, 200);
  assert.equal((await call(handler, "/livez", "HEAD")).status, 200);
});

test("/readyz answers 503 once the server is no longer ready, /livez stays 200", async () => {
  let ready = true;
  const handler = checked({}, () => ready);
  ready = false;
  assert.deepEqual(await call(handler, "/readyz"), { status: 503, body: "shutting down\n", cacheControl: "no-store" });
  assert.equal((await call(handler, "/livez")).status, 200);
});

test("other paths, look-alike paths and other methods go to the app", async () => {
  const handler = checked();
  assert.equal((await call(handler, "/")).body, "app saw GET /");
  assert.equal((await call(handler, "/livez/x")).body, "app saw GET /livez/x");
  assert.equal((await call(handler, "/readyzz")).body, "app saw GET /readyzz");
  assert.equal((await call(handler, "/livez", "POST")).body, "app saw POST /livez");
});

test("the paths are settings, and a probe set to false is the app's path again", async () => {
  const handler = checked({ livenessPath: "/healthz", readinessPath: false });
  assert.equal((await call(handler, "/healthz")).body, "live\n");
  assert.equal((await call(handler, "/livez")).body, "app saw GET /livez");
  assert.equal((await call(handler, "/readyz")).body, "app saw GET /readyz");
  assert.equal(
    withHealthChecks(app, { livenessPath: false, readinessPath: false, isReady: () => true }),
    app,
    "both off adds nothing",
  );
});
