// Test timeout: 90 s: Chromium starts, opens both pages and takes screenshots.
// The development error page and 404 page as a person sees them: served on a real
// loopback socket, opened in headless Chromium, checked by selectors, and screenshotted
// to test-output/dev-error-page.png and test-output/dev-not-found-page.png.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import type { Handler } from "../src/http/types.js";
import { renderNotFoundPage } from "../src/middleware/not-found-page.js";
import { showExceptions } from "../src/middleware/show-exceptions.js";

const CHROMIUM = "/usr/bin/chromium";
const OUTPUT = join(import.meta.dirname, "..", "test-output");
const missing = existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is not installed (apt-get install chromium)`;
if (missing && process.env.CI) throw new Error(`CI must run the Chromium tests: ${missing}`);

const ROUTES = [
  { method: "GET", pattern: "/" },
  { method: "GET", pattern: "/orders/new" },
  { method: "POST", pattern: "/orders" },
  { method: "GET", pattern: "/orders/:id" },
  { method: "DELETE", pattern: "/orders/:id" },
  { method: "GET", pattern: "/hello/:name" },
];

// A small "user app" outside frank's own folders, so its frames count as the app's.
const appDir = mkdtempSync(join(tmpdir(), "frank-chromium-app-"));
writeFileSync(
  join(appDir, "orders.mjs"),
  [
    "// orders.mjs: the app's business logic",
    "export function orderTotal(order) {",
    "  let total = 0;",
    "  for (const line of order.lines) {",
    "    total += line.price * line.quantity;",
    "  }",
    "  return total;",
    "}",
    "",
    "export async function createOrder(form) {",
    '  const order = { customer: form.get("customer") };',
    "  const total = orderTotal(order);",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a line of the JavaScript file the test writes
    "  return `Order for ${order.customer}: ${total}`;",
    "}",
    "",
  ].join("\n"),
);
const { createOrder } = (await import(pathToFileURL(join(appDir, "orders.mjs")).href)) as {
  createOrder(form: FormData): Promise<string>;
};

const FORM_PAGE = `<!doctype html><title>New order</title>
<form method="post" action="/orders?ref=newsletter&amp;access_token=tok_SECRET_QUERY">
  <input name="customer" value="Ada Lovelace"><input name="password" value="hunter2-SECRET"><input name="note" value="ring twice">
  <button id="submit">Order</button>
