import { test } from "node:test";
import assert from "node:assert/strict";
import { ConfigError } from "./config-error.js";
import { limitsOf, parseDuration, parseSize, resolveLifecycle } from "./lifecycle-config.js";

const outside = { kubernetes: false, environment: "production" };
const inKubernetes = { kubernetes: true, environment: "production" };

test("the shutdown delay is 5 s in Kubernetes and 0 elsewhere; the drain timeout 20 s", () => {
  assert.deepEqual(resolveLifecycle({}, {}, {}, inKubernetes).shutdownDelayMs, {
    value: 5_000,
    source: "default in Kubernetes",
  });
  assert.deepEqual(resolveLifecycle({}, {}, {}, outside).shutdownDelayMs, {
    value: 0,
    source: "default outside Kubernetes",
  });
  assert.deepEqual(resolveLifecycle({}, {}, {}, outside).drainTimeoutMs, { value: 20_000, source: "default" });
});

test("flag > FRANK_* variable > app setting > default, each named as the source", () => {
  const settings = { drainTimeout: 30, shutdownDelay: "2s" };
  const env = { FRANK_DRAIN_TIMEOUT: "40" };
  assert.deepEqual(resolveLifecycle({ drainTimeout: "50" }, env, settings, outside).drainTimeoutMs, {
    value: 50_000,
    source: "--drain-timeout",
  });
  assert.deepEqual(resolveLifecycle({}, env, settings, outside).drainTimeoutMs, {
    value: 40_000,
    source: "FRANK_DRAIN_TIMEOUT",
  });
  assert.deepEqual(resolveLifecycle({}, {}, settings, outside).drainTimeoutMs, {
    value: 30_000,
    source: "app setting drainTimeout",
  });
  assert.deepEqual(resolveLifecycle({}, {}, settings, inKubernetes).shutdownDelayMs, {
    value: 2_000,
    source: "app setting shutdownDelay",
  });
  assert.deepEqual(resolveLifecycle({ shutdownDelay: "0" }, {}, {}, inKubernetes).shutdownDelayMs, {
    value: 0,
    source: "--shutdown-delay",
  });
});

test("keep-alive outlasts 60 s proxies, and the headers and request timeouts follow it", () => {
  const defaults = limitsOf(resolveLifecycle({}, {}, {}, outside));
  assert.deepEqual(defaults, {
    keepAliveTimeoutMs: 65_000,
    headersTimeoutMs: 66_000,
    requestTimeoutMs: 300_000,
    maxHeaderBytes: 16_384,
    maxBodyBytes: 1_048_576,
  });
  const short = resolveLifecycle({ keepAliveTimeout: "5" }, { FRANK_REQUEST_TIMEOUT: "2" }, {}, outside);
  assert.equal(short.headersTimeoutMs.value, 6_000);
  assert.deepEqual(short.requestTimeoutMs, {
    value: 6_000,
    source: "FRANK_REQUEST_TIMEOUT, raised to the headers timeout",
  });
});

test("durations and sizes take units; nonsense is a ConfigError that names the source", () => {
  assert.equal(parseDuration("1.5", "x"), 1_500);
  assert.equal(parseDuration("500ms", "x"), 500);
  assert.equal(parseDuration(20, "x"), 20_000);
  assert.equal(parseSize("512kb", "x"), 524_288);
  assert.equal(parseSize("2mb", "x"), 2_097_152);
  assert.throws(
    () => resolveLifecycle({ drainTimeout: "soon" }, {}, {}, outside),
    (error: Error) => error instanceof ConfigError && /--drain-timeout is "soon"/.test(error.message),
  );
  assert.throws(
    () => resolveLifecycle({}, { FRANK_MAX_BODY_SIZE: "big" }, {}, outside),
    /FRANK_MAX_BODY_SIZE is "big", which is not a size/,
  );
});

test("probe paths are settings and can be turned off", () => {
  const config = resolveLifecycle({}, { FRANK_LIVENESS_PATH: "/healthz", FRANK_READINESS_PATH: "off" }, {}, outside);
  assert.deepEqual(config.livenessPath, { value: "/healthz", source: "FRANK_LIVENESS_PATH" });
  assert.deepEqual(config.readinessPath, { value: false, source: "FRANK_READINESS_PATH" });
  assert.equal(resolveLifecycle({}, {}, { readinessPath: false }, outside).readinessPath.value, false);
  assert.throws(() => resolveLifecycle({}, { FRANK_LIVENESS_PATH: "livez" }, {}, outside), /not a path/);
});

test("/metrics is on by default in every environment; flag, variable or setting move it or turn it off", () => {
  for (const environment of ["development", "test", "production"]) {
    assert.deepEqual(resolveLifecycle({}, {}, {}, { kubernetes: false, environment }).metricsPath, {
      value: "/metrics",
      source: "default",
    });
  }
  assert.deepEqual(resolveLifecycle({ metrics: "off" }, {}, {}, outside).metricsPath, {
    value: false,
    source: "--metrics",
  });
  assert.deepEqual(resolveLifecycle({}, { FRANK_METRICS_PATH: "/internal/metrics" }, {}, outside).metricsPath, {
    value: "/internal/metrics",
    source: "FRANK_METRICS_PATH",
  });
  assert.equal(resolveLifecycle({}, {}, { metricsPath: false }, outside).metricsPath.value, false);
  assert.throws(
    () => resolveLifecycle({ metrics: "metrics" }, {}, {}, outside),
    /--metrics is "metrics", which is not a path \(such as \/metrics\) or off/,
  );
});

test("two of the server's own endpoints on one path is a configuration error, not a hidden probe", () => {
  assert.throws(
    () => resolveLifecycle({ metrics: "/livez" }, {}, {}, outside),
    (error: Error) =>
      error instanceof ConfigError &&
      error.message ===
        "--metrics puts the metrics endpoint on /livez, where the liveness probe already is (default); give it a path of its own",
  );
  assert.throws(
    () => resolveLifecycle({}, { FRANK_READINESS_PATH: "/livez" }, {}, outside),
    /readiness probe on \/livez/,
  );
  assert.equal(
    resolveLifecycle({ metrics: "/livez" }, { FRANK_LIVENESS_PATH: "off" }, {}, outside).metricsPath.value,
    "/livez",
  );
});

test("the access log follows the environment unless told: dev in development, off in test, JSON elsewhere", () => {
  assert.equal(resolveLifecycle({}, {}, {}, { kubernetes: false, environment: "development" }).accessLog.value, "dev");
  assert.equal(resolveLifecycle({}, {}, {}, { kubernetes: false, environment: "test" }).accessLog.value, "off");
  assert.equal(resolveLifecycle({}, {}, {}, outside).accessLog.value, "json");
  assert.deepEqual(resolveLifecycle({ accessLog: "off" }, {}, {}, outside).accessLog, {
    value: "off",
    source: "--access-log",
  });
  assert.equal(
    resolveLifecycle({}, {}, { accessLog: true }, { kubernetes: false, environment: "test" }).accessLog.value,
    "json",
  );
  assert.equal(resolveLifecycle({}, { FRANK_LOG_PROBES: "1" }, {}, outside).logProbes.value, true);
});
