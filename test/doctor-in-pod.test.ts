// Test timeout: 180 s: pods, servers and the doctor's own probes with their timeouts.
// The in-pod doctor, run inside a real network namespace the way `kubectl exec POD -- frank
// doctor` runs in a pod: against a server bound to loopback (the seed's Bad Gateway) and a
// dual-stack one, and checked against what a connection from outside the pod really gets.
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { connect } from "node:net";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import type { DoctorReport } from "../src/doctor/diagnose.js";
import { type Pod, createPod, netnsUnavailableReason } from "./support/netns.js";
import { skipUnlessAvailable } from "./support/prerequisites.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const PORT = 8080;
/** A pod's environment: what its spec sets, nothing leaked in from the test runner. */
const POD_ENV = {
  PATH: process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin",
  HOME: process.env.HOME ?? "/root",
  KUBERNETES_SERVICE_HOST: "198.18.255.1",
  APP_ENV: "production",
  PORT: String(PORT),
};

/** Runs `frank doctor` inside the pod through the command's run(), as the CLI entry does. */
async function doctorInPod(pod: Pod, args: string[], env: NodeJS.ProcessEnv = POD_ENV) {
  const script = `import(${JSON.stringify(`${ROOT}src/cli/doctor-command.ts`)}).then((m) => m.run(process.argv.slice(1))).then((code) => { process.exitCode = code; })`;
  return pod.run(process.execPath, ["--import", "tsx", "-e", script, "--", ...args], { env, cwd: ROOT });
}

/** frank's own launcher code (serve(), as `frank serve` uses it) in the pod, until its output matches `until`. */
async function frankInPod(
  pod: Pod,
  env: NodeJS.ProcessEnv,
  until: RegExp,
): Promise<{ child: ChildProcess; output: string }> {
  const script = `import(${JSON.stringify(`${ROOT}src/server/serve.ts`)}).then((m) => m.serve(() => new Response("ok")))`;
  const child = pod.spawn(process.execPath, ["--import", "tsx", "-e", script], { env, cwd: ROOT });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`frank did not print ${until} within 10 s:\n${output}`)), 10_000);
    const collect = (chunk: string) => {
      output += chunk;
      if (until.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.setEncoding("utf8").on("data", collect);
    child.stderr!.setEncoding("utf8").on("data", collect);
    child.once("exit", (code) => reject(new Error(`frank exited with ${code}:\n${output}`)));
  });
  return { child, output };
}

/** A plain TCP server in the pod, listening on `host`; resolves once it listens. */
async function serverInPod(pod: Pod, host: string): Promise<ChildProcess> {
  const script = `require("node:net").createServer((s) => s.end()).listen({ port: ${PORT}, host: ${JSON.stringify(host)} }, () => console.log("listening"))`;
  const child = pod.spawn(process.execPath, ["-e", script]);
  const [chunk] = (await once(child.stdout!, "data")) as [Buffer];
  assert.match(chunk.toString(), /listening/);
  return child;
}

