import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync, rmSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createViewRenderer } from "./views.js";
import { html } from "./html.js";

let views: string;
let bare: string;

before(() => {
  views = mkdtempSync(join(tmpdir(), "frank-views-"));
  writeFileSync(join(views, "layout.eta"), "<html><title><%= it.title %></title><%~ it.body %></html>");
  writeFileSync(join(views, "plain.eta"), "<main><%~ it.body %></main>");
  writeFileSync(join(views, "hello.eta"), "<p>Hello <%= it.name %></p>");
  writeFileSync(join(views, "list.eta"), "<ul><% it.items.forEach((i) => { %><li><%= i %></li><% }) %></ul>");
  writeFileSync(join(views, "card.eta"), `<%~ include("partials/badge", { label: it.label }) %>`);
  mkdirSync(join(views, "partials"));
  writeFileSync(join(views, "partials", "badge.eta"), "<span><%= it.label %></span>");
  bare = mkdtempSync(join(tmpdir(), "frank-views-bare-"));
  writeFileSync(join(bare, "hello.eta"), "<p>Hello <%= it.name %></p>");
});
after(() => {
  rmSync(views, { recursive: true, force: true });
  rmSync(bare, { recursive: true, force: true });
});

test("renders a template with escaped locals inside layout.eta by default", async () => {
  const views_ = createViewRenderer({ views, cache: true });
  const out = await views_.render("hello", { name: "<Ann>", title: "T&C" });
  assert.equal(out, "<html><title>T&amp;C</title><p>Hello &lt;Ann&gt;</p></html>");
});

test("layout can be another template or turned off", async () => {
  const views_ = createViewRenderer({ views, cache: true });
  assert.equal(await views_.render("hello", { name: "A" }, { layout: "plain" }), "<main><p>Hello A</p></main>");
  assert.equal(await views_.render("hello", { name: "A" }, { layout: false }), "<p>Hello A</p>");
});

test("without layout.eta the template renders alone", async () => {
  const views_ = createViewRenderer({ views: bare, cache: false });
  assert.equal(await views_.render("hello", { name: "B" }), "<p>Hello B</p>");
});

test("code blocks, partials, and html`` values are not escaped twice", async () => {
  const views_ = createViewRenderer({ views, cache: true });
  assert.equal(
    await views_.render("list", { items: ["a", "<b>"] }, { layout: false }),
    "<ul><li>a</li><li>&lt;b&gt;</li></ul>",
  );
  assert.equal(await views_.render("card", { label: "x<y" }, { layout: false }), "<span>x&lt;y</span>");
  assert.equal(
    await views_.render("hello", { name: html`<em>${"&"}</em>` }, { layout: false }),
    "<p>Hello <em>&amp;</em></p>",
  );
});

test("development re-reads an edited template; production keeps the compiled one", async () => {
  const dir = mkdtempSync(join(tmpdir(), "frank-views-edit-"));
  try {
    writeFileSync(join(dir, "page.eta"), "v1");
    const dev = createViewRenderer({ views: dir, cache: false });
    const prod = createViewRenderer({ views: dir, cache: true });
    assert.equal(await dev.render("page"), "v1");
    assert.equal(await prod.render("page"), "v1");
    writeFileSync(join(dir, "page.eta"), "v2");
    writeFileSync(join(dir, "layout.eta"), "[<%~ it.body %>]");
    assert.equal(await dev.render("page"), "[v2]");
    assert.equal(await prod.render("page"), "v1");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a missing template or one outside the views folder is an error that names it", async () => {
  const views_ = createViewRenderer({ views, cache: false });
  await assert.rejects(views_.render("nope"), /nope/);
  await assert.rejects(views_.render("../../etc/passwd"), /views/i);
});
