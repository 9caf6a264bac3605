/** h3 2 served by srvx, with h3's serveStatic over node:fs. */
import { H3, getRouterParam, readBody, readValidatedBody, serveStatic } from "h3";
import { serve } from "srvx";
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
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

const app = new H3();

for (const pattern of ROUTES_BEFORE_USER) app.get(pattern, () => otherRouteBody(pattern));
app.get("/hello", () => HELLO);
app.get("/json", () => JSON_PAYLOAD);
app.get("/user/:id", (event) => `User ${getRouterParam(event, "id")}`);
app.post("/echo", (event) => readBody(event));
app.post("/orders", async (event) => orderSummary(await readValidatedBody(event, Order)));
for (const pattern of ROUTES_AFTER_USER) app.get(pattern, () => otherRouteBody(pattern));
app.use("/static/**", (event) =>
  serveStatic(event, {
    getContents: (id) => readFile(join(PUBLIC_DIR, id)),
    getMeta: async (id) => {
      const stats = await stat(join(PUBLIC_DIR, id)).catch(() => undefined);
      return stats?.isFile() ? { size: stats.size, mtime: stats.mtimeMs } : undefined;
    },
  }),
);

serve({ fetch: app.fetch, port: PORT, hostname: HOST, silent: true });
