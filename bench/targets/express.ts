/** Express 5 with express.json() and express.static(). */
import express from "express";
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

const app = express();

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
for (const pattern of ROUTES_AFTER_USER)
  app.get(pattern, (_req, res) => {
    res.send(otherRouteBody(pattern));
  });
app.use("/static", express.static(STATIC_DIR));

app.listen(PORT, HOST);
