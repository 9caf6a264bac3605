// Test timeout: 60 s: network namespaces created and deleted.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createPod, netnsUnavailableReason, type Pod } from "./netns.js";
import { skipUnlessAvailable } from "./prerequisites.js";
import { httpGet } from "./http.js";
import { waitFor } from "./wait.js";

const skip = skipUnlessAvailable(netnsUnavailableReason());
const pods: Pod[] = [];
after(() => Promise.all(pods.map((pod) => pod.destroy())));

async function pod(options?: Parameters<typeof createPod>[0]): Promise<Pod> {
  const created = await createPod(options);
  pods.push(created);
  return created;
}

// A tiny server inside the pod, listening where the test says.
function serveIn(target: Pod, host: string, port: number) {
  const script = `require("node:http").createServer((q, s) => s.end("pod " + q.socket.localAddress)).listen(${port}, ${JSON.stringify(host)}, () => console.log("ready"))`;
  const child = target.spawn(process.execPath, ["-e", script]);
  return new Promise<void>((resolve, reject) => {
    child.stdout!.once("data", () => resolve());
    child.once("exit", (code) => reject(new Error(`server in pod exited with ${code}`)));
  });
}

test("a pod has loopback and addresses only from the test ranges", { skip }, async () => {
  const dual = await pod();
  assert.match(dual.ipv4!, /^198\.1[89]\./);
  assert.match(dual.ipv6!, /^2001:db8:/);
  const { stdout } = await dual.run("ip", ["-o", "addr", "show"]);
  const global = [...stdout.matchAll(/inet6? (\S+)\/\d+ .*scope global/g)].map((m) => m[1]);
  assert.deepEqual(global.sort(), [dual.ipv4, dual.ipv6].sort());
  assert.match(stdout, /lo\s+inet 127\.0\.0\.1/);
});

test("the host reaches a server in a pod over IPv4 and IPv6", { skip }, async () => {
  const target = await pod();
  await serveIn(target, "::", 8080);
  const v4 = await httpGet(`http://${target.ipv4}:8080/`);
  assert.equal(v4.body, `pod ::ffff:${target.ipv4}`);
  const v6 = await httpGet(`http://[${target.ipv6}]:8080/`);
  assert.equal(v6.body, `pod ${target.ipv6}`);
});

test("two pods get different names and subnets", { skip }, async () => {
  const [a, b] = await Promise.all([pod(), pod()]);
  assert.notEqual(a.name, b.name);
  assert.notEqual(a.ipv4, b.ipv4);
  assert.notEqual(a.ipv6, b.ipv6);
});

test("an IPv6-only pod has no IPv4 address but loopback", { skip }, async () => {
  const v6only = await pod({ ipv4: false });
  assert.equal(v6only.ipv4, undefined);
  const { stdout } = await v6only.run("ip", ["-o", "-4", "addr", "show"]);
  assert.deepEqual(
    [...stdout.matchAll(/inet (\S+)\//g)].map((m) => m[1]),
    ["127.0.0.1"],
  );
});

test("a pod with IPv6 disabled has no IPv6 at all, not even ::1", { skip }, async () => {
  const v4only = await pod({ disableIPv6: true });
  assert.equal(v4only.ipv6, undefined);
  const { stdout } = await v4only.run("ip", ["-o", "-6", "addr", "show"]);
  assert.equal(stdout.trim(), "");
  const sysctl = await v4only.run("sysctl", ["-n", "net.ipv6.conf.all.disable_ipv6"]);
  assert.equal(sysctl.stdout.trim(), "1");
});

test("destroy stops the pod's processes and removes the namespace", { skip }, async () => {
  const target = await createPod();
  const sleeper = target.spawn("sleep", ["600"]);
  const exited = new Promise((resolve) => sleeper.once("exit", resolve));
  await target.destroy();
  await exited;
  assert.ok(!execFileSync("ip", ["netns", "list"], { encoding: "utf8" }).includes(target.name));
  await waitFor(() => !execFileSync("ip", ["-o", "addr"], { encoding: "utf8" }).includes(` ${target.ipv4}/`), {
    description: "the host end of the veth to disappear",
  });
});
