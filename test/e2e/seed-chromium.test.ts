// Test timeout: 60 s: the launcher and Chromium start.
// The seed example as a person sees it: real headless Chromium opens `/`, follows the
// redirect to /index.html and shows the page from the public folder.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { launchChromium, chromiumUnavailableReason } from "../support/chromium.js";
import { skipUnlessAvailable } from "../support/prerequisites.js";
import { serve } from "../../src/server/serve.js";
import app from "../../examples/seed/app.js";

const skip = skipUnlessAvailable(chromiumUnavailableReason());
const SCREENSHOT_DIR = fileURLToPath(new URL("../../test-output/", import.meta.url));

test("opening / in Chromium follows the redirect and shows the seed page", { skip }, async (t) => {
  // The launcher makes the app file's folder the root; serve() in code leaves that to the caller.
  app.set("root", fileURLToPath(new URL("../../examples/seed/", import.meta.url)));
  const server = await serve(app, { port: 0, host: "127.0.0.1", quiet: true, handleSignals: false });
  t.after(() => server.close());
  const browser = await launchChromium();
  t.after(() => browser.close());

  const page = await browser.newPage();
  const response = await page.goto(server.localUrl);
  assert.equal(response?.status(), 200);
  assert.equal(new URL(page.url()).pathname, "/index.html");
  assert.equal(response?.request().redirectedFrom()?.url(), server.localUrl);
  assert.equal(await page.title(), "Hello from frank");
  assert.equal(await page.textContent("#greeting"), "Hello from frank!");
  assert.match((await page.textContent("#tagline")) ?? "", /public folder/);

  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOT_DIR}seed-index.png`, fullPage: true });
});
