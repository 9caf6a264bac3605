import { test } from "node:test";
import assert from "node:assert/strict";
import { ConfigError, resolveServerConfig, type ConfigInputs } from "./config.js";

/** A laptop: no container evidence, IPv6 present, 8 cores. */
const laptop = { fileExists: () => false, readFile: () => undefined, hasIPv6: () => true, cpuCount: () => 8 };
const noIPv6 = { ...laptop, hasIPv6: () => false };
const docker = { ...laptop, fileExists: (path: string) => path === "/.dockerenv" };

function resolve(inputs: ConfigInputs = {}) {
  return resolveServerConfig({ env: {}, probe: laptop, ...inputs });
}

test("environment: --env > APP_ENV > RACK_ENV > NODE_ENV > development", () => {
  const all = { APP_ENV: "a", RACK_ENV: "r", NODE_ENV: "n" };
  assert.deepEqual(resolve({ flags: { env: "f" }, env: all }).environment, { value: "f", source: "--env" });
  assert.deepEqual(resolve({ env: all }).environment, { value: "a", source: "APP_ENV" });
  assert.deepEqual(resolve({ env: { RACK_ENV: "r", NODE_ENV: "n" } }).environment, { value: "r", source: "RACK_ENV" });
  assert.deepEqual(resolve({ env: { NODE_ENV: "n" } }).environment, { value: "n", source: "NODE_ENV" });
  assert.deepEqual(resolve().environment, { value: "development", source: "default" });
  assert.deepEqual(
    resolve({ env: { APP_ENV: "", RACK_ENV: "production" } }).environment,
    { value: "production", source: "RACK_ENV" },
    "blank counts as unset",
  );
});

test("port: --port > PORT > app setting port > 4567", () => {
  assert.deepEqual(resolve({ flags: { port: "1" }, env: { PORT: "2" }, appSettings: { port: 3 } }).port, {
    value: 1,
    source: "--port",
  });
  assert.deepEqual(resolve({ env: { PORT: "2" }, appSettings: { port: 3 } }).port, { value: 2, source: "PORT" });
  assert.deepEqual(resolve({ appSettings: { port: 3 } }).port, { value: 3, source: "app setting port" });
  assert.deepEqual(resolve({ appSettings: { port: "3000" } }).port, { value: 3000, source: "app setting port" });
  assert.deepEqual(resolve().port, { value: 4567, source: "default" });
  assert.deepEqual(
    resolve({ flags: { port: 0 } }).port,
    { value: 0, source: "--port" },
    "0 asks the kernel for a free port",
  );
});

test("port: never read from <NAME>_PORT or anything but PORT", () => {
  const config = resolve({ env: { MYAPP_PORT: "tcp://10.0.0.1:80", FRANK_PORT: "9", SERVICE_PORT: "1" } });
  assert.deepEqual(config.port, { value: 4567, source: "default" });
});

test("port: a Kubernetes service link in PORT is an error that says so", () => {
  assert.throws(
    () => resolve({ env: { PORT: "tcp://10.0.0.1:80" } }),
    (error: Error) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /PORT is "tcp:\/\/10\.0\.0\.1:80"/);
      assert.match(error.message, /service link/);
      assert.match(error.message, /enableServiceLinks: false/);
      assert.doesNotMatch(error.message, /\n/);
      return true;
    },
  );
});

test("port: values that are not ports are errors naming their source", () => {
  assert.throws(() => resolve({ flags: { port: "http" } }), /--port is "http", which is not a port number/);
  assert.throws(() => resolve({ env: { PORT: "70000" } }), /PORT is "70000"/);
  assert.throws(() => resolve({ env: { PORT: "-1" } }), ConfigError);
  assert.throws(() => resolve({ appSettings: { port: "eighty" } }), /app setting port is "eighty"/);
  assert.throws(() => resolve({ appSettings: { port: { n: 1 } } }), /app setting port is object/);
});

test("host: --host > HOST > app setting bind", () => {
  const inputs = { env: { HOST: "10.1.1.1" }, appSettings: { bind: "10.2.2.2" } };
  assert.equal(resolve({ ...inputs, flags: { host: "10.0.0.9" } }).host.source, "--host");
  assert.deepEqual(resolve({ ...inputs, flags: { host: "10.0.0.9" } }).host.bindAddresses, ["10.0.0.9"]);
  assert.deepEqual(resolve(inputs).host, {
    value: "10.1.1.1",
    source: "HOST",
    kind: "specific",
    bindAddresses: ["10.1.1.1"],
  });
  assert.deepEqual(resolve({ appSettings: { bind: "10.2.2.2" } }).host, {
    value: "10.2.2.2",
    source: "app setting bind",
    kind: "specific",
    bindAddresses: ["10.2.2.2"],
  });
});

test("host: all interfaces in a container, whatever the environment", () => {
  const config = resolve({ env: { KUBERNETES_SERVICE_HOST: "10.96.0.1" } });
  assert.deepEqual(config.host, {
    value: "::",
    source: "KUBERNETES_SERVICE_HOST is set",
    kind: "all",
    bindAddresses: ["::"],
  });
  assert.equal(config.environment.value, "development");
  assert.deepEqual(resolve({ probe: docker }).host.source, "/.dockerenv exists (Docker)");
});

test("host: loopback (127.0.0.1 and ::1) in development outside a container", () => {
  assert.deepEqual(resolve().host, {
    value: "localhost",
    source: "development outside a container",
    kind: "loopback",
    bindAddresses: ["127.0.0.1", "::1"],
  });
  assert.deepEqual(resolve({ probe: noIPv6 }).host.bindAddresses, ["127.0.0.1"]);
});

