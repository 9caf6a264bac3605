import { test } from "node:test";
import assert from "node:assert/strict";
import { html, raw, escapeHtml, SafeHtml } from "./html.js";

test("interpolated values are escaped", () => {
  const input = `<script>alert("x")</script> & 'q'`;
  assert.equal(
    html`<p title="${input}">${input}</p>`.toString(),
    `<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;</p>`,
  );
});

test("nested html results and raw() are not escaped again", () => {
  const inner = html`<b>${"a&b"}</b>`;
  assert.equal(html`<p>${inner}${raw("<br>")}</p>`.toString(), "<p><b>a&amp;b</b><br></p>");
});

test("arrays are joined, each item escaped or passed through", () => {
  const items = ["<x>", "y"];
  assert.equal(
    html`<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>`.toString(),
    "<ul><li>&lt;x&gt;</li><li>y</li></ul>",
  );
  assert.equal(html`${["<", ">"]}`.toString(), "&lt;&gt;");
});

test("null, undefined and false render as nothing; numbers and zero render", () => {
  assert.equal(html`[${null}${undefined}${false}${0}${12.5}]`.toString(), "[012.5]");
});

test("the result is a SafeHtml that renders through String()", () => {
  const page = html`<h1>${"hi"}</h1>`;
  assert.ok(page instanceof SafeHtml);
  assert.equal(`${page}`, "<h1>hi</h1>");
  assert.equal(escapeHtml(`"'`), "&quot;&#39;");
});
