// WebSockets and server-sent events through a real nginx Ingress to pods, in Chromium, during a
// rolling restart: two pods run the live fixture app; the page opens WebSockets that send a
// numbered message every 50 ms and wait for its echo, and EventSources that count events. Pod A
// gets SIGTERM: its readiness goes off, the endpoint watcher takes it out of nginx, and when its
// drain starts frank closes A's sockets with 1001 and ends A's event streams. The browser sees
// clean closes, reconnects through nginx to pod B, resends the one message that had no echo yet,
// and resumes the streams with Last-Event-ID: no error, no lost or repeated message or event.
// nginx compresses text (gzip on), so the event streams also show X-Accel-Buffering at work.
import { test } from "node:test";
import assert from "node:assert/strict";
import { once } from "node:events";
import { request } from "node:http";
import type { Page } from "playwright-core";
import { chromiumUnavailableReason, launchChromium } from "../support/chromium.js";
import { watchEndpoints } from "../support/endpoints.js";
import { launcherUnavailableReason, startFrank, waitUntilServing } from "../support/frank-in-pod.js";
import { createPod, netnsUnavailableReason } from "../support/netns.js";
import { nginxUnavailableReason, startIngress } from "../support/nginx.js";
import { skipUnlessAvailable } from "../support/prerequisites.js";
import { waitFor } from "../support/wait.js";

const skip = skipUnlessAvailable(
  netnsUnavailableReason(),
  nginxUnavailableReason(),
  launcherUnavailableReason(),
  chromiumUnavailableReason(),
);

const PORT = 8080;
const APP = "test/fixtures/apps/live/app.ts";
const POD_ENV = { KUBERNETES_SERVICE_HOST: "198.19.0.1", KUBERNETES_SERVICE_PORT: "443", APP_ENV: "production" };
const SOCKETS = 6;
const STREAMS = 4;

interface SocketState {
  pods: string[];
  closes: number[];
  errors: number;
  sent: number;
  acked: number;
  outOfOrder: number;
}

interface StreamState {
  ids: number[];
  pods: string[];
  reconnects: number;
  closed: number;
}

/** The page's clients; runs in Chromium (a string: the TypeScript loader's helpers do not exist there). */
const CLIENTS = `(() => {
  const live = { sockets: [], streams: [], stopped: false };
  window.live = live;
  for (let i = 0; i < ${SOCKETS}; i++) {
    const state = { pods: [], closes: [], errors: 0, sent: 0, acked: 0, outOfOrder: 0 };
    live.sockets.push(state);
    let ws;
    let pending = null;
    const connect = () => {
      ws = new WebSocket("ws://" + location.host + "/echo/" + i);
      ws.onopen = () => { if (pending !== null) ws.send(pending); };
      ws.onmessage = (event) => {
        const text = String(event.data);
        if (text.startsWith("{")) { state.pods.push(JSON.parse(text).hello); return; }
        if (text === pending) { state.acked++; pending = null; } else state.outOfOrder++;
      };
      ws.onerror = () => { state.errors++; };
      ws.onclose = (event) => {
        if (live.stopped) return;
        state.closes.push(event.code);
        setTimeout(connect, 100);
      };
    };
    connect();
    setInterval(() => {
      if (live.stopped || pending !== null || ws.readyState !== WebSocket.OPEN) return;
      pending = "seq:" + (++state.sent);
      ws.send(pending);
    }, 50);
    live.stop = () => {
      live.stopped = true;
    };
    state.close = () => ws.close(1000, "done");
  }
  for (let i = 0; i < ${STREAMS}; i++) {
    const state = { ids: [], pods: [], reconnects: 0, closed: 0 };
    live.streams.push(state);
    const source = new EventSource("/events?every=50");
    source.addEventListener("tick", (event) => {
      const data = JSON.parse(event.data);
      state.ids.push(data.id);
      if (state.pods[state.pods.length - 1] !== data.pod) state.pods.push(data.pod);
    });
    source.onerror = () => {
      if (source.readyState === EventSource.CONNECTING) state.reconnects++;
      else state.closed++;
    };
    state.close = () => source.close();
  }
})()`;

function snapshot(page: Page): Promise<{ sockets: SocketState[]; streams: StreamState[] }> {
  return page.evaluate(
    "({ sockets: window.live.sockets.map(({ close, ...s }) => s), streams: window.live.streams.map(({ close, ...s }) => s) })",
  ) as Promise<{ sockets: SocketState[]; streams: StreamState[] }>;
}

/** How long until the first bytes of a stream arrive through the Ingress, asking for gzip as browsers do (capped). */
function firstEventAfter(url: string, capMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(url, { agent: false, headers: { "accept-encoding": "gzip" } }, (res) => {
      res.once("data", () => {
        resolve(performance.now() - started);
        req.destroy();
      });
    });
    req.setTimeout(capMs, () => {
      resolve(capMs);
      req.destroy();
    });
    req.on("error", reject);
    req.end();
  });
}

