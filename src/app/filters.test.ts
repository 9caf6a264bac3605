// A filter guards exactly the paths the routes see: same settings, same canonical path.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { App } from "./app.js";

function guardedApp(): App {
  const app = new App();
  app.set({ environment: "production", dumpErrors: false, publicFolder: false });
  return app;
}

describe("filters and routes agree", () => {
  it("compile with the settings in force when the app is compiled, whenever each was declared", async () => {
    const app = guardedApp();
    app.before("/admin", (c) => c.halt(403, "guarded"));
    app.get("/admin", () => "admin page");
    app.disable("strictPaths"); // after the filter: it must follow, as the route does
    for (const path of ["/admin", "/admin/"]) {
      const res = await app.request(path);
      assert.equal(res.status, 403, path);
      assert.equal(await res.text(), "guarded");
    }
    const strict = guardedApp().disable("strictPaths");
    strict.before("/admin", (c) => c.halt(403, "guarded"));
    strict.get("/admin", () => "admin page");
    strict.enable("strictPaths");
    assert.equal((await strict.request("/admin")).status, 403);
    assert.equal((await strict.request("/admin/")).status, 404);
  });

  it("a namespace's filters follow the settings too", async () => {
    const app = guardedApp();
    app.namespace("/admin", (admin) => {
      admin.before("/users", (c) => c.halt(403, "guarded"));
      admin.get("/users", () => "users");
    });
    app.disable("strictPaths");
    const res = await app.request("/admin/users/");
    assert.equal(res.status, 403);
    assert.equal(await res.text(), "guarded");
  });

  it("an after filter follows the settings too", async () => {
    const app = guardedApp();
    app.after("/report", (c) => c.header("x-audited", "yes"));
    app.get("/report", () => "r");
    app.set("strictPaths", false);
    assert.equal((await app.request("/report/")).headers.get("x-audited"), "yes");
  });

  it("a RegExp filter sees the decoded path the string routes match", async () => {
    const app = guardedApp();
    app.before(/\/admin(\/.*)?/, (c) => c.halt(403, "guarded"));
    app.get("/admin/users/:id", (c) => `user ${c.params.id}`);
    for (const path of ["/admin/users/1", "/%61dmin/users/1", "/%61%64%6D%69%6E/users/1", "/adm%69n/users/1"]) {
      assert.equal((await app.request(path)).status, 403, path);
    }
  });

  it("a RegExp route sees that path too: escapes decoded, an encoded slash still one", async () => {
    const app = guardedApp();
    app.get(/\/caf\u00e9\/(.+)/, (c) => JSON.stringify(c.params.captures));
    assert.equal(await (await app.request("/caf%C3%A9/a%2Fb")).text(), '["a/b"]');
    assert.equal(await (await app.request("/caf%c3%a9/x")).text(), '["x"]');
    assert.equal((await app.request("/caf%C3%A9/a/b")).status, 200);
  });

  it("a malformed filter pattern fails when the filter is declared", () => {
    assert.throws(() => guardedApp().before("/(admin", () => {}), /unclosed/);
  });
});
