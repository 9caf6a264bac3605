// Test timeout: 90 s: Chromium starts and keeps two pages open on a launched server.
// The SSE chat example in two Chromium pages, served by the `frank` command on a real socket:
// a message sent from one page arrives in the other over its open event stream.
import assert from "node:assert/strict";
import { test } from "node:test";
import { chromiumUnavailableReason, launchChromium } from "../support/chromium.js";
import { startExample } from "../support/launcher.js";
import { skipUnlessAvailable } from "../support/prerequisites.js";

const skip = skipUnlessAvailable(chromiumUnavailableReason());

test("the SSE chat: two pages, one stream each, messages in both", { skip }, async (t) => {
  const url = await startExample(t, "sse-chat");
  const browser = await launchChromium();
  t.after(() => browser.close());

  const ann = await browser.newPage();
  const bob = await browser.newPage();
  for (const page of [ann, bob]) {
    await page.goto(url);
    await page.waitForSelector("text=connected");
  }

  await ann.fill("input[name=name]", "ann");
  await ann.fill("input[name=text]", "hello from ann");
  await ann.click("button");
  for (const page of [ann, bob]) {
    await page.waitForSelector("#messages li");
    assert.equal(await page.textContent("#messages li"), "annhello from ann");
  }

  await bob.fill("input[name=name]", "<img src=x onerror=alert(1)>");
  await bob.fill("input[name=text]", "hi ann");
  await bob.click("button");
  await ann.waitForSelector("#messages li:nth-child(2)");
  assert.equal(
    await ann.textContent("#messages li:nth-child(2) b"),
    "<img src=x onerror=alert(1)>",
    "text, not markup",
  );
  assert.equal(await ann.locator("#messages img").count(), 0);

  // A page that joins later gets the messages so far.
  const carol = await browser.newPage();
  await carol.goto(url);
  await carol.waitForSelector("#messages li:nth-child(2)");

  // The stream itself, as any client sees it.
  const abort = new AbortController();
  const events = await fetch(`${url}events`, { signal: abort.signal });
  assert.match(events.headers.get("content-type") ?? "", /^text\/event-stream/);
  const reader = events.body!.getReader();
  let text = "";
  while (!text.includes("hi ann")) text += new TextDecoder().decode((await reader.read()).value);
  assert.match(text, /^retry: 1000\n\nid: 1\ndata: \{"id":1,"name":"ann","text":"hello from ann"\}\n\n/);
  abort.abort();
  await reader.cancel().catch(() => {});
});
