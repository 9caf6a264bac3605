// Test timeout: 90 s: a pod per case, and refused connections probed from outside it.
// Where frank listens, checked with real sockets: frank runs inside a network namespace (a
// "pod" with addresses from 198.18.0.0/15 and 2001:db8::/32) and is called from outside it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { once } from "node:events";
import { request } from "node:http";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { childOutput } from "./support/child-output.js";
import { createPod, netnsUnavailableReason, type Pod } from "./support/netns.js";
import { skipUnlessAvailable } from "./support/prerequisites.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const MAIN = join(ROOT, "src/cli/main.ts");
const TSX = import.meta.resolve("tsx");
const APP = join(ROOT, "test/fixtures/apps/plain/app.ts");
const PORT = 8080;

const skip = skipUnlessAvailable(netnsUnavailableReason());

/** Starts `frank APP ARGS` in the pod with only ENV, and waits for its banner. */
async function frankInPod(pod: Pod, args: string[], env: Record<string, string> = {}) {
  const child = pod.spawn(process.execPath, ["--import", TSX, MAIN, APP, "-p", String(PORT), "--no-reload", ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
  });
  const output = childOutput(child);
  await output.said(/^ {3}http:\/\//m).catch((error: Error) => {
    child.kill("SIGKILL");
    throw new Error(`frank did not start in the pod: ${error.message}`);
  });
  return {
    output: output.text,
    stop: async () => {
      child.kill("SIGTERM");
      if (child.exitCode === null) await once(child, "exit");
    },
  };
}

/** GET / from outside the pod: the status, or the error code (ECONNREFUSED...). */
function get(host: string): Promise<number | string> {
  return new Promise((resolve) => {
    const req = request({ host, port: PORT, path: "/", agent: false, timeout: 3000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    req.on("timeout", () => req.destroy(Object.assign(new Error("timeout"), { code: "ETIMEDOUT" })));
    req.end();
  });
}

/** GET / from inside the pod, to show the server is up where it listens. */
async function getInPod(pod: Pod, host: string): Promise<string> {
  const script = `fetch("http://${host.includes(":") ? `[${host}]` : host}:${PORT}/").then((r) => console.log(r.status), (e) => console.log(e.cause?.code ?? e.message))`;
  return (await pod.run(process.execPath, ["-e", script])).stdout.trim();
}

test("a loopback bind answers inside the pod and refuses connections to the pod's address", { skip }, async () => {
  const pod = await createPod();
  try {
    const frank = await frankInPod(pod, ["--host", "localhost"], {
      KUBERNETES_SERVICE_HOST: "10.96.0.1",
      APP_ENV: "production",
    });
    try {
      assert.equal(await getInPod(pod, "127.0.0.1"), "200");
      assert.equal(await getInPod(pod, "::1"), "200");
      assert.equal(await get(pod.ipv4!), "ECONNREFUSED");
      assert.equal(await get(pod.ipv6!), "ECONNREFUSED");
      assert.match(
        frank.output(),
        /!! WARNING: listening on loopback only \(127\.0\.0\.1, ::1, from --host\) inside a container/,
      );
    } finally {
      await frank.stop();
    }
  } finally {
    await pod.destroy();
  }
});

test("an all-interfaces bind accepts over IPv4 and IPv6 (one dual-stack socket on ::)", { skip }, async () => {
  const pod = await createPod();
  try {
    const frank = await frankInPod(pod, [], { KUBERNETES_SERVICE_HOST: "10.96.0.1", APP_ENV: "production" });
    try {
      assert.equal(await get(pod.ipv4!), 200);
      assert.equal(await get(pod.ipv6!), 200);
      const output = frank.output();
      assert.match(output, /host :: \(all interfaces\) because KUBERNETES_SERVICE_HOST is set/);
      assert.ok(output.includes(`http://${pod.ipv4}:${PORT}/`), output);
      assert.ok(output.includes(`http://[${pod.ipv6}]:${PORT}/`), output);
    } finally {
      await frank.stop();
    }
  } finally {
    await pod.destroy();
  }
});

test("with IPv6 turned off, all interfaces is 0.0.0.0 and still accepts", { skip }, async () => {
  const pod = await createPod({ disableIPv6: true });
  try {
    const frank = await frankInPod(pod, [], { KUBERNETES_SERVICE_HOST: "10.96.0.1", APP_ENV: "production" });
    try {
      assert.equal(await get(pod.ipv4!), 200);
      assert.match(frank.output(), /host 0\.0\.0\.0 \(all interfaces\) because KUBERNETES_SERVICE_HOST is set/);
    } finally {
      await frank.stop();
    }
  } finally {
    await pod.destroy();
  }
});
