// Test timeout: 240 s: three rolling restarts behind nginx, each under a 22-second load.
// A rolling restart behind a real nginx Ingress, the way Kubernetes does one: two pods run the
// seed app; under a steady load pod A gets SIGTERM; a watcher standing in for the endpoint
// controller drops A from nginx's upstreams as soon as A's /readyz fails (an nginx reload);
// A is started again and added back once its /readyz answers 200. With frank's shutdown
// sequence not one request may fail. The same scenario with the sequence cut to nothing
// (`--shutdown-delay 0 --drain-timeout 0`), and with no handling at all (the process dies at
// once, as Node does on SIGTERM without a handler), shows what the sequence saves.
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { once } from "node:events";
import { createPod, netnsUnavailableReason, type Pod } from "../support/netns.js";
import { startIngress, nginxUnavailableReason } from "../support/nginx.js";
import { launcherUnavailableReason, startFrank, waitUntilServing, type FrankInPod } from "../support/frank-in-pod.js";
import { skipUnlessAvailable } from "../support/prerequisites.js";
import { waitFor } from "../support/wait.js";
import { watchEndpoints } from "../support/endpoints.js";
import { describeLoad, runLoad, type LoadResult } from "../support/load.js";

const skip = skipUnlessAvailable(netnsUnavailableReason(), nginxUnavailableReason(), launcherUnavailableReason());

const PORT = 8080;
const SEED_APP = "examples/seed/app.ts";
// A pod in Kubernetes in production (the address is only a value here, never dialled).
const POD_ENV = { KUBERNETES_SERVICE_HOST: "198.19.0.1", KUBERNETES_SERVICE_PORT: "443", APP_ENV: "production" };
const LOAD_MS = 22_000;
// GETs nginx could retry on the other pod by itself; the POST it may not (it is not idempotent),
// so a connection that breaks under a POST shows up as a 502.
const REQUESTS = [
  { method: "GET", path: "/" },
  { method: "GET", path: "/index.html" },
  { method: "POST", path: "/", body: "{}" },
];

interface RestartOutcome {
  load: LoadResult;
  exit: { code: number | null; signal: NodeJS.Signals | null };
  output: string;
  changes: string[];
}

async function rollingRestart(
  t: TestContext,
  frankArgs: string[],
  signal: NodeJS.Signals = "SIGTERM",
): Promise<RestartOutcome> {
  const pods = [await createPod({ ipv6: false }), await createPod({ ipv6: false })];
  t.after(() => Promise.all(pods.map((pod) => pod.destroy())));
  const start = (pod: Pod) => startFrank(pod, ["-p", String(PORT), ...frankArgs, SEED_APP], POD_ENV);
  const franks: FrankInPod[] = pods.map(start);
  await Promise.all(pods.map((pod, index) => waitUntilServing(pod, franks[index], PORT)));

  const ingress = await startIngress({
    upstreams: pods.map((pod) => ({ host: pod.ipv4!, port: PORT })),
    keepalive: 16,
  });
  t.after(() => ingress.stop());
  const watcher = watchEndpoints(ingress, pods, PORT);
  t.after(() => watcher.stop());

  const loadStarted = Date.now();
  const load = runLoad({
    url: ingress.url,
    requests: REQUESTS,
    concurrency: 8,
    durationMs: LOAD_MS,
    maxRequests: 400_000,
  });

  // A few seconds of steady traffic on both pods, then the rolling restart of pod A.
  await waitFor(() => Date.now() - loadStarted > 3_000, { description: "steady traffic", intervalMs: 100 });
  const podA = franks[0];
  const exited = once(podA.child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
  podA.child.kill(signal);
  const [code, exitSignal] = await exited;
  const output = podA.output();

  franks[0] = start(pods[0]);
  await waitUntilServing(pods[0], franks[0], PORT);
  await waitFor(() => watcher.isReady(0), { description: "pod A back in the upstreams", timeoutMs: 10_000 });

  const result = await load;
  await watcher.stop();
  assert.ok(Date.now() - loadStarted >= 20_000, "the load ran for at least 20 s");
  return { load: result, exit: { code, signal: exitSignal }, output, changes: watcher.changes };
}

test("a rolling restart with frank's shutdown sequence loses no request", { skip, timeout: 90_000 }, async (t) => {
  const { load, exit, output, changes } = await rollingRestart(t, []);
  t.diagnostic(`graceful: ${describeLoad(load)}; ${load.failed} failed`);
  t.diagnostic(`endpoints: ${changes.join(" | ")}`);
  assert.deepEqual(exit, { code: 0, signal: null }, `pod A exits 0 after SIGTERM; it said:\n${output}`);
  assert.match(output, /readiness is off/);
  assert.equal(changes.length, 2, "pod A left the upstreams and came back");
  assert.ok(load.sent > 1_000, describeLoad(load));
  assert.equal(load.failed, 0, `${describeLoad(load)}\n${load.samples.join("\n")}`);
});

// For comparison (reported, not asserted: how many fail depends on timing).
test("the same restart with the sequence cut to nothing (--shutdown-delay 0 --drain-timeout 0)", {
  skip,
  timeout: 90_000,
}, async (t) => {
  const { load } = await rollingRestart(t, ["--shutdown-delay", "0", "--drain-timeout", "0"]);
  t.diagnostic(`no delay, no drain: ${describeLoad(load)}; ${load.failed} failed`);
  assert.ok(load.sent > 1_000, describeLoad(load));
});

test("the same restart with no shutdown handling at all: the pod dies at once, as Node without a handler does", {
  skip,
  timeout: 90_000,
}, async (t) => {
  const { load } = await rollingRestart(t, [], "SIGKILL");
  t.diagnostic(`no handling: ${describeLoad(load)}; ${load.failed} failed`);
  assert.ok(load.sent > 1_000, describeLoad(load));
});
