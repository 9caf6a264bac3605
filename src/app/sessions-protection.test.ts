// The documented setup, app.enable("sessions") with app.use(protection()), guards forms in
// whichever order the two lines were written.
import assert from "node:assert/strict";
import { test } from "node:test";
import { authenticityToken, protection } from "../middleware/protection.js";
import { App } from "./app.js";

const SECRET = "s".repeat(40);

test("with app.enable('sessions'), protection() sees the session in whichever order the two were written", async () => {
  for (const sessionsFirst of [true, false]) {
    const site = new App();
    site.set({ environment: "test", publicFolder: false, sessions: false });
    if (sessionsFirst) site.set("sessions", { secret: SECRET });
    site.use(protection());
    if (!sessionsFirst) site.set("sessions", { secret: SECRET });
    let transfers = 0;
    site.get("/form", (c) => authenticityToken(c.req));
    site.post("/transfer", () => `transfers: ${++transfers}`);
    const page = await site.request("/form");
    const cookie = page.headers.get("set-cookie")!.split(";")[0];
    const token = await page.text();
    const post = (body: string, headers: Record<string, string> = {}) =>
      site.request("/transfer", {
        method: "POST",
        body,
        headers: { cookie, "content-type": "application/x-www-form-urlencoded", ...headers },
      });
    assert.equal((await post("amount=100")).status, 403, `sessions ${sessionsFirst ? "before" : "after"} use()`);
    assert.equal(transfers, 0);
    assert.equal(await (await post(`amount=100&authenticity_token=${token}`)).text(), "transfers: 1");
  }
});