/** What a Service gets: a connection from outside the pod to the pod's address. */
function connectFromOutside(host: string): Promise<"connected" | string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port: PORT, timeout: 2000 });
    socket.once("connect", () => {
      socket.destroy();
      resolve("connected");
    });
    socket.once("timeout", () => {
      socket.destroy();
      resolve("timed out");
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

const skip = skipUnlessAvailable(netnsUnavailableReason());

describe("frank doctor in a pod", { skip }, () => {
  let pod: Pod;
  before(async () => {
    pod = await createPod();
  });
  after(async () => {
    await pod?.destroy();
  });

  test("a server on 127.0.0.1 only: Bad Gateway, with the netstat line and the fix", async () => {
    const server = await serverInPod(pod, "127.0.0.1");
    try {
      const result = await doctorInPod(pod, ["--json"]);
      assert.equal(result.code, 1, result.stderr);
      const report = JSON.parse(result.stdout) as DoctorReport;
      const listener = report.listeners.find((entry) => entry.port === PORT);
      assert.deepEqual(
        {
          address: listener?.address,
          loopback: listener?.loopback,
          pid: listener?.owner?.pid,
          program: listener?.owner?.program,
        },
        { address: "127.0.0.1", loopback: true, pid: server.pid, program: "node" },
      );
      assert.deepEqual(
        report.reachability.map((probe) => [probe.address, probe.outcome]).sort(),
        [
          [pod.ipv4, "refused"],
          [pod.ipv6, "refused"],
        ].sort(),
      );
      assert.equal(
        report.verdict,
        "listening on 127.0.0.1:8080 only: the Service and the Ingress cannot reach it; start with --host :: or unset HOST",
      );
      assert.deepEqual(
        report.findings.map((finding) => finding.code),
        ["loopback-only"],
      );
      // The doctor's verdict is what a Service really gets.
      assert.notEqual(await connectFromOutside(pod.ipv4!), "connected");

      const text = await doctorInPod(pod, []);
      assert.equal(text.code, 1);
      assert.match(text.stdout, new RegExp(`tcp {4}127\\.0\\.0\\.1:8080 +${server.pid}/node +loopback only`));
      assert.match(text.stdout, /Verdict: Bad Gateway: listening on 127\.0\.0\.1:8080 only/);
    } finally {
      server.kill();
    }
  });

  test("a dual-stack server on :: : reachable on the pod's IPv4 and IPv6 addresses, exit 0", async () => {
    const server = await serverInPod(pod, "::");
    try {
      const result = await doctorInPod(pod, ["--json"]);
      assert.equal(result.code, 0, result.stdout);
      const report = JSON.parse(result.stdout) as DoctorReport;
      assert.equal(report.ok, true);
      assert.deepEqual(report.findings, []);
      assert.deepEqual(
        report.reachability.map((probe) => [probe.address, probe.outcome]).sort(),
        [
          [pod.ipv4, "connected"],
          [pod.ipv6, "connected"],
        ].sort(),
      );
      assert.match(report.verdict, /^listening on :::8080, reachable at .*: a Service can reach it$/);
      assert.equal(report.config?.host.kind, "all");
      assert.equal(report.config?.container.kubernetes, true);
      assert.equal(await connectFromOutside(pod.ipv4!), "connected");
      assert.equal(await connectFromOutside(pod.ipv6!), "connected");
    } finally {
      server.kill();
    }
  });

  test("IPv4 only in a dual-stack pod: reachable over IPv4, a warning for IPv6", async () => {
    const server = await serverInPod(pod, "0.0.0.0");
    try {
      const result = await doctorInPod(pod, ["--json"]);
      assert.equal(result.code, 0, result.stdout);
      const report = JSON.parse(result.stdout) as DoctorReport;
      assert.deepEqual(
        report.findings.map((finding) => [finding.code, finding.severity]),
        [["partly-reachable", "warning"]],
      );
      assert.equal(await connectFromOutside(pod.ipv6!), "ECONNREFUSED");
    } finally {
      server.kill();
    }
  });

  test("nothing on the port, and HOST=127.0.0.1 in the pod's environment: both found", async () => {
    const result = await doctorInPod(pod, ["--json"], { ...POD_ENV, HOST: "127.0.0.1" });
    assert.equal(result.code, 1, result.stderr);
    const report = JSON.parse(result.stdout) as DoctorReport;
    assert.deepEqual(report.findings.map((finding) => finding.code).sort(), [
      "host-loopback-in-container",
      "nothing-listens",
    ]);
  });

  test("the seed story with frank: HOST=127.0.0.1 in the pod, the banner warns, the doctor agrees; unset, all is well", async () => {
    const loopback = await frankInPod(
      pod,
      { ...POD_ENV, HOST: "127.0.0.1" },
      /WARNING: listening on loopback only.*\n/,
    );
    try {
      assert.match(loopback.output, /host 127\.0\.0\.1 \(loopback only\) from HOST/);
      const result = await doctorInPod(pod, ["--json"], { ...POD_ENV, HOST: "127.0.0.1" });
      assert.equal(result.code, 1);
      const report = JSON.parse(result.stdout) as DoctorReport;
      assert.deepEqual(
        report.findings.map((finding) => finding.code),
        ["loopback-only", "host-loopback-in-container"],
      );
      assert.equal(report.listeners.find((entry) => entry.port === PORT)?.owner?.pid, loopback.child.pid);
    } finally {
      loopback.child.kill("SIGKILL");
      await once(loopback.child, "exit");
    }

    const fixed = await frankInPod(pod, POD_ENV, /port 8080 from PORT\n/);
    try {
      const result = await doctorInPod(pod, ["--json"]);
      assert.equal(result.code, 0, result.stdout);
      const report = JSON.parse(result.stdout) as DoctorReport;
      assert.deepEqual(
        report.listeners.filter((entry) => entry.port === PORT).map((entry) => entry.address),
        ["::"],
      );
      assert.deepEqual(report.findings, []);
    } finally {
      fixed.child.kill("SIGKILL");
      await once(fixed.child, "exit");
    }
  });
});