test("host: all interfaces in any other environment; :: only where IPv6 exists", () => {
  assert.deepEqual(resolve({ env: { APP_ENV: "production" } }).host, {
    value: "::",
    source: "environment is production",
    kind: "all",
    bindAddresses: ["::"],
  });
  assert.deepEqual(resolve({ env: { RACK_ENV: "staging" }, probe: noIPv6 }).host.bindAddresses, ["0.0.0.0"]);
});

test("host: the words people use mean what they say", () => {
  const kinds = (host: string) => {
    const { value, kind, bindAddresses } = resolve({ flags: { host } }).host;
    return { value, kind, bindAddresses };
  };
  assert.deepEqual(kinds("localhost"), { value: "localhost", kind: "loopback", bindAddresses: ["127.0.0.1", "::1"] });
  assert.deepEqual(kinds("LOOPBACK"), { value: "localhost", kind: "loopback", bindAddresses: ["127.0.0.1", "::1"] });
  assert.deepEqual(kinds("127.0.0.1"), { value: "127.0.0.1", kind: "loopback", bindAddresses: ["127.0.0.1"] });
  assert.deepEqual(kinds("[::1]"), { value: "::1", kind: "loopback", bindAddresses: ["::1"] });
  assert.deepEqual(kinds("0.0.0.0"), { value: "0.0.0.0", kind: "all", bindAddresses: ["0.0.0.0"] });
  assert.deepEqual(kinds("::"), { value: "::", kind: "all", bindAddresses: ["::"] });
  assert.deepEqual(kinds("*"), { value: "::", kind: "all", bindAddresses: ["::"] });
  assert.deepEqual(kinds("2001:db8::5"), { value: "2001:db8::5", kind: "specific", bindAddresses: ["2001:db8::5"] });
  assert.deepEqual(kinds("web.internal"), { value: "web.internal", kind: "specific", bindAddresses: ["web.internal"] });
  assert.throws(
    () => resolve({ flags: { host: "tcp://10.0.0.1" } }),
    /--host is "tcp:\/\/10\.0\.0\.1", which is not an address/,
  );
  assert.throws(() => resolve({ appSettings: { bind: 42 } }), /app setting bind is number/);
});

test("host: HOSTNAME is never read", () => {
  const config = resolve({ env: { HOSTNAME: "pod-7d9f", APP_ENV: "production" } });
  assert.equal(config.host.value, "::");
  assert.equal(config.host.source, "environment is production");
});

test("workers: --workers, 0 means one per CPU core, default 1", () => {
  assert.deepEqual(resolve().workers, { value: 1, source: "default" });
  assert.deepEqual(resolve({ flags: { workers: "3" } }).workers, { value: 3, source: "--workers" });
  assert.deepEqual(resolve({ flags: { workers: 0 } }).workers, { value: 8, source: "--workers 0 (one per CPU core)" });
  assert.throws(() => resolve({ flags: { workers: "many" } }), /--workers is "many"/);
});

test("warning: loopback inside a container, with the fix for the setting that chose it", () => {
  const k8s = { KUBERNETES_SERVICE_HOST: "10.96.0.1", APP_ENV: "production" };
  const [byFlag] = resolve({ env: k8s, flags: { host: "127.0.0.1" } }).warnings;
  assert.match(
    byFlag,
    /loopback only \(127\.0\.0\.1, from --host\) inside a container \(KUBERNETES_SERVICE_HOST is set\)/,
  );
  assert.match(byFlag, /502 Bad Gateway/);
  assert.match(byFlag, /drop --host or use --host ::/);
  assert.match(resolve({ env: { ...k8s, HOST: "localhost" } }).warnings[0], /unset HOST or set HOST=::/);
  assert.match(resolve({ env: k8s, appSettings: { bind: "localhost" } }).warnings[0], /remove set\("bind", \.\.\.\)/);
  assert.deepEqual(
    resolve({ env: { APP_ENV: "production" }, flags: { host: "127.0.0.1" } }).warnings,
    [],
    "no warning on a laptop",
  );
  assert.deepEqual(resolve({ env: k8s }).warnings, [], "all interfaces in a pod is right");
});

test("warning: development inside Kubernetes exposes error pages", () => {
  const [warning] = resolve({ env: { KUBERNETES_SERVICE_HOST: "10.96.0.1" } }).warnings;
  assert.match(warning, /environment is development \(from default\) inside Kubernetes/);
  assert.match(warning, /error pages/);
  assert.match(warning, /APP_ENV=production/);
  assert.deepEqual(resolve({ probe: docker }).warnings, [], "plain Docker is not Kubernetes");
});

test("warning: APP_ENV, RACK_ENV and NODE_ENV that disagree are named", () => {
  const [warning] = resolve({
    env: { APP_ENV: "production", RACK_ENV: "development", NODE_ENV: "production" },
  }).warnings;
  assert.match(warning, /APP_ENV=production, RACK_ENV=development, NODE_ENV=production disagree/);
  assert.match(warning, /runs as production \(from APP_ENV\)/);
  assert.deepEqual(resolve({ env: { APP_ENV: "production", NODE_ENV: "production" } }).warnings, []);
  assert.deepEqual(resolve({ env: { RACK_ENV: "production" } }).warnings, []);
});

test("the seed story: RACK_ENV alone is enough, APP_ENV alone is enough, nothing at all still listens everywhere in a pod", () => {
  const pod = { KUBERNETES_SERVICE_HOST: "10.96.0.1", PORT: "80" };
  for (const env of [{ ...pod }, { ...pod, RACK_ENV: "production" }, { ...pod, APP_ENV: "production" }]) {
    const config = resolve({ env });
    assert.equal(config.host.kind, "all");
    assert.deepEqual(config.port, { value: 80, source: "PORT" });
  }
});
