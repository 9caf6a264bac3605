import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError, resolveServerConfig } from "../server/config.js";
import { environmentTraps } from "./environment-traps.js";

const NO_CONTAINER_FILES = { fileExists: () => false, readFile: () => undefined, hasIPv6: () => true };
const KUBERNETES = { KUBERNETES_SERVICE_HOST: "198.18.255.1" };

function traps(env: NodeJS.ProcessEnv) {
  try {
    const config = resolveServerConfig({ env, probe: NO_CONTAINER_FILES });
    return environmentTraps(env, config, undefined).map((trap) => [trap.code, trap.severity]);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return environmentTraps(env, undefined, error.message).map((trap) => [trap.code, trap.severity]);
  }
}

test("a production pod with nothing odd has no traps", () => {
  assert.deepEqual(traps({ ...KUBERNETES, APP_ENV: "production", PORT: "8080" }), []);
});

test("PORT that is a service link stops frank", () => {
  assert.deepEqual(traps({ ...KUBERNETES, APP_ENV: "production", PORT: "tcp://198.18.96.12:80" }), [
    ["port-is-service-link", "error"],
  ]);
});

test("HOST=127.0.0.1 inside a container", () => {
  assert.deepEqual(traps({ ...KUBERNETES, APP_ENV: "production", HOST: "127.0.0.1" }), [
    ["host-loopback-in-container", "error"],
  ]);
});

test("HOST=127.0.0.1 on a laptop is no trap", () => {
  assert.deepEqual(traps({ HOST: "127.0.0.1" }), []);
});

test("development inside Kubernetes, and variables that disagree", () => {
  assert.deepEqual(traps({ ...KUBERNETES }), [["development-in-kubernetes", "warning"]]);
  assert.deepEqual(traps({ ...KUBERNETES, APP_ENV: "production", RACK_ENV: "development" }), [
    ["environments-disagree", "warning"],
  ]);
});
