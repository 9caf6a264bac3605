/** Hono 4 on @hono/node-server, with its Node serveStatic and its logger middleware (to stdout). */
import { Hono } from "hono";
import { zValidator } from "@hono/zod-validator";
import { logger } from "hono/logger";
import { serve } from "@hono/node-server";
import { serveStatic } from "@hono/node-server/serve-static";
import {
  HELLO,
  HOST,
  JSON_PAYLOAD,
  PORT,
  PUBLIC_DIR,
  ROUTES_AFTER_USER,
  ROUTES_BEFORE_USER,
  otherRouteBody,
} from "./shared.js";
import { Order, orderSummary } from "./order.js";

const app = new Hono();
app.use(logger());

for (const pattern of ROUTES_BEFORE_USER) app.get(pattern, (c) => c.text(otherRouteBody(pattern)));
app.get("/hello", (c) => c.text(HELLO));
app.get("/json", (c) => c.json(JSON_PAYLOAD));
app.get("/user/:id", (c) => c.text(`User ${c.req.param("id")}`));
app.post("/echo", async (c) => c.json(await c.req.json()));
app.post("/orders", zValidator("json", Order), (c) => c.json(orderSummary(c.req.valid("json"))));
for (const pattern of ROUTES_AFTER_USER) app.get(pattern, (c) => c.text(otherRouteBody(pattern)));
app.use("/static/*", serveStatic({ root: PUBLIC_DIR }));

serve({ fetch: app.fetch, port: PORT, hostname: HOST });
