import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { ConfigError } from "./config-error.js";
import { listenAll } from "./listen.js";

test("loopback listens on 127.0.0.1 and ::1 with one port, even when the kernel picks it", async () => {
  const { servers, addresses } = await listenAll(() => createServer(), ["127.0.0.1", "::1"], 0);
  try {
    assert.equal(addresses.length, 2);
    assert.deepEqual(
      addresses.map((a) => a.address),
      ["127.0.0.1", "::1"],
    );
    assert.equal(addresses[0].port, addresses[1].port);
  } finally {
    for (const server of servers) server.close();
  }
});

test("a port in use names the process that holds it", async () => {
  const holder = createServer().listen(0, "127.0.0.1");
  await once(holder, "listening");
  const { port } = holder.address() as AddressInfo;
  try {
    await assert.rejects(
      listenAll(() => createServer(), ["127.0.0.1"], port),
      (error: Error) => {
        assert.ok(error instanceof ConfigError);
        assert.match(
          error.message,
          new RegExp(`^port ${port} is already in use \\(127\\.0\\.0\\.1:${port}\\) by process ${process.pid} \\(`),
        );
        assert.match(error.message, /choose another port with --port or PORT/);
        return true;
      },
    );
  } finally {
    holder.close();
  }
});

test("a failure on the second address closes the first", async () => {
  const holder = createServer().listen(0, "::1");
  await once(holder, "listening");
  const { port } = holder.address() as AddressInfo;
  try {
    await assert.rejects(
      listenAll(() => createServer(), ["127.0.0.1", "::1"], port),
      /already in use/,
    );
    const again = createServer().listen(port, "127.0.0.1");
    await once(again, "listening"); // 127.0.0.1 was released
    again.close();
  } finally {
    holder.close();
  }
});

function unprivilegedPortStart(): number {
  try {
    return Number(readFileSync("/proc/sys/net/ipv4/ip_unprivileged_port_start", "utf8"));
  } catch {
    return 1024;
  }
}

const lowPortsOpen =
  unprivilegedPortStart() <= 80 ? "this kernel lets anyone bind port 80 (ip_unprivileged_port_start)" : false;

test("a port below 1024 without privilege explains targetPort and CAP_NET_BIND_SERVICE", { skip: lowPortsOpen }, () => {
  // Run as an unprivileged user: root (and CAP_NET_BIND_SERVICE) may bind port 80.
  const script = `
    import { listenAll } from ${JSON.stringify(fileURLToPath(new URL("./listen.ts", import.meta.url)))};
    import { createServer } from "node:http";
    listenAll(() => createServer(), ["127.0.0.1"], 80).then(
      (r) => { console.log("bound"); for (const s of r.servers) s.close(); },
      (e) => console.log(e.message));
  `;
  const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  const result = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    encoding: "utf8",
    cwd: fileURLToPath(new URL("../..", import.meta.url)),
    env: { ...process.env, HOME: "/tmp" },
    ...asNobody,
  });
  // A spawn that fails (an unprivileged user who cannot reach this Node) says why.
  assert.equal(result.status, 0, result.error?.message ?? result.stderr);
  assert.match(
    result.stdout,
    /permission denied listening on 127\.0\.0\.1:80: ports below 1024 need root or CAP_NET_BIND_SERVICE/,
  );
  assert.match(result.stdout, /targetPort/);
});
