/** Express 5 with express.json() and express.static(), logging with morgan's "combined" format to stdout. */
import express from "express";
import morgan from "morgan";
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
import { Order, orderSummary } from "./order.js";

const app = express();
app.use(morgan("combined"));

for (const pattern of ROUTES_BEFORE_USER)
  app.get(pattern, (_req, res) => {
    res.send(otherRouteBody(pattern));
  });
app.get("/hello", (_req, res) => {
  res.type("text").send(HELLO);
});
app.get("/json", (_req, res) => {
  res.json(JSON_PAYLOAD);
});
app.get("/user/:id", (req, res) => {
  res.type("text").send(`User ${req.params.id}`);
});
app.post("/echo", express.json(), (req, res) => {
  res.json(req.body);
});
app.post("/orders", express.json(), (req, res) => {
  const parsed = Order.safeParse(req.body);
  if (parsed.success) res.json(orderSummary(parsed.data));
  else res.status(422).json({ issues: parsed.error.issues });
});
for (const pattern of ROUTES_AFTER_USER)
  app.get(pattern, (_req, res) => {
    res.send(otherRouteBody(pattern));
  });
app.use("/static", express.static(STATIC_DIR));

app.listen(PORT, HOST);
