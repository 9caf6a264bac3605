import { test } from "node:test";
import assert from "node:assert/strict";
import { detectContainer, SERVICE_ACCOUNT_TOKEN } from "./container.js";
import type { SystemProbe } from "./system-probe.js";

function machine(files: Record<string, string> = {}): SystemProbe {
  return {
    fileExists: (path) => path in files,
    readFile: (path) => files[path],
    hasIPv6: () => true,
    cpuCount: () => 1,
  };
}

test("no evidence: not in a container", () => {
  assert.deepEqual(detectContainer({}, machine({ "/proc/1/cgroup": "0::/init.scope\n" })), {
    inContainer: false,
    kubernetes: false,
  });
});

test("each piece of evidence, with its reason", () => {
  const cases: [NodeJS.ProcessEnv, Record<string, string>, boolean, string][] = [
    [{ KUBERNETES_SERVICE_HOST: "10.96.0.1" }, {}, true, "KUBERNETES_SERVICE_HOST is set"],
    [
      {},
      { [SERVICE_ACCOUNT_TOKEN]: "token" },
      true,
      `a Kubernetes service-account token is mounted (${SERVICE_ACCOUNT_TOKEN})`,
    ],
    [{}, { "/.dockerenv": "" }, false, "/.dockerenv exists (Docker)"],
    [{}, { "/run/.containerenv": "" }, false, "/run/.containerenv exists (Podman)"],
    [{}, { "/proc/1/cgroup": "12:pids:/kubepods/burstable/pod1234/abc\n" }, true, "/proc/1/cgroup mentions kubepods"],
    [{}, { "/proc/1/cgroup": "1:name=systemd:/docker/0123abcd\n" }, false, "/proc/1/cgroup mentions docker"],
  ];
  for (const [env, files, kubernetes, reason] of cases) {
    assert.deepEqual(detectContainer(env, machine(files)), { inContainer: true, kubernetes, reason }, reason);
  }
});

test("FRANK_CONTAINER=1|0 overrides the evidence", () => {
  assert.deepEqual(
    detectContainer({ FRANK_CONTAINER: "0", KUBERNETES_SERVICE_HOST: "x" }, machine({ "/.dockerenv": "" })),
    {
      inContainer: false,
      kubernetes: false,
      reason: "FRANK_CONTAINER=0",
    },
  );
  assert.deepEqual(detectContainer({ FRANK_CONTAINER: "1" }, machine()), {
    inContainer: true,
    kubernetes: false,
    reason: "FRANK_CONTAINER=1",
  });
  assert.deepEqual(detectContainer({ FRANK_CONTAINER: "1", KUBERNETES_SERVICE_HOST: "x" }, machine()).kubernetes, true);
  assert.throws(() => detectContainer({ FRANK_CONTAINER: "yes" }, machine()), /FRANK_CONTAINER is "yes"; it must be 1/);
});
