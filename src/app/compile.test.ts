import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { App } from "./app.js";

describe("compile()", () => {
  it("builds the app now, so a configuration error appears before the first request", () => {
    const saved = process.env.SESSION_SECRET;
    delete process.env.SESSION_SECRET;
    try {
      const app = new App();
      app.set({ environment: "production", publicFolder: false });
      app.enable("sessions");
      assert.throws(() => app.compile(), /sessions need SESSION_SECRET in production/);
    } finally {
      if (saved !== undefined) process.env.SESSION_SECRET = saved;
    }
  });

  it("returns the app, and the first request uses what it built", async () => {
    const app = new App();
    app.set({ environment: "test", publicFolder: false });
    let built = 0;
    app.use((next) => {
      built++;
      return next;
    });
    app.get("/", () => "ok");
    assert.equal(app.compile(), app);
    assert.equal(built, 1);
    assert.equal(await (await app.request("/")).text(), "ok");
    assert.equal(built, 1, "not built again");
    app.get("/more", () => "more"); // a new route compiles again, on the next request
    assert.equal(await (await app.request("/more")).text(), "more");
    assert.equal(built, 2);
  });
});
