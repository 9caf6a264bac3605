// Test timeout: 180 s: two loads of idle keep-alive POSTs, about 25 s each, behind nginx.
// The keep-alive race: nginx keeps idle connections to its upstreams (upstream `keepalive`,
// idle for up to 60 s) and reuses them. If the app closes an idle connection first, a request
// nginx sends on it at that very moment breaks, and for a POST (which nginx does not retry)
// the client gets 502. frank keeps idle connections 65 s, longer than nginx does, so nginx
// always closes first. Node's own default of 5 s loses that race: here both serve the same
// load of POSTs whose connections sit idle for as long as a 5 s app really keeps them.
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { once } from "node:events";
import { connect } from "node:net";
import { createPod, netnsUnavailableReason, type Pod } from "../support/netns.js";
import { startIngress, nginxUnavailableReason } from "../support/nginx.js";
import { launcherUnavailableReason, startFrank, waitUntilServing } from "../support/frank-in-pod.js";
import { skipUnlessAvailable } from "../support/prerequisites.js";
import { describeLoad, runLoad, type LoadResult } from "../support/load.js";

const skip = skipUnlessAvailable(netnsUnavailableReason(), nginxUnavailableReason(), launcherUnavailableReason());

const PORT = 8080;
const SEED_APP = "examples/seed/app.ts";
const POD_ENV = { KUBERNETES_SERVICE_HOST: "198.19.0.1", KUBERNETES_SERVICE_PORT: "443", APP_ENV: "production" };
const NODE_DEFAULT_KEEP_ALIVE_S = 5;
const CLIENTS = 192;

/**
 * How long the app really keeps an idle connection: Node closes it a little after the
 * configured timeout (a buffer of about a second in recent versions), so it is measured.
 */
async function idleCloseMs(host: string, port: number): Promise<number> {
  const socket = connect(port, host);
  socket.setTimeout(20_000, () => socket.destroy());
  await once(socket, "connect");
  socket.write("GET /livez HTTP/1.1\r\nHost: probe\r\n\r\n");
  await once(socket, "data");
  const answered = performance.now();
  await once(socket, "close");
  return performance.now() - answered;
}

async function raceThroughNginx(
  t: TestContext,
  frankArgs: string[],
  pauseAround: (pod: Pod) => Promise<number>,
): Promise<LoadResult & { pauseMs: number }> {
  const pod = await createPod({ ipv6: false });
  t.after(() => pod.destroy());
  const frank = startFrank(pod, ["-p", String(PORT), ...frankArgs, SEED_APP], POD_ENV);
  await waitUntilServing(pod, frank, PORT);
  const pauseMs = await pauseAround(pod);
  // nginx's defaults for upstream keep-alive: idle connections are kept 60 s.
  const ingress = await startIngress({
    upstreams: [{ host: pod.ipv4!, port: PORT }],
    keepalive: 256,
    keepaliveTimeout: "60s",
  });
  t.after(() => ingress.stop());
  // Each client waits about that long between its POSTs, client by client a little longer,
  // from 6 ms before to 10 ms after: some meet the moment the app closes. The race is narrow
  // (a request must reach the app between its close and nginx noticing), so many are needed.
  const result = await runLoad({
    url: ingress.url,
    requests: [{ method: "POST", path: "/", body: "{}" }],
    concurrency: CLIENTS,
    durationMs: 5.5 * pauseMs,
    maxRequests: CLIENTS * 7,
    pauseMs: (client) => pauseMs - 6 + (16 * client) / CLIENTS,
    keepAlive: true,
  });
  return { ...result, pauseMs };
}

test("keep-alive race: no 502 with frank's defaults (Node's 5 s default measured for comparison)", {
  skip,
  timeout: 110_000,
}, async (t) => {
  let resolveNodeClose: (ms: number) => void = () => {};
  const nodeClose = new Promise<number>((resolve) => (resolveNodeClose = resolve));
  const [frankDefaults, nodeDefault] = await Promise.all([
    // The same pauses for both: the moment a Node default app closes idle connections.
    raceThroughNginx(t, [], () => nodeClose),
    raceThroughNginx(t, ["--keep-alive-timeout", String(NODE_DEFAULT_KEEP_ALIVE_S)], async (pod) => {
      const measured = await idleCloseMs(pod.ipv4!, PORT);
      resolveNodeClose(measured);
      return measured;
    }),
  ]);
  const badGateways = (result: LoadResult) => result.statuses.get(502) ?? 0;
  t.diagnostic(
    `idle connections paused ${Math.round(nodeDefault.pauseMs)} ms (-6 to +10 ms), when the 5 s app closes them`,
  );
  t.diagnostic(`frank's 65 s keep-alive: ${describeLoad(frankDefaults)}; ${badGateways(frankDefaults)} × 502`);
  t.diagnostic(`Node's 5 s keep-alive: ${describeLoad(nodeDefault)}; ${badGateways(nodeDefault)} × 502`);
  assert.ok(frankDefaults.sent >= CLIENTS * 5, describeLoad(frankDefaults));
  assert.equal(frankDefaults.failed, 0, `${describeLoad(frankDefaults)}\n${frankDefaults.samples.join("\n")}`);
});
