// Test timeout: 150 s: pods and an Ingress for each variant of the seed story.
// The seed story end to end: the seed app in a pod behind a real nginx Ingress.
// In the story, `rackup -p 80` inside Kubernetes bound 127.0.0.1 and the Ingress answered
// Bad Gateway without a word. Here `frank -p 8080 examples/seed/app.ts` runs in a network
// namespace (the pod) with the environment a pod spec would give it, and nginx proxies to
// the pod's address, as an Ingress controller does.
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { createPod, netnsUnavailableReason, type CreatePodOptions } from "../support/netns.js";
import { startIngress, nginxUnavailableReason } from "../support/nginx.js";
import { launcherUnavailableReason, startFrank, waitUntilServing, type FrankInPod } from "../support/frank-in-pod.js";
import { skipUnlessAvailable } from "../support/prerequisites.js";
import { httpGet } from "../support/http.js";
import { waitFor } from "../support/wait.js";

const skip = skipUnlessAvailable(netnsUnavailableReason(), nginxUnavailableReason(), launcherUnavailableReason());

const PORT = 8080;
const SEED_APP = "examples/seed/app.ts";
// What the kubelet puts into every container (the address is only a value here, never dialled).
const KUBERNETES_ENV = { KUBERNETES_SERVICE_HOST: "198.19.0.1", KUBERNETES_SERVICE_PORT: "443" };
// Outside Kubernetes and any container: only the environment decides.
const NO_CONTAINER_ENV = { FRANK_CONTAINER: "0" };

interface SeedCase {
  pod?: CreatePodOptions;
  /** Which of the pod's addresses the Ingress sends to. */
  via?: "ipv4" | "ipv6";
  args?: string[];
  env: Record<string, string>;
}

interface SeedRun {
  frank: FrankInPod;
  /** The URL of the pod the Ingress proxies to, as frank's banner should list it. */
  podUrl: string;
  get(path: string): ReturnType<typeof httpGet>;
}

/** Starts a pod running the seed app and an Ingress in front of it; both are gone after the test. */
async function runSeed(t: TestContext, seed: SeedCase): Promise<SeedRun> {
  const pod = await createPod(seed.pod);
  t.after(() => pod.destroy());
  const via = seed.via ?? "ipv4";
  const address = pod[via];
  assert.ok(address, `the pod has an ${via} address`);

  const frank = startFrank(pod, ["-p", String(PORT), ...(seed.args ?? []), SEED_APP], seed.env);
  await waitUntilServing(pod, frank, PORT);
  const ingress = await startIngress({ upstreams: [{ host: address, port: PORT }] });
  t.after(() => ingress.stop());
  const podUrl = `http://${address.includes(":") ? `[${address}]` : address}:${PORT}/`;
  return { frank, podUrl, get: (path) => httpGet(ingress.url + path) };
}

/** Asserts frank wrote PATTERN; its output travels through a pipe, so it may lag the socket a little. */
async function assertFrankSaid(run: SeedRun, pattern: RegExp, why: string): Promise<void> {
  const said = await waitFor(() => pattern.test(run.frank.output()), { description: why, timeoutMs: 3_000 }).catch(
    () => false,
  );
  assert.ok(said, `${why}: expected ${pattern} in frank's output:\n${run.frank.output()}`);
}

function literally(text: string): RegExp {
  return new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
}

async function assertSeedReachable(run: SeedRun): Promise<void> {
  const root = await run.get("/");
  assert.equal(root.status, 302, `GET / through the Ingress; frank said:\n${run.frank.output()}`);
  assert.match(String(root.headers.location), /\/index\.html$/);
  const page = await run.get("/index.html");
  assert.equal(page.status, 200);
  assert.match(page.body, /Hello from frank!/);
  await assertFrankSaid(run, literally(run.podUrl), "the banner lists the address the Ingress uses");
}

test("in Kubernetes with no other setting, the Ingress reaches / (302) and /index.html (200)", { skip }, async (t) => {
  const run = await runSeed(t, { env: KUBERNETES_ENV });
  await assertSeedReachable(run);
  await assertFrankSaid(run, /KUBERNETES_SERVICE_HOST/, "the banner says why it bound all interfaces");
  await assertFrankSaid(run, /WARNING.*development.*Kubernetes/i, "development in Kubernetes is a warning");
});

test("--host 127.0.0.1 in the same pod is a 502 from the Ingress, and frank warns about loopback", {
  skip,
}, async (t) => {
  const run = await runSeed(t, { env: KUBERNETES_ENV, args: ["--host", "127.0.0.1"] });
  const answer = await run.get("/");
  assert.equal(answer.status, 502);
  assert.match(answer.body, /Bad Gateway/);
  await assertFrankSaid(run, /WARNING.*loopback/i, "loopback inside a container is a warning");
  assert.ok(!run.frank.output().includes(run.podUrl), "the banner does not claim the pod's address");
});

test("outside a container, development binds loopback only: the story's Bad Gateway", { skip }, async (t) => {
  const run = await runSeed(t, { env: NO_CONTAINER_ENV });
  assert.equal((await run.get("/")).status, 502);
});

test("APP_ENV=production is reachable", { skip }, async (t) => {
  const run = await runSeed(t, { env: { ...NO_CONTAINER_ENV, APP_ENV: "production" } });
  await assertSeedReachable(run);
  await assertFrankSaid(run, /environment\s+production\b.*\bAPP_ENV\b/, "the banner names the variable it obeyed");
});

test("RACK_ENV=production is reachable, the fix the story found", { skip }, async (t) => {
  const run = await runSeed(t, { env: { ...NO_CONTAINER_ENV, RACK_ENV: "production" } });
  await assertSeedReachable(run);
  await assertFrankSaid(run, /environment\s+production\b.*\bRACK_ENV\b/, "the banner names the variable it obeyed");
});

test("an IPv6-only pod is reachable", { skip }, async (t) => {
  await assertSeedReachable(await runSeed(t, { pod: { ipv4: false }, via: "ipv6", env: KUBERNETES_ENV }));
});

test("a pod with IPv6 disabled is reachable", { skip }, async (t) => {
  await assertSeedReachable(await runSeed(t, { pod: { disableIPv6: true }, env: KUBERNETES_ENV }));
});

test("an Ingress that reaches a dual-stack pod over IPv6 gets through", { skip }, async (t) => {
  await assertSeedReachable(await runSeed(t, { via: "ipv6", env: KUBERNETES_ENV }));
});
