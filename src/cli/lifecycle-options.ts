import type { LifecycleConfig, LifecycleFlags } from "../server/lifecycle-config.js";

/** The lifecycle options `frank serve` and `frank config` share (docs/architecture.md, "Lifecycle in production"). */
export const LIFECYCLE_OPTIONS = {
  "shutdown-delay": { type: "string" },
  "drain-timeout": { type: "string" },
  "keep-alive-timeout": { type: "string" },
  "max-body-size": { type: "string" },
  "access-log": { type: "string" },
  metrics: { type: "string" },
} as const;

export function lifecycleFlags(values: {
  "shutdown-delay"?: string;
  "drain-timeout"?: string;
  "keep-alive-timeout"?: string;
  "max-body-size"?: string;
  "access-log"?: string;
  metrics?: string;
}): LifecycleFlags {
  return {
    shutdownDelay: values["shutdown-delay"],
    drainTimeout: values["drain-timeout"],
    keepAliveTimeout: values["keep-alive-timeout"],
    maxBodySize: values["max-body-size"],
    accessLog: values["access-log"],
    metrics: values.metrics,
  };
}

export function formatSeconds(ms: number): string {
  return `${ms / 1000} s`;
}

export function formatBytes(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / 1024 / 1024} MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} B`;
}

/** [setting, value, source] rows for `frank config`. */
export function lifecycleRows(lifecycle: LifecycleConfig): [string, string, string][] {
  const path = (value: string | false) => (value === false ? "off" : value);
  return [
    ["shutdown delay", formatSeconds(lifecycle.shutdownDelayMs.value), lifecycle.shutdownDelayMs.source],
    ["drain timeout", formatSeconds(lifecycle.drainTimeoutMs.value), lifecycle.drainTimeoutMs.source],
    ["keep-alive timeout", formatSeconds(lifecycle.keepAliveTimeoutMs.value), lifecycle.keepAliveTimeoutMs.source],
    ["headers timeout", formatSeconds(lifecycle.headersTimeoutMs.value), lifecycle.headersTimeoutMs.source],
    ["request timeout", formatSeconds(lifecycle.requestTimeoutMs.value), lifecycle.requestTimeoutMs.source],
    ["max header size", formatBytes(lifecycle.maxHeaderBytes.value), lifecycle.maxHeaderBytes.source],
    ["max body size", formatBytes(lifecycle.maxBodyBytes.value), lifecycle.maxBodyBytes.source],
    ["liveness probe", path(lifecycle.livenessPath.value), lifecycle.livenessPath.source],
    ["readiness probe", path(lifecycle.readinessPath.value), lifecycle.readinessPath.source],
    ["metrics", path(lifecycle.metricsPath.value), lifecycle.metricsPath.source],
    ["access log", lifecycle.accessLog.value, lifecycle.accessLog.source],
    ["log probes", lifecycle.logProbes.value ? "yes" : "no", lifecycle.logProbes.source],
  ];
}

/** Option lines for `frank --help`, with the values they have right now (descriptions in column 25). */
export function lifecycleHelp(lifecycle: LifecycleConfig | undefined, problem: string): string[] {
  const indent = " ".repeat(24);
  const now = (value: (config: LifecycleConfig) => string) => (lifecycle ? `now ${value(lifecycle)}` : problem);
  return [
    "      --shutdown-delay S",
    `${indent}after SIGTERM, keep serving S seconds with /readyz at 503 (5 in Kubernetes,`,
    `${indent}else 0); now ${lifecycle ? `${formatSeconds(lifecycle.shutdownDelayMs.value)} (${lifecycle.shutdownDelayMs.source})` : problem}`,
    "      --drain-timeout S",
    `${indent}then let requests in flight finish for up to S seconds; ${now((c) => formatSeconds(c.drainTimeoutMs.value))}`,
    "      --keep-alive-timeout S",
    `${indent}close idle connections after S seconds; ${now((c) => formatSeconds(c.keepAliveTimeoutMs.value))}`,
    "      --max-body-size SIZE",
    `${indent}larger request bodies get 413 (e.g. 512kb, 10mb); ${now((c) => formatBytes(c.maxBodyBytes.value))}`,
    "      --access-log FORMAT",
    `${indent}dev, json or off; ${now((c) => `${c.accessLog.value} (${c.accessLog.source})`)}`,
    "      --metrics PATH",
    `${indent}where Prometheus scrapes, or off; ${now((c) => `${c.metricsPath.value === false ? "off" : c.metricsPath.value} (${c.metricsPath.source})`)}`,
    `${indent}(each also as FRANK_SHUTDOWN_DELAY... and app setting shutdownDelay...;`,
    `${indent}frank config lists them all with their sources)`,
  ];
}