test("a rolling restart behind nginx: WebSockets close with 1001 and reconnect, event streams resume, nothing lost", {
  skip,
  timeout: 180_000,
}, async (t) => {
  const pods = [await createPod({ ipv6: false }), await createPod({ ipv6: false })];
  t.after(() => Promise.all(pods.map((pod) => pod.destroy())));
  const start = (index: number, name: string) =>
    startFrank(pods[index], ["-p", String(PORT), APP], { ...POD_ENV, POD_NAME: name });
  const franks = [start(0, "A"), start(1, "B")];
  await Promise.all(pods.map((pod, index) => waitUntilServing(pod, franks[index], PORT)));

  const ingress = await startIngress({
    upstreams: pods.map((pod) => ({ host: pod.ipv4!, port: PORT })),
    keepalive: 16,
    websockets: true,
    gzip: true,
  });
  t.after(() => ingress.stop());

  // With compression on (as many Ingresses run), nginx holds a proxied stream back until its gzip
  // buffer fills; frank's X-Accel-Buffering: no makes nginx flush every event as it comes.
  // One event now, the next in 6 s: the first must arrive before the second exists.
  const flagged = await firstEventAfter(`${ingress.url}/events?every=6000`, 5_000);
  const unflagged = await firstEventAfter(`${ingress.url}/events-unflagged?every=6000`, 5_000);
  t.diagnostic(
    `first event through nginx: ${flagged.toFixed(0)} ms with X-Accel-Buffering: no, ${unflagged.toFixed(0)} ms without`,
  );
  assert.ok(flagged < 5_000, "with the header the first event arrives on its own, before the next is sent");
  assert.ok(unflagged >= 5_000, "without it nginx holds the event back (the header is what makes the difference)");

  const watcher = watchEndpoints(ingress, pods, PORT);
  t.after(() => watcher.stop());
  const browser = await launchChromium();
  t.after(() => browser.close());
  const page = await browser.newPage();
  await page.goto(`${ingress.url}/`);
  await page.evaluate(CLIENTS);

  const initial = await waitFor(
    async () => {
      const state = await snapshot(page);
      const ready =
        state.sockets.every((socket) => socket.pods.length === 1 && socket.acked >= 3) &&
        state.streams.every((stream) => stream.ids.length >= 3);
      return ready && state;
    },
    { description: "every socket and stream running", timeoutMs: 20_000 },
  );
  const onA = initial.sockets.flatMap((socket, index) => (socket.pods[0] === "A" ? [index] : []));
  const streamsOnA = initial.streams.flatMap((stream, index) => (stream.pods[0] === "A" ? [index] : []));
  t.diagnostic(`sockets on A: ${onA.join(", ")}; streams on A: ${streamsOnA.join(", ")}`);
  assert.ok(onA.length > 0 && onA.length < SOCKETS, "nginx spread the sockets over both pods");
  assert.ok(streamsOnA.length > 0, "nginx sent at least one event stream to pod A");

  // The rolling restart of pod A.
  const exited = once(franks[0].child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
  franks[0].child.kill("SIGTERM");
  const [code, signal] = await exited;
  const output = franks[0].output();
  assert.deepEqual({ code, signal }, { code: 0, signal: null }, `pod A exits 0 after SIGTERM; it said:\n${output}`);
  assert.match(output, /readiness is off/);
  assert.match(output, /WebSockets? closing \(1001\)/);
  franks[0] = start(0, "A2");
  await waitUntilServing(pods[0], franks[0], PORT);
  await waitFor(() => watcher.isReady(0), { description: "pod A back in the upstreams", timeoutMs: 15_000 });

  const afterRestart = await waitFor(
    async () => {
      const state = await snapshot(page);
      const moved =
        onA.every(
          (index) =>
            state.sockets[index].pods.length === 2 && state.sockets[index].acked >= initial.sockets[index].acked + 10,
        ) && streamsOnA.every((index) => state.streams[index].pods.length >= 2);
      return moved && state;
    },
    { description: "the sockets and streams of pod A to be running again elsewhere", timeoutMs: 30_000 },
  );
  await page.evaluate(
    "window.live.stop(); for (const s of [...window.live.sockets, ...window.live.streams]) s.close()",
  );
  const final = await snapshot(page);
  t.diagnostic(`endpoints: ${watcher.changes.join(" | ")}`);
  t.diagnostic(
    `messages echoed: ${final.sockets.map((socket) => socket.acked).join(", ")}; events: ${final.streams.map((stream) => stream.ids.length).join(", ")}`,
  );

  for (const [index, socket] of final.sockets.entries()) {
    assert.equal(socket.errors, 0, `socket ${index} saw an error: ${JSON.stringify(socket)}`);
    assert.equal(socket.outOfOrder, 0, `socket ${index} got an echo it did not expect`);
    assert.ok(socket.acked >= socket.sent - 1, `socket ${index}: ${socket.sent} sent, ${socket.acked} echoed`);
    if (onA.includes(index)) {
      assert.deepEqual(socket.closes, [1001], `socket ${index} was closed cleanly by pod A's drain`);
      assert.equal(socket.pods[0], "A");
      assert.notEqual(socket.pods[1], "A", "and reconnected to a pod that stays");
    } else {
      assert.deepEqual(socket.closes, [], `socket ${index} on pod B was left alone`);
    }
  }
  for (const [index, stream] of final.streams.entries()) {
    assert.deepEqual(
      stream.ids,
      stream.ids.map((_, i) => i + 1),
      `stream ${index}: every event once, in order (${stream.ids.slice(0, 50).join(",")}…)`,
    );
    assert.equal(stream.closed, 0, `stream ${index} was never given up by the browser`);
    if (streamsOnA.includes(index)) assert.ok(stream.reconnects >= 1 && stream.pods[1] !== "A");
    else assert.equal(stream.reconnects, 0);
  }
  assert.ok(afterRestart.sockets.length === SOCKETS);
});
