// Test timeout: 90 s: Chromium starts and fills in the forms of a launched server.
// The todo example as a person uses it: the `frank` command serves it on a real socket, and
// headless Chromium fills in its forms — sessions, flash messages, the layout, method override —
// and a page of another origin tries to post one with the visitor's session cookie.
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { App } from "../../src/app/app.js";
import { chromiumUnavailableReason, launchChromium } from "../support/chromium.js";
import { startExample } from "../support/launcher.js";
import { skipUnlessAvailable } from "../support/prerequisites.js";
import { autoSubmittingForm } from "../support/forged-form.js";
import { serveForTest } from "../support/serve-app.js";

const skip = skipUnlessAvailable(chromiumUnavailableReason());
const SCREENSHOT_DIR = fileURLToPath(new URL("../../test-output/", import.meta.url));
const SESSION_SECRET = "an-example-session-secret-of-32-chars-or-more";

/** A page on another port of 127.0.0.1 (another origin, the same site: the Lax session cookie goes along) that posts a todo. */
function forger(todoUrl: string): App {
  const app = new App();
  app.set({ environment: "test", publicFolder: false });
  const action = new URL("/todos", todoUrl).href;
  app.get("/", () => autoSubmittingForm(action, { title: "forged" }));
  return app;
}

test("the todo app: add, validate, toggle and delete through its forms in Chromium", { skip }, async (t) => {
  const url = await startExample(t, "todo", { SESSION_SECRET });
  const browser = await launchChromium();
  t.after(() => browser.close());
  const page = await browser.newPage();

  await page.goto(url);
  assert.equal(await page.title(), "Todos · frank");
  assert.equal(await page.textContent(".empty"), "Nothing to do.");

  // An empty title: the form comes back with the error, for this response only.
  const invalid = page.waitForResponse((res) => res.url().endsWith("/todos"));
  await page.click("form.new button");
  assert.equal((await invalid).status(), 422);
  assert.equal(await page.textContent(".error"), "A todo needs a title.");

  await page.fill("input[name=title]", "Buy milk");
  await page.click("form.new button");
  await page.waitForURL(url);
  assert.equal(await page.textContent(".notice"), "Added “Buy milk”.");
  assert.equal(await page.textContent(".todos .title"), "Buy milk");

  await page.reload();
  assert.equal(await page.locator(".notice").count(), 0, "a flash message shows once");

  await page.click("button[aria-label='toggle Buy milk']");
  await page.waitForSelector(".todos li.done");

  await page.fill("input[name=title]", "Write <script>alert(1)</script>");
  await page.click("form.new button");
  await page.waitForSelector(".todos li:nth-child(2)");
  assert.equal(await page.textContent(".todos li:nth-child(2) .title"), "Write <script>alert(1)</script>", "escaped");

  await page.click("button[aria-label='delete Buy milk']");
  await page.waitForSelector(".notice");
  assert.equal(await page.textContent(".notice"), "Deleted “Buy milk”.");
  assert.equal(await page.locator(".todos li").count(), 1);

  // A page of another origin posts the form with this visitor's session cookie: protection()
  // refuses it, and the list is as it was.
  const forgery = await serveForTest(t, forger(url));
  const forged = page.waitForResponse((res) => res.url().endsWith("/todos"));
  await page.goto(forgery.localUrl);
  assert.equal((await forged).status(), 403);
  await page.goto(url);
  assert.deepEqual(await page.locator(".todos .title").allTextContents(), ["Write <script>alert(1)</script>"]);

  // Another visitor (another session) has their own list.
  const stranger = await browser.newPage();
  await stranger.goto(url);
  assert.equal(await stranger.textContent(".empty"), "Nothing to do.");

  const missing = await page.goto(`${url}nowhere`);
  assert.equal(missing?.status(), 404);
  assert.match((await page.textContent("main")) ?? "", /There is nothing at \/nowhere/);

  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.goto(url);
  await page.screenshot({ path: `${SCREENSHOT_DIR}todo.png`, fullPage: true });
});
