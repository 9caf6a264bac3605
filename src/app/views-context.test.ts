// Views as a Sinatra app's views: they see the request (helpers, session, params, variables),
// hand markup to their layout (content_for), may be defined in code or given as a string,
// answer to Sinatra's `.erb` names, and render nothing for a missing local.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { App } from "./app.js";
import { logError } from "./internal-methods.js";

let root: string;

before(() => {
  root = mkdtempSync(join(tmpdir(), "frank-views-context-"));
  mkdirSync(join(root, "views"));
  const view = (name: string, text: string) => writeFileSync(join(root, "views", name), text);
  view(
    "layout.eta",
    "<head><title><%= it.title %></title><%~ yieldContent('head') %></head><body><%~ it.body %></body>",
  );
  view(
    "profile.eta",
    [
      "<% contentFor('head', () => { %><script src=\"/profile.js\"></script><% }) %>",
      "<p><%= c.shout(it.user.name) %> (<%= c.session.role %>) asked for <%= c.params.tab %></p>",
    ].join(""),
  );
  view("index.eta", "<p>index <%= it.name %></p>");
  view("maybe.eta", "<p>[<%= it.missing %>][<%~ it.alsoMissing %>][<%= it.zero %>]</p>");
});

after(() => rmSync(root, { recursive: true, force: true }));

function appWithViews() {
  const app = new App<{ user: { name: string } }>()
    .set({ environment: "production", root, publicFolder: false, dumpErrors: false })
    .enable("sessions")
    .set("sessionSecret", "a-session-secret-of-at-least-32-chars")
    .helpers({
      shout(text: string) {
        return `${text.toUpperCase()}!`;
      },
    });
  return app;
}

describe("views see the request", () => {
  it("helpers, the session, params and the variables filters set; content_for reaches the layout", async () => {
    const app = appWithViews();
    app.before((c) => {
      c.set("user", { name: "ann" });
      c.session.role = "editor";
    });
    app.get("/profile", (c) => c.render("profile", { title: "Profile" }));
    const page = await (await app.request("/profile?tab=posts")).text();
    assert.equal(
      page,
      '<head><title>Profile</title><script src="/profile.js"></script></head><body><p>ANN! (editor) asked for posts</p></body>',
    );
  });

  it("yieldContent with nothing given renders nothing", async () => {
    const app = appWithViews();
    app.get("/", (c) => c.render("index", { name: "x", title: "T" }));
    assert.equal(await (await app.request("/")).text(), "<head><title>T</title></head><body><p>index x</p></body>");
  });
});

describe("templates in code and as strings", () => {
  it("app.template and app.layout (Sinatra's inline templates), and renderString", async () => {
    const app = new App().set({ environment: "production", root: join(root, "nowhere"), publicFolder: false });
    app.layout("<main><%~ it.body %></main>");
    app.template("hello", "<p>Hello <%= it.name %></p>");
    app.get("/", (c) => c.render("hello", { name: "<frank>" }));
    app.get("/string", (c) => c.renderString("<b><%= it.n %></b>", { n: 1 }, { layout: false }));
    assert.equal(await (await app.request("/")).text(), "<main><p>Hello &lt;frank&gt;</p></main>");
    assert.equal(await (await app.request("/string")).text(), "<b>1</b>");
  });
});

describe("Sinatra's names and missing locals", () => {
  it("index.erb renders views/index.eta; an .erb name with no .eta is a clear error naming Eta's extension", async () => {
    const app = appWithViews();
    const logged: unknown[] = [];
    app[logError] = (error) => void logged.push(error);
    app.get("/", (c) => c.render("index.erb", { name: "erb", title: "T" }, { layout: false }));
    app.get("/old", (c) => c.render("legacy.erb"));
    assert.equal(await (await app.request("/")).text(), "<p>index erb</p>");
    assert.equal((await app.request("/old")).status, 500);
    assert.match(
      String(logged[0]),
      /frank renders Eta templates \(\.eta\), not ERB; rename views\/legacy\.erb to views\/legacy\.eta/,
    );
  });

  it("a missing local renders nothing, not 'undefined'; zero still renders", async () => {
    const app = appWithViews();
    app.get("/", (c) => c.render("maybe", { zero: 0 }, { layout: false }));
    assert.equal(await (await app.request("/")).text(), "<p>[][][0]</p>");
  });
});
