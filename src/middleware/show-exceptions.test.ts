import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Hono } from "hono";
import { HttpError } from "../http/http-error.js";
import { renderErrorPage, showExceptions } from "./show-exceptions.js";
import { classify } from "./dev-pages/stack.js";

const BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

// The "app" is a module outside frank's src/, as a user's would be. Made in before(), not at import:
// where several test files share a process (`npm run test:unit`), a file's top level runs while
// earlier files' tests run, and one of those points TMPDIR at a folder it then removes.
let appDir = "";
let loadOrder: (text: string) => unknown;
let handler: () => unknown;
before(async () => {
  appDir = mkdtempSync(join(tmpdir(), "frank-errpage-"));
  writeFileSync(
    join(appDir, "orders.mjs"),
    [
      "export function loadOrder(text) {",
      "  try {",
      "    return JSON.parse(text);",
      "  } catch (cause) {",
      '    throw new RangeError("order total is negative", { cause });',
      "  }",
      "}",
      "export function handler() {",
      "  const order = undefined;",
      "  return order.total;",
      "}",
      "",
    ].join("\n"),
  );
  // Destructured so V8 names the frames plainly ("loadOrder", not "Module.loadOrder").
  ({ loadOrder, handler } = await import(pathToFileURL(join(appDir, "orders.mjs")).href));
});
after(() => rmSync(appDir, { recursive: true, force: true }));

function thrownByApp(): unknown {
  try {
    loadOrder("{not json");
  } catch (error) {
    return error;
  }
  throw new Error("expected loadOrder to throw");
}

const secretRequest = (accept: string) =>
  new Request("http://localhost:4567/orders/7?page=2&api_key=K3Y&access_token=T0K", {
    method: "POST",
    body: "title=Milk&password=hunter2&_csrf=abc",
    headers: {
      accept,
      "content-type": "application/x-www-form-urlencoded",
      authorization: "Bearer eyJhbGciOi",
      "proxy-authorization": "Basic dXNlcjpwYXNz",
      "x-api-key": "sk_live_123",
      cookie: "frank.session=ENCRYPTED; connect.sid=S1D; theme=dark",
    },
  });

test("HTML page: class, message, app frame with source, request with secrets masked", async () => {
  const res = await renderErrorPage(thrownByApp(), secretRequest(BROWSER), { appRoot: appDir });
  assert.equal(res.status, 500);
  assert.equal(res.headers.get("content-type"), "text/html;charset=utf-8");
  assert.equal(res.headers.get("cache-control"), "no-store");
  assert.match(res.headers.get("content-security-policy") ?? "", /default-src 'none'/);
  const body = await res.text();
  assert.match(body, /<span class="kicker">RangeError<\/span>/);
  assert.match(body, /order total is negative/);
  assert.match(body, /in <code>loadOrder<\/code> at <code>orders\.mjs:5<\/code>/);
  assert.match(
    body,
    /<div class="frame app">\s*<div class="frame-head"><span class="tag">app<\/span><span class="fn mono">loadOrder<\/span><span class="loc mono">orders\.mjs:5:11<\/span>/,
  );
  assert.match(body, /<span class="l current"><span class="ln">5<\/span> {4}throw new RangeError/);
  // This test file lives in frank's src/, so its frames are frank's and folded away.
  assert.match(body, /<details class="others"><summary>\d+ frames? in frank/);
  assert.match(body, /Caused by[\s\S]*SyntaxError/);
  assert.match(body, /<th>page<\/th><td>2<\/td>/);
  assert.match(body, /<th>title<\/th><td>Milk<\/td>/);
  assert.match(body, /<th>theme<\/th><td>dark<\/td>/);
  assert.match(body, /<th>authorization<\/th><td>Bearer <span class="masked">\[masked\]<\/span><\/td>/);
  for (const secret of [
    "K3Y",
    "T0K",
    "hunter2",
    "eyJhbGciOi",
    "dXNlcjpwYXNz",
    "sk_live_123",
    "ENCRYPTED",
    "S1D",
    ">abc<",
  ]) {
    assert.ok(!body.includes(secret), `${secret} leaked into the page`);
  }
});

test("curl and API clients get plain text with the same facts and masking", async () => {
  for (const accept of ["*/*", "application/json", ""]) {
    const res = await renderErrorPage(thrownByApp(), secretRequest(accept), { appRoot: appDir });
    assert.equal(res.headers.get("content-type"), "text/plain;charset=utf-8", accept);
    const text = await res.text();
    assert.match(text, /^RangeError: order total is negative\n/);
    assert.match(text, /^orders\.mjs:5 in loadOrder$/m);
    assert.match(text, /^> +5 \| +throw new RangeError/m);
    assert.match(text, /^> +3 \| +return JSON\.parse/m);
    assert.match(text, /^ {2}app +loadOrder \(orders\.mjs:5:11\)$/m);
    assert.match(text, /Caused by: SyntaxError/);
    assert.match(text, /^POST http:\/\/localhost:4567\/orders\/7\?page=2&api_key=\[masked\]&access_token=\[masked\]$/m);
    assert.match(text, /authorization: Bearer \[masked\]/);
    assert.match(text, /cookie: frank\.session=\[masked\]; connect\.sid=\[masked\]; theme=dark/);
    for (const secret of ["K3Y", "hunter2", "sk_live_123", "ENCRYPTED"]) assert.ok(!text.includes(secret), secret);
  }
});

