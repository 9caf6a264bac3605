// Where Chromium really goes with the Location frank sends, for targets that look relative and
// are not: the browser follows each redirect (every host but loopback goes to a proxy the test
// runs, which answers for all of them, so no name is ever looked up), and it lands on frank's
// own origin exactly when isLocalUrl() said so. (Only http targets: the proxy does not tunnel TLS.)
import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { App } from "../src/app/app.js";
import { isLocalUrl } from "../src/http/location.js";
import { chromiumUnavailableReason, launchChromium } from "./support/chromium.js";
import { skipUnlessAvailable } from "./support/prerequisites.js";
import { serveForTest } from "./support/serve-app.js";

const skip = skipUnlessAvailable(chromiumUnavailableReason());

const TARGETS = [
  "/account",
  "account?tab=1",
  "?page=2",
  "/caf\u00e9/men\u00fc",
  "//evil.example/",
  "\\\\evil.example/",
  "\\/evil.example/",
  "/\\evil.example/",
  " //evil.example/",
  "\u00a0//evil.example/",
  ".//evil.example/",
  "..//evil.example/",
  "/%2F%2Fevil.example/",
  "/%5Cevil.example/",
  "http:evil.example/",
  "http://evil.example/",
  "HTTP://EVIL.EXAMPLE/",
  "/\t/evil.example/",
  "/\r\nSet-Cookie: x=1",
];

function redirector(absoluteRedirects: boolean): App {
  const app = new App();
  app.set({ environment: "test", publicFolder: false, absoluteRedirects });
  app.get("/go", (c) => c.redirect(String(c.query.to)));
  app.get("/*", (c) => `here: ${c.req.url}`);
  return app;
}

test("Chromium lands on frank's origin exactly when isLocalUrl() says the target is local", { skip }, async (t) => {
  // The rest of the web: a proxy that answers every request with "elsewhere".
  const elsewhere = createServer((_req, res) => res.end("elsewhere")).listen(0, "127.0.0.1");
  await once(elsewhere, "listening");
  t.after(() => elsewhere.close());
  const proxy = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}`;
  const browser = await launchChromium({ proxy: { server: proxy, bypass: "127.0.0.1" } });
  t.after(() => browser.close());
  for (const absoluteRedirects of [true, false]) {
    const server = await serveForTest(t, redirector(absoluteRedirects));
    const own = new URL(server.localUrl).origin;
    const page = await browser.newPage();
    for (const target of TARGETS) {
      const label = `${JSON.stringify(target)} (absoluteRedirects ${absoluteRedirects})`;
      const response = await page.goto(`${own}/go?to=${encodeURIComponent(target)}`);
      if (/[\r\n\t]/.test(target)) {
        assert.equal(response?.status(), 400, label);
        assert.equal(isLocalUrl(target), false, label);
        continue;
      }
      const landed = new URL(page.url());
      assert.equal(landed.origin === own, isLocalUrl(target), `${label} landed on ${landed.href}`);
      if (landed.origin === own) assert.match((await page.textContent("body")) ?? "", /^here: /, label);
      else assert.equal(landed.hostname, "evil.example", label);
    }
    await page.close();
  }
});
