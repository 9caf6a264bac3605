// Test timeout: 90 s: Chromium starts and follows links and redirects on a launched server.
// The modular example in Chromium, served by the `frank` command on a real socket: an App used
// as middleware (the login screen in front of the site) and an App mounted under /admin whose
// links and redirects stay under its mount path.
import assert from "node:assert/strict";
import { test } from "node:test";
import { chromiumUnavailableReason, launchChromium } from "../support/chromium.js";
import { startExample } from "../support/launcher.js";
import { skipUnlessAvailable } from "../support/prerequisites.js";

const skip = skipUnlessAvailable(chromiumUnavailableReason());

test("the modular app: log in through the middleware App, then use the mounted admin area", { skip }, async (t) => {
  const url = await startExample(t, "modular", { SESSION_SECRET: "an-example-session-secret-of-32-chars-or-more" });
  const browser = await launchChromium();
  t.after(() => browser.close());
  const page = await browser.newPage();

  await page.goto(url);
  assert.equal(await page.textContent("p"), "Hello, stranger.");

  // The mounted admin area sends a stranger to the site's login screen, and back afterwards.
  await page.goto(`${url}admin/`);
  assert.equal(new URL(page.url()).pathname, "/login");
  assert.equal(new URL(page.url()).searchParams.get("back"), "/admin/");
  await page.fill("input[name=name]", "ann");
  await page.click("button");
  await page.waitForURL(`${url}admin/`);
  assert.equal(await page.textContent("p"), "Welcome, ann.");

  // Links and redirects built with c.to() carry the mount path.
  assert.equal(await page.getAttribute("a", "href"), `${url}admin/reports`);
  await page.click("a");
  assert.equal(await page.textContent(".refreshed"), "Not refreshed yet.");
  await page.click("button");
  await page.waitForSelector("text=Reports refreshed.");
  assert.equal(new URL(page.url()).pathname, "/admin/reports");

  // The site behind the middleware App sees the same session.
  await page.goto(`${url}account`);
  assert.equal(await page.textContent(".user"), "Logged in as ann.");
  await page.click("button");
  await page.waitForURL(url);
  assert.equal(await page.textContent("p"), "Hello, stranger.");

  // The login screen refuses to send anyone off the site.
  const evil = await page.request.post(`${url}login`, {
    form: { name: "mallory", back: "//evil.example/" },
    maxRedirects: 0,
  });
  assert.equal(evil.status(), 303);
  assert.equal(evil.headers().location, url);
});
