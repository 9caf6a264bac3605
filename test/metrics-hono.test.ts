// frank's /metrics for an app that is not frank's: a Hono app names its routes with recordRoute,
// as the README shows, and frank's server counts them.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Hono } from "hono";
import { routePath } from "hono/route";
import { recordRoute } from "../src/middleware/index.js";
import { serve } from "../src/server/serve.js";
import { httpGet } from "./support/http.js";
import { samplesOf, sampleValue } from "./support/prometheus.js";

test("a Hono app records its route patterns with recordRoute; frank's /metrics labels by them", async (t) => {
  const app = new Hono();
  app.use(async (c, next) => {
    await next();
    // After next(), routePath(c) is the route that answered; only a matched one is recorded.
    if (c.res.status !== 404) recordRoute(c.req.raw, routePath(c));
  });
  app.get("/posts/:id", (c) => c.text(`post ${c.req.param("id")}`));

  const server = await serve(app, { port: 0, host: "127.0.0.1", env: "test", handleSignals: false, quiet: true });
  t.after(() => server.close());
  const base = server.localUrl.replace(/\/$/, "");
  for (const id of ["1", "2", "3"]) assert.equal((await httpGet(`${base}/posts/${id}`)).status, 200);
  assert.equal((await httpGet(`${base}/nothing`)).status, 404);

  const samples = samplesOf((await httpGet(`${base}/metrics`)).body);
  assert.equal(sampleValue(samples, "http_requests_total", { route: "/posts/:id", status_code: "200" }), 3);
  assert.equal(sampleValue(samples, "http_requests_total", { route: "", status_code: "404" }), 1);
});
