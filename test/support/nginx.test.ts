// Test timeout: 60 s: pods and nginx started, reloaded and stopped.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { createPod, netnsUnavailableReason, type Pod } from "./netns.js";
import { startIngress, nginxUnavailableReason, type Ingress } from "./nginx.js";
import { skipUnlessAvailable } from "./prerequisites.js";
import { httpGet } from "./http.js";
import { waitFor } from "./wait.js";

const skip = skipUnlessAvailable(netnsUnavailableReason(), nginxUnavailableReason());
const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function podServing(text: string): Promise<Pod> {
  const pod = await createPod();
  cleanups.push(() => pod.destroy());
  const script = `require("node:http").createServer((q, s) => s.end(${JSON.stringify(text)})).listen(8080, "::")`;
  pod.spawn(process.execPath, ["-e", script]);
  await waitFor(async () => (await httpGet(`http://${pod.ipv4}:8080/`)).body === text, {
    description: `the server in ${pod.name}`,
  });
  return pod;
}

async function ingress(...args: Parameters<typeof startIngress>): Promise<Ingress> {
  const started = await startIngress(...args);
  cleanups.push(() => started.stop());
  return started;
}

test("the Ingress proxies to a pod over IPv4 and over IPv6, and reloads to new upstreams", { skip }, async () => {
  const a = await podServing("pod a");
  const b = await podServing("pod b");
  const nginx = await ingress({ upstreams: [{ host: a.ipv4!, port: 8080 }] });
  assert.match(nginx.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.equal((await httpGet(nginx.url + "/")).body, "pod a");

  await nginx.reload({ upstreams: [{ host: b.ipv6!, port: 8080 }], keepalive: 4 });
  assert.equal((await httpGet(nginx.url + "/")).body, "pod b");
  assert.match(await nginx.errorLog(), /reconfiguring/);
  assert.match(await nginx.accessLog(), /"GET \/ HTTP\/1.1" 200/);
});

test("the Ingress answers 502 when nothing listens on the upstream, or there is none", { skip }, async () => {
  const empty = await createPod();
  cleanups.push(() => empty.destroy());
  const nginx = await ingress({ upstreams: [{ host: empty.ipv4!, port: 8080 }] });
  assert.equal((await httpGet(nginx.url + "/")).status, 502);
  await nginx.reload({ upstreams: [] });
  assert.equal((await httpGet(nginx.url + "/")).status, 502);
});

test("stop ends nginx by its PID", { skip }, async () => {
  const nginx = await startIngress({ upstreams: [] });
  await nginx.stop();
  assert.throws(() => process.kill(nginx.pid, 0), { code: "ESRCH" });
  await assert.rejects(httpGet(nginx.url + "/"), { code: "ECONNREFUSED" });
});
