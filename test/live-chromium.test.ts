// WebSockets and server-sent events as a browser uses them: real headless Chromium opens a
// WebSocket and exchanges messages (typed route params, a refusal by a before filter, a 1009 for
// a message over the limit), and an EventSource that survives a server restart: the drain ends
// the stream, the browser reconnects to the new server with Last-Event-ID, and no event is lost
// or repeated.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { App } from "../src/app/app.js";
import { serve, type RunningServer } from "../src/server/serve.js";
import { chromiumUnavailableReason, launchChromium } from "./support/chromium.js";
import { skipUnlessAvailable } from "./support/prerequisites.js";

const skip = skipUnlessAvailable(chromiumUnavailableReason());

let browser: Browser | undefined;
before(async () => {
  if (!skip) browser = await launchChromium();
});
after(() => browser?.close());

/** The app of one server "generation": the events it sends carry the generation. */
function liveApp(generation: number): App {
  const app = new App().set("environment", "test");
  app.get("/", (c) => c.html("<!doctype html><title>live</title><p>live</p>"));
  app.before("/private/*", (c) => {
    if (c.req.headers.get("cookie") !== "key=ok") c.halt(403);
  });
  app.ws("/echo/:channel", { maxMessageSize: 1024 }, (c) => ({
    open(ws) {
      ws.send(`joined ${c.params.channel}`);
    },
    message(ws, data) {
      ws.send(`${c.params.channel}: ${data}`);
    },
  }));
  app.ws("/private/ws", { open: (ws) => ws.send("inside") });
  app.get("/events", (c) =>
    c.sse(
      async (events) => {
        for (let id = Number(events.lastEventId ?? 0) + 1; !events.closed; id++) {
          await events.send({ id, data: { id, generation } });
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      },
      { retry: 100 },
    ),
  );
  return app;
}

function start(app: App, port = 0): Promise<RunningServer> {
  return serve(app, {
    port,
    host: "127.0.0.1",
    env: "test",
    quiet: true,
    handleSignals: false,
    shutdownDelay: "100ms",
    processEnv: { FRANK_CONTAINER: "0" },
  });
}

/** Runs in the page: opens a WebSocket per case, sends, and reports what came back and how it closed. */
const BROWSER_TALK = `(async () => {
  const talk = (path, send) =>
    new Promise((resolve) => {
      const ws = new WebSocket("ws://" + location.host + path);
      const received = [];
      let error = false;
      ws.onopen = () => { for (const message of send) ws.send(message); };
      ws.onmessage = (event) => {
        received.push(String(event.data));
        if (received.length === send.length + 1) ws.close(1000, "done");
      };
      ws.onerror = () => (error = true);
      ws.onclose = (event) => resolve({ received, code: event.code, error });
    });
  return {
    echo: await talk("/echo/r%C3%B6om", ["hello", "wörld"]),
    refused: await talk("/private/ws", []),
    tooBig: await talk("/echo/big", ["x".repeat(2000), "never answered"]),
  };
})()`;

async function openPage(url: string): Promise<Page> {
  const page = await browser!.newPage();
  await page.goto(url);
  return page;
}

test("Chromium exchanges WebSocket messages; a filter refuses; a message over the limit closes with 1009", {
  skip,
  timeout: 60_000,
}, async () => {
  const server = await start(liveApp(1));
  try {
    const page = await openPage(server.localUrl);
    // A string, not a function: the TypeScript loader would add helpers the page does not have.
    const outcome = (await page.evaluate(BROWSER_TALK)) as Record<
      string,
      { received: string[]; code: number; error: boolean }
    >;
    assert.deepEqual(outcome.echo, {
      received: ["joined röom", "röom: hello", "röom: wörld"],
      code: 1000,
      error: false,
    });
    assert.equal(outcome.refused.error, true, "the browser's handshake failed (the filter answered 403)");
    assert.equal(outcome.refused.code, 1006);
    assert.deepEqual(outcome.tooBig.received, ["joined big"]);
    assert.equal(outcome.tooBig.code, 1009);
    await page.close();
  } finally {
    await server.close();
  }
});

test("an EventSource rides through a server restart: the drain ends the stream, Last-Event-ID resumes it", {
  skip,
  timeout: 60_000,
}, async () => {
  const first = await start(liveApp(1));
  const port = Number(new URL(first.localUrl).port);
  let second: RunningServer | undefined;
  try {
    const page = await openPage(first.localUrl);
    await page.evaluate(() => {
      const seen: Array<{ id: number; generation: number; lastEventId: string }> = [];
      const states: string[] = [];
      const source = new EventSource("/events");
      source.onmessage = (event) => seen.push({ ...JSON.parse(event.data), lastEventId: event.lastEventId });
      source.onerror = () => states.push(source.readyState === EventSource.CONNECTING ? "reconnecting" : "closed");
      Object.assign(window, { seen, states, source });
    });
    const seen = () =>
      page.evaluate(() => (window as unknown as { seen: Array<{ id: number; generation: number }> }).seen);
    await page.waitForFunction(() => (window as unknown as { seen: unknown[] }).seen.length >= 5);
    await first.close();
    second = await start(liveApp(2), port);
    await page.waitForFunction(() =>
      (window as unknown as { seen: Array<{ generation: number }> }).seen.some((event) => event.generation === 2),
    );
    await page.waitForFunction(() => (window as unknown as { seen: unknown[] }).seen.length >= 15);
    const events = await seen();
    const states = await page.evaluate(() => (window as unknown as { states: string[] }).states);
    assert.ok(states.length >= 1 && states.every((state) => state === "reconnecting"), `states: ${states}`);
    assert.deepEqual(
      events.map((event) => event.id),
      events.map((_, index) => index + 1),
      "every id once, in order, across the restart",
    );
    const switched = events.findIndex((event) => event.generation === 2);
    assert.ok(switched > 0 && events.slice(switched).every((event) => event.generation === 2));
    await page.evaluate(() => (window as unknown as { source: EventSource }).source.close());
    await page.close();
  } finally {
    await first.close();
    await second?.close();
  }
});