</form>`;

const app: Handler = async (req) => {
  const { pathname } = new URL(req.url);
  if (req.method === "GET" && pathname === "/orders/new")
    return new Response(FORM_PAGE, { headers: { "content-type": "text/html;charset=utf-8" } });
  if (req.method === "POST" && pathname === "/orders") return new Response(await createOrder(await req.formData()));
  return renderNotFoundPage(req, ROUTES);
};
const handler = showExceptions({ appRoot: appDir, log: () => {} })(app);

function toRequest(incoming: IncomingMessage, origin: string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  const hasBody = incoming.method !== "GET" && incoming.method !== "HEAD";
  return new Request(new URL(incoming.url ?? "/", origin), {
    method: incoming.method,
    headers,
    body: hasBody ? (Readable.toWeb(incoming) as ReadableStream<Uint8Array>) : null,
    duplex: "half",
  } as RequestInit);
}

let server: Server;
let base: string;
let browser: Browser;

before(async () => {
  if (missing) return;
  server = createServer(async (incoming, outgoing) => {
    const res = await handler(toRequest(incoming, base));
    outgoing.writeHead(res.status, Object.fromEntries(res.headers));
    if (res.body) await pipeline(Readable.fromWeb(res.body as import("node:stream/web").ReadableStream), outgoing);
    else outgoing.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  mkdirSync(OUTPUT, { recursive: true });
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  rmSync(appDir, { recursive: true, force: true });
});

async function newPage(width = 1280): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  await context.addCookies([
    { name: "frank.session", value: "SESSION_SECRET_VALUE", url: base },
    { name: "theme", value: "dark", url: base },
  ]);
  return context.newPage();
}

async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

test("the development error page after a real form post", { skip: missing }, async () => {
  const page = await newPage();
  await page.goto(`${base}/orders/new`);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().includes("/orders?")),
    page.click("#submit"),
  ]);
  assert.equal(response.status(), 500);
  await page.waitForLoadState("load");

  assert.equal(await page.textContent(".kicker"), "TypeError");
  assert.match(
    (await page.textContent("#error-message")) ?? "",
    /order\.lines is not iterable|Cannot read properties of undefined/,
  );
  assert.match((await page.textContent(".where")) ?? "", /in orderTotal at orders\.mjs:4/);
  // The app's frames stand out, each with its source and the failing line marked.
  const appFrames = page.locator("#backtrace .frame.app");
  // (This test's own server code is outside frank's src/ too, so its frames follow.)
  assert.deepEqual((await appFrames.locator(".fn").allTextContents()).slice(0, 2), ["orderTotal", "createOrder"]);
  assert.match(
    (await appFrames.first().locator(".l.current").textContent()) ?? "",
    /4\s+for \(const line of order\.lines\)/,
  );
  assert.equal(await appFrames.first().evaluate((el) => getComputedStyle(el).borderLeftColor), "rgb(209, 36, 47)");
  // frank's and Node's frames are folded away.
  assert.ok((await page.locator("#backtrace details.others").count()) >= 1);
  assert.equal(await page.locator("#backtrace details.others[open]").count(), 0);
  // The request, with its form and cookies, secrets masked.
  const request = page.locator("#request");
  assert.match(
    (await request.locator("h2").textContent()) ?? "",
    /POST .*\/orders\?ref=newsletter&access_token=\[masked\]/,
  );
  assert.equal(await request.locator("tr:has(th:text-is('customer')) td").textContent(), "Ada Lovelace");
  assert.equal(await request.locator("tr:has(th:text-is('password')) td").textContent(), "[masked]");
  assert.equal(await request.locator("tr:has(th:text-is('frank.session')) td").first().textContent(), "[masked]");
  assert.equal(await request.locator("tr:has(th:text-is('theme')) td").textContent(), "dark");
  const text = (await page.textContent("body")) ?? "";
  for (const secret of ["hunter2-SECRET", "SESSION_SECRET_VALUE", "tok_SECRET_QUERY"])
    assert.ok(!text.includes(secret), `${secret} is on the page`);

  assert.equal(await horizontalOverflow(page), 0, "the page scrolls sideways at 1280px");
  await page.screenshot({ path: join(OUTPUT, "dev-error-page.png"), fullPage: true });
  await page.context().close();
});

test("the development 404 page", { skip: missing }, async () => {
  const page = await newPage();
  const response = await page.goto(`${base}/orders`);
  assert.equal(response?.status(), 404);
  assert.equal(response?.headers()["x-cascade"], "pass");
  assert.equal(await page.textContent("#not-found-message"), "No route matches GET /orders");
  assert.equal(
    await page.textContent("#suggestion pre.code"),
    'app.get("/orders", (c) => {\n  return "Hello from /orders";\n});',
  );
  assert.equal(await page.locator("#routes tr").count(), ROUTES.length);
  assert.equal(await page.textContent("#routes tr.near"), "POST/orderssame path, other method");
  assert.equal(await horizontalOverflow(page), 0, "the page scrolls sideways at 1280px");
  await page.screenshot({ path: join(OUTPUT, "dev-not-found-page.png"), fullPage: true });
  await page.context().close();
});

test("both pages fit a phone-sized window without sideways scrolling", { skip: missing }, async () => {
  const page = await newPage(390);
  await page.goto(`${base}/nothing/here/at/all/with-a-rather-long-path-segment-that-could-overflow`);
  assert.equal(await horizontalOverflow(page), 0);
  await page.goto(`${base}/orders/new`);
  await Promise.all([page.waitForResponse((r) => r.url().includes("/orders?")), page.click("#submit")]);
  await page.waitForLoadState("load");
  assert.equal(await horizontalOverflow(page), 0);
  await page.context().close();
});
