import { test } from "node:test";
import assert from "node:assert/strict";
import { renderNotFoundPage, suggestedRoute } from "./not-found-page.js";

const routes = [
  { method: "GET", pattern: "/" },
  { method: "GET", pattern: "/hello/:name" },
  { method: "POST", pattern: "/orders" },
  { method: "DELETE", pattern: "/orders/:id" },
];

test("HTML: the missing request, the code to add it, and the route table", async () => {
  const res = renderNotFoundPage(
    new Request("http://localhost:4567/orders", { headers: { accept: "text/html" } }),
    routes,
  );
  assert.equal(res.status, 404);
  assert.equal(res.headers.get("x-cascade"), "pass");
  assert.equal(res.headers.get("content-type"), "text/html;charset=utf-8");
  const body = await res.text();
  assert.match(body, /No route matches <code>GET \/orders<\/code>/);
  assert.match(body, /<span class="k">app<\/span>\.get\(<span class="s">&quot;\/orders&quot;<\/span>, \(c\) =&gt; \{/);
  assert.match(body, /<td class="method">GET<\/td><td>\/hello\/:name<\/td>/);
  // The same path exists for POST: the likely mistake is pointed out.
  assert.match(
    body,
    /<tr class="near"><td class="method">POST<\/td><td>\/orders<span class="hint">same path, other method<\/span>/,
  );
});

test("plain text for curl, with the same facts", async () => {
  const res = renderNotFoundPage(new Request("http://localhost:4567/missing", { headers: { accept: "*/*" } }), routes);
  assert.equal(res.headers.get("content-type"), "text/plain;charset=utf-8");
  assert.equal(res.headers.get("x-cascade"), "pass");
  const text = await res.text();
  assert.match(text, /^404 Not Found: no route matches GET \/missing\n/);
  assert.match(text, /^ {2}app\.get\("\/missing", \(c\) => \{$/m);
  assert.match(text, /^ {2}DELETE {2}\/orders\/:id$/m);
});

test("an app with no routes says so", async () => {
  const text = await renderNotFoundPage(new Request("http://localhost/"), []).text();
  assert.match(text, /This app has no routes yet\./);
  const page = await renderNotFoundPage(
    new Request("http://localhost/", { headers: { accept: "text/html" } }),
    [],
  ).text();
  assert.match(page, /This app has no routes yet\./);
});

test("the suggestion uses the DSL verb, app.route for others, and escapes pattern characters", () => {
  assert.equal(suggestedRoute("POST", "/orders"), 'app.post("/orders", (c) => {\n  return "Hello from /orders";\n});');
  assert.match(suggestedRoute("PROPFIND", "/dav"), /^app\.route\("PROPFIND", "\/dav", \(c\) => \{/);
  assert.match(suggestedRoute("GET", "/a:b/c*d(e)"), /^app\.get\("\/a\\\\:b\/c\\\\\*d\\\\\(e\\\\\)"/);
  assert.match(suggestedRoute("GET", '/x"y'), /return "Hello from \/xy";/);
});

test("percent-encoded paths are shown decoded and escaped in HTML; HEAD gets no body", async () => {
  const res = renderNotFoundPage(
    new Request("http://localhost/caf%C3%A9/%3Cb%3E", { headers: { accept: "text/html" } }),
    routes,
  );
  const body = await res.text();
  assert.match(body, /GET \/café\/&lt;b&gt;/);
  assert.ok(!body.includes("/<b>"));
  const head = renderNotFoundPage(new Request("http://localhost/x", { method: "HEAD" }), routes);
  assert.equal(head.status, 404);
  assert.equal(await head.text(), "");
});
