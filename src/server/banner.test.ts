import { test } from "node:test";
import assert from "node:assert/strict";
import type { networkInterfaces } from "node:os";
import { bannerLines, because, listeningUrls, warningLines } from "./banner.js";
import { resolveServerConfig } from "./config.js";

type Interfaces = ReturnType<typeof networkInterfaces>;
const nic = (address: string, family: "IPv4" | "IPv6", internal = false) =>
  ({
    address,
    family,
    internal,
    netmask: "",
    mac: "",
    cidr: null,
    ...(family === "IPv6" ? { scopeid: 0 } : {}),
  }) as Interfaces[string] extends (infer T)[] | undefined ? T : never;

const pod: Interfaces = {
  lo: [nic("127.0.0.1", "IPv4", true), nic("::1", "IPv6", true)],
  eth0: [nic("198.18.0.2", "IPv4"), nic("2001:db8::2", "IPv6"), nic("fe80::1", "IPv6")],
};

test("all interfaces: one URL per non-loopback address (no link-local); 0.0.0.0 lists IPv4 only", () => {
  assert.deepEqual(listeningUrls([{ address: "::", family: "IPv6", port: 8080 }], pod), [
    "http://198.18.0.2:8080/",
    "http://[2001:db8::2]:8080/",
  ]);
  assert.deepEqual(listeningUrls([{ address: "0.0.0.0", family: "IPv4", port: 8080 }], pod), [
    "http://198.18.0.2:8080/",
  ]);
});

test("all interfaces on a machine with only loopback lists the loopback addresses", () => {
  const lonely: Interfaces = { lo: pod.lo };
  assert.deepEqual(listeningUrls([{ address: "::", family: "IPv6", port: 80 }], lonely), [
    "http://127.0.0.1:80/",
    "http://[::1]:80/",
  ]);
});

test("loopback and specific addresses are listed as bound", () => {
  const bound = [
    { address: "127.0.0.1", family: "IPv4" as const, port: 4567 },
    { address: "::1", family: "IPv6" as const, port: 4567 },
  ];
  assert.deepEqual(listeningUrls(bound, pod), ["http://127.0.0.1:4567/", "http://[::1]:4567/"]);
});

test("because: names a setting with 'from', a default with 'by default', evidence with 'because'", () => {
  assert.equal(because("--port"), "from --port");
  assert.equal(because("PORT"), "from PORT");
  assert.equal(because("app setting bind"), "from app setting bind");
  assert.equal(because("default"), "by default");
  assert.equal(because("KUBERNETES_SERVICE_HOST is set"), "because KUBERNETES_SERVICE_HOST is set");
});

test("the banner names each URL, the environment, and why this host and port", () => {
  const config = resolveServerConfig({
    env: { KUBERNETES_SERVICE_HOST: "10.96.0.1", APP_ENV: "production", PORT: "8080" },
    probe: { fileExists: () => false, hasIPv6: () => true },
  });
  const lines = bannerLines(config, listeningUrls([{ address: "::", family: "IPv6", port: 8080 }], pod));
  assert.deepEqual(lines, [
    "== frank is listening on",
    "   http://198.18.0.2:8080/",
    "   http://[2001:db8::2]:8080/",
    "   environment production from APP_ENV",
    "   host :: (all interfaces) because KUBERNETES_SERVICE_HOST is set",
    "   port 8080 from PORT",
  ]);
  assert.deepEqual(warningLines(config), []);
});

test("warnings are printed loudly", () => {
  const config = resolveServerConfig({
    env: { KUBERNETES_SERVICE_HOST: "10.96.0.1", HOST: "127.0.0.1" },
    probe: { fileExists: () => false, hasIPv6: () => true },
  });
  const lines = warningLines(config);
  assert.equal(lines.length, 2);
  for (const line of lines) assert.match(line, /^!! WARNING: /);
});
