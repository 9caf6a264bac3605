/** Fastify 5 with @fastify/static, as its documentation shows it, logging as in production (`logger: true`: pino, JSON lines to stdout). */
import Fastify from "fastify";
import fastifyStatic from "@fastify/static";
import {
  HELLO,
  HOST,
  JSON_PAYLOAD,
  PORT,
  ROUTES_AFTER_USER,
  ROUTES_BEFORE_USER,
  STATIC_DIR,
  otherRouteBody,
} from "./shared.js";
import { ORDER_JSON_SCHEMA } from "./order.js";

const app = Fastify({ logger: true });

for (const pattern of ROUTES_BEFORE_USER) app.get(pattern, async () => otherRouteBody(pattern));
app.get("/hello", async () => HELLO);
app.get("/json", async () => JSON_PAYLOAD);
app.get<{ Params: { id: string } }>("/user/:id", async (request) => `User ${request.params.id}`);
app.post("/echo", async (request) => request.body);
app.post<{ Body: { order: string; items: unknown[] } }>(
  "/orders",
  { schema: { body: ORDER_JSON_SCHEMA } },
  async (request) => ({ order: request.body.order, items: request.body.items.length }),
);
for (const pattern of ROUTES_AFTER_USER) app.get(pattern, async () => otherRouteBody(pattern));

await app.register(fastifyStatic, { root: STATIC_DIR, prefix: "/static/" });
await app.listen({ port: PORT, host: HOST });
