// Cross-site request forgery as a browser commits it: real headless Chromium, two real frank
// servers. The bank (sessions on, protection() in use) listens on 127.0.0.1; the attacker's
// pages come from another port of the same address: another origin, but the same site, so
// Chromium sends the bank's SameSite=Lax session cookie along with the forged requests (from a
// page on `localhost` it would not, and the test would prove nothing). Both forgeries, an
// auto-submitted form and `fetch(…, { mode: "no-cors", credentials: "include" })`, must be
// refused with 403 and leave the session as it was; the bank's own form, with its token, works.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Page, Response as PageResponse } from "playwright-core";
import { App } from "../src/app/app.js";
import { html } from "../src/app/html.js";
import { authenticityToken, protection } from "../src/middleware/protection.js";
import { chromiumUnavailableReason, launchChromium } from "./support/chromium.js";
import { skipUnlessAvailable } from "./support/prerequisites.js";
import { autoSubmittingForm } from "./support/forged-form.js";
import { serveForTest } from "./support/serve-app.js";

const skip = skipUnlessAvailable(chromiumUnavailableReason());

/** What reached the bank's /transfer: whether the session cookie came along, and the Origin. */
interface Arrival {
  cookie: boolean;
  origin: string | null;
}

function bank(arrivals: Arrival[], transfers: { count: number }): App {
  const app = new App();
  app.set({
    environment: "test",
    publicFolder: false,
    sessions: { secret: "a-test-secret-that-is-long-enough-0123456789" },
  });
  // Outside protection(): sees every request that arrives, refused or not.
  app.use((next) => (req) => {
    if (new URL(req.url).pathname === "/transfer") {
      arrivals.push({
        cookie: /frank\.session=/.test(req.headers.get("cookie") ?? ""),
        origin: req.headers.get("origin"),
      });
    }
    return next(req);
  });
  app.use(protection());
  app.get("/", (c) => {
    c.session.balance ??= 100;
    return html`<!doctype html><title>bank</title>
      <p>balance <span id="balance">${String(c.session.balance)}</span></p>
      <form method="post" action="/transfer">
        <input type="hidden" name="authenticity_token" value="${authenticityToken(c.req)}">
        <input name="amount" value="10"><button id="send">Send</button>
      </form>`.toString();
  });
  app.post("/transfer", async (c) => {
    transfers.count++;
    // A body-less POST (the no-cors fetch) moves everything: what a real endpoint might do.
    const amount = c.req.headers.has("content-type") ? (await c.form()).amount : c.session.balance;
    c.session.balance = Number(c.session.balance) - Number(amount);
    return `balance ${String(c.session.balance)}`;
  });
  app.get("/balance", (c) => String(c.session.balance));
  return app;
}

function attacker(bankUrl: string): App {
  const app = new App();
  app.set({ environment: "test", publicFolder: false });
  const transfer = new URL("/transfer", bankUrl).href;
  // Plain strings: the pages are the attacker's, with nothing of a user's in them.
  app.get("/form", () => autoSubmittingForm(transfer, { amount: "1000" }));
  app.get(
    "/fetch",
    () => `<!doctype html><title>win a prize</title>
      <script>
        fetch(${JSON.stringify(transfer)}, { method: "POST", mode: "no-cors", credentials: "include" })
          .then(() => { document.title = "sent"; }, () => { document.title = "failed"; });
      </script>`,
  );
  return app;
}

/** Opens `url` and resolves with the response of the first request to /transfer it causes. */
async function transferCausedBy(page: Page, url: string): Promise<PageResponse> {
  const transfer = page.waitForResponse((response) => new URL(response.url()).pathname === "/transfer");
  await page.goto(url);
  return transfer;
}

test("a forged form and a no-cors fetch from another origin are refused; the bank's own form works", {
  skip,
}, async (t) => {
  const arrivals: Arrival[] = [];
  const transfers = { count: 0 };
  const bankServer = await serveForTest(t, bank(arrivals, transfers));
  const attackerServer = await serveForTest(t, attacker(bankServer.localUrl));
  assert.notEqual(new URL(bankServer.localUrl).origin, new URL(attackerServer.localUrl).origin);

  const browser = await launchChromium();
  t.after(() => browser.close());
  const page = await browser.newPage();

  await page.goto(bankServer.localUrl);
  assert.equal(await page.textContent("#balance"), "100");

  const fetched = await transferCausedBy(page, new URL("/fetch", attackerServer.localUrl).href);
  const submitted = await transferCausedBy(page, new URL("/form", attackerServer.localUrl).href);
  assert.deepEqual(
    { fetch: fetched.status(), form: submitted.status(), transfers: transfers.count },
    { fetch: 403, form: 403, transfers: 0 },
  );

  // The forgeries did carry the session cookie: only protection() stood in their way.
  assert.equal(arrivals.length, 2);
  for (const arrival of arrivals) {
    assert.equal(arrival.cookie, true, "Chromium sent the session cookie");
    assert.equal(arrival.origin, new URL(attackerServer.localUrl).origin);
  }
  await page.goto(new URL("/balance", bankServer.localUrl).href);
  assert.equal(await page.textContent("body"), "100", "the session is unchanged");

  // The bank's own page, with its token: the transfer goes through.
  await page.goto(bankServer.localUrl);
  const own = page.waitForResponse((response) => new URL(response.url()).pathname === "/transfer");
  await page.click("#send");
  assert.equal((await own).status(), 200);
  assert.equal(await page.textContent("body"), "balance 90");
  assert.equal(transfers.count, 1);
});
