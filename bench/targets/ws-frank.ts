/** A WebSocket echo in frank, as its users write it (`frank bench/targets/ws-frank.ts`). */
import { App } from "../../src/index.js";
import { HELLO } from "./shared.js";

const app = new App();
app.get("/hello", (c) => {
  c.type("text");
  return HELLO;
});
// Pings off in both targets: the measurement is the echo, not the keep-alive.
app.ws(
  "/echo",
  { pingInterval: 0 },
  {
    message(ws, data) {
      ws.send(data);
    },
  },
);

export default app;
