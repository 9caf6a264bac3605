// Test timeout: 60 s: Chromium starts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { launchChromium, chromiumUnavailableReason } from "./chromium.js";
import { skipUnlessAvailable } from "./prerequisites.js";

const skip = skipUnlessAvailable(chromiumUnavailableReason());

test("headless Chromium renders a page from a loopback server", { skip }, async (t) => {
  const server = createServer((_req, res) =>
    res.end("<!doctype html><title>t</title><p id=greeting>hi from a socket</p>"),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(() => new Promise((resolve) => server.close(resolve)));
  const browser = await launchChromium();
  t.after(() => browser.close());

  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  assert.equal(await page.textContent("#greeting"), "hi from a socket");
});
