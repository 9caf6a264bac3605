/** frank, as its users write it: an App exported for the launcher (`frank bench/targets/frank.ts`). */
import { App } from "../../src/index.js";
import { Order, orderSummary } from "./order.js";
import { HELLO, JSON_PAYLOAD, PUBLIC_DIR, ROUTES_AFTER_USER, ROUTES_BEFORE_USER, otherRouteBody } from "./shared.js";

const app = new App();
app.set("publicFolder", PUBLIC_DIR);

for (const pattern of ROUTES_BEFORE_USER) app.get(pattern, () => otherRouteBody(pattern));
app.get("/hello", (c) => {
  c.type("text");
  return HELLO;
});
app.get("/json", () => JSON_PAYLOAD);
app.get("/user/:id", (c) => {
  c.type("text");
  return `User ${c.params.id}`;
});
app.post("/echo", (c) => c.json());
app.post("/orders", { validate: { json: Order } }, (c) => orderSummary(c.valid.json));
for (const pattern of ROUTES_AFTER_USER) app.get(pattern, () => otherRouteBody(pattern));

export default app;