test("user input in the message and request is escaped in HTML", async () => {
  const res = await renderErrorPage(
    new Error("<img src=x onerror=alert(1)>"),
    new Request("http://localhost/?q=<script>x</script>", { headers: { accept: "text/html" } }),
  );
  const body = await res.text();
  assert.ok(!body.includes("<img src=x"));
  assert.ok(!body.includes("<script>x"));
  assert.match(body, /&lt;img src=x onerror=alert\(1\)&gt;/);
});

test("frames are told apart: app, frank, node_modules, Node", () => {
  const root = join(import.meta.dirname, "..", "..");
  assert.equal(classify(join(root, "src", "app", "app.ts")), "frank");
  assert.equal(classify(join(root, "dist", "app", "app.js")), "frank");
  assert.equal(classify(join(root, "node_modules", "hono", "dist", "hono.js")), "dependency");
  assert.equal(classify(join(root, "test", "app.test.ts")), "app");
  assert.equal(classify("/srv/myapp/app.ts"), "app");
  assert.equal(classify("node:internal/process/task_queues"), "node");
});

test("dependency frames fold away; app frames from ES modules (file: URLs) get source", async () => {
  const hono = new Hono();
  hono.get("/", (c) => c.text(String(handler())));
  hono.onError((error) => {
    throw error;
  });
  let error: unknown;
  try {
    await hono.request("/");
  } catch (e) {
    error = e;
  }
  const res = await renderErrorPage(error, new Request("http://localhost/", { headers: { accept: "text/html" } }), {
    appRoot: appDir,
  });
  const body = await res.text();
  assert.match(body, /<span class="kicker">TypeError<\/span>/);
  assert.match(body, /in <code>handler<\/code> at <code>orders\.mjs:10<\/code>/);
  assert.match(body, /<span class="l current"><span class="ln">10<\/span> {2}return order\.total;<\/span>/);
  assert.match(body, /<details class="others"><summary>\d+ frames? in [^<]*node_modules/);
});

test("thrown non-errors, the status the shared rule gives (HttpError's own), and HEAD", async () => {
  const text = await (await renderErrorPage("oops", new Request("http://localhost/"))).text();
  assert.match(text, /^thrown string: 'oops'/);
  assert.equal(
    (await renderErrorPage(new HttpError(503, "maintenance"), new Request("http://localhost/"))).status,
    503,
  );
  assert.equal((await renderErrorPage(new HttpError(404), new Request("http://localhost/"))).status, 404);
  const head = await renderErrorPage(new Error("x"), new Request("http://localhost/", { method: "HEAD" }));
  assert.equal(head.status, 500);
  assert.equal(await head.text(), "");
});

test("showExceptions catches, logs, and still shows a form the handler had read", async () => {
  const logged: unknown[] = [];
  const h = showExceptions({ log: (error) => logged.push(error) })(async (req) => {
    await req.formData();
    throw new Error("after reading the form");
  });
  const res = await h(
    new Request("http://localhost/", {
      method: "POST",
      body: "title=Milk",
      headers: { accept: "text/html", "content-type": "application/x-www-form-urlencoded" },
    }),
  );
  assert.equal(res.status, 500);
  assert.equal(logged.length, 1);
  assert.match(await res.text(), /<th>title<\/th><td>Milk<\/td>/);
});

test("showExceptions passes good responses through and works around a Hono app", async () => {
  const hono = new Hono();
  hono.get("/ok", (c) => c.text("fine"));
  hono.get("/boom", () => {
    throw new Error("from hono");
  });
  hono.onError((error) => {
    throw error;
  });
  const h = showExceptions({ log: () => {} })(hono.fetch);
  assert.equal(await (await h(new Request("http://localhost/ok"))).text(), "fine");
  const res = await h(new Request("http://localhost/boom"));
  assert.equal(res.status, 500);
  assert.match(await res.text(), /^Error: from hono/);
});

test("a body the app already consumed is reported as such", async () => {
  const req = new Request("http://localhost/", {
    method: "POST",
    body: "a=1",
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
  await req.text();
  assert.match(
    await (await renderErrorPage(new Error("x"), req)).text(),
    /Form: not shown: the app has already read the body/,
  );
});
