import { byteSize } from "../http/byte-size.js";
import { ConfigError } from "./config-error.js";
import type { Sourced } from "./config.js";
import { DEFAULT_LIVENESS_PATH, DEFAULT_READINESS_PATH } from "./health.js";
import { DEFAULT_METRICS_PATH } from "./metrics-endpoint.js";
import {
  DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_HEADER_BYTES,
  DEFAULT_REQUEST_TIMEOUT_MS,
  type ServerLimits,
} from "./limits.js";

/** Seconds frank keeps serving after SIGTERM in Kubernetes, while endpoints and the Ingress catch up. */
export const KUBERNETES_SHUTDOWN_DELAY_MS = 5_000;
/** Seconds in-flight requests may take once the listener is closed. */
export const DEFAULT_DRAIN_TIMEOUT_MS = 20_000;

export type AccessLogFormat = "dev" | "json" | "off";

/**
 * Shutdown, timeouts, limits, probes and the access log, each with its source
 * (docs/architecture.md, "Lifecycle in production").
 */
export interface LifecycleConfig {
  shutdownDelayMs: Sourced<number>;
  drainTimeoutMs: Sourced<number>;
  keepAliveTimeoutMs: Sourced<number>;
  headersTimeoutMs: Sourced<number>;
  requestTimeoutMs: Sourced<number>;
  maxHeaderBytes: Sourced<number>;
  maxBodyBytes: Sourced<number>;
  /** `false`: that probe is off and the path belongs to the app. */
  livenessPath: Sourced<string | false>;
  readinessPath: Sourced<string | false>;
  /** Where Prometheus scrapes this process; `false`: no metrics are kept, the path belongs to the app. */
  metricsPath: Sourced<string | false>;
  accessLog: Sourced<AccessLogFormat>;
  /** Write probe requests to the access log too. */
  logProbes: Sourced<boolean>;
}

export interface LifecycleFlags {
  shutdownDelay?: string | number;
  drainTimeout?: string | number;
  keepAliveTimeout?: string | number;
  maxBodySize?: string | number;
  accessLog?: string;
  metrics?: string;
}

interface Context {
  flags: LifecycleFlags;
  env: NodeJS.ProcessEnv;
  settings: Record<string, unknown>;
}

/** One setting: its flag (when it has one), its variable, its app setting, in that order. */
interface Spec<T> {
  flag?: keyof LifecycleFlags;
  variable: string;
  setting: string;
  parse: (raw: unknown, source: string) => T;
}

function given(value: unknown): boolean {
  return value !== undefined && value !== null && String(value).trim() !== "";
}

function pick<T>(context: Context, spec: Spec<T>, fallback: () => Sourced<T>): Sourced<T> {
  const flag = spec.flag ? context.flags[spec.flag] : undefined;
  if (given(flag)) return { value: spec.parse(flag, `--${kebab(spec.flag!)}`), source: `--${kebab(spec.flag!)}` };
  const variable = context.env[spec.variable];
  if (given(variable)) return { value: spec.parse(variable, spec.variable), source: spec.variable };
  const setting = context.settings[spec.setting];
  if (setting !== undefined && setting !== null) {
    const source = `app setting ${spec.setting}`;
    return { value: spec.parse(setting, source), source };
  }
  return fallback();
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/** Seconds as a number or text ("20", "1.5", "1.5s"), or milliseconds with "ms" ("500ms"). */
export function parseDuration(raw: unknown, source: string): number {
  const text = String(raw).trim().toLowerCase();
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s)?$/.exec(text);
  if (!match || (typeof raw !== "number" && typeof raw !== "string")) {
    throw new ConfigError(
      `${source} is "${String(raw)}", which is not a duration (seconds such as 20 or 1.5, or milliseconds such as 500ms)`,
    );
  }
  const amount = Number(match[1]);
  return Math.round(match[2] === "ms" ? amount : amount * 1000);
}

/** Bytes as a number or text with a binary unit ("1048576", "512kb", "1mb"). */
export function parseSize(raw: unknown, source: string): number {
  const size = byteSize(raw);
  if (size === undefined || size === Number.POSITIVE_INFINITY) {
    throw new ConfigError(`${source} is "${String(raw)}", which is not a size (bytes such as 1048576, or 512kb, 1mb)`);
  }
  return size;
}

/** A path such as /livez, or off (false, "off", "false", "0", "none") to turn the endpoint off. */
function pathParser(example: string) {
  return (raw: unknown, source: string): string | false => {
    if (raw === false) return false;
    const text = String(raw).trim();
    if (/^(off|false|0|none)$/i.test(text)) return false;
    if (!text.startsWith("/") || /[\s?#]/.test(text)) {
      throw new ConfigError(`${source} is "${text}", which is not a path (such as ${example}) or off`);
    }
    return text;
  };
}
const parseProbePath = pathParser("/livez");

/** The server answers each of its paths itself: two of them on one path would hide one. */
function checkDistinctPaths(paths: [string, Sourced<string | false>][]): void {
  const seen: [string, Sourced<string | false>][] = [];
  for (const [name, path] of paths) {
    if (path.value === false) continue;
    const clash = seen.find(([, other]) => other.value === path.value);
    if (clash) {
      throw new ConfigError(
        `${path.source} puts the ${name} on ${path.value}, where the ${clash[0]} already is (${clash[1].source}); give it a path of its own`,
      );
    }
    seen.push([name, path]);
  }
}

/** dev, json or off; plain "on" picks the format of the environment. */
function accessLogParser(environment: string) {
  return (raw: unknown, source: string): AccessLogFormat => {
    if (typeof raw === "boolean") raw = raw ? "on" : "off";
    const text = String(raw).trim().toLowerCase();
    if (text === "dev" || text === "json" || text === "off") return text;
    if (["false", "0", "no", "none"].includes(text)) return "off";
    if (["true", "1", "yes", "on"].includes(text)) return environment === "development" ? "dev" : "json";
    throw new ConfigError(`${source} is "${String(raw)}"; the access log is dev, json or off`);
  };
}

function parseSwitch(raw: unknown, source: string): boolean {
  if (typeof raw === "boolean") return raw;
  const text = String(raw).trim().toLowerCase();
  if (["1", "true", "yes", "on"].includes(text)) return true;
  if (["0", "false", "no", "off"].includes(text)) return false;
  throw new ConfigError(`${source} is "${String(raw)}", which is neither on (1) nor off (0)`);
}

function defaultAccessLog(environment: string): Sourced<AccessLogFormat> {
  if (environment === "development") return { value: "dev", source: "development" };
  if (environment === "test") return { value: "off", source: "test environment" };
  return { value: "json", source: `environment is ${environment}` };
}

/**
 * Resolves the lifecycle settings: flag > FRANK_* variable > app setting > default, where the
 * shutdown delay defaults to 5 s in Kubernetes (its endpoints and the Ingress need that long
 * to stop sending to a terminating pod) and 0 elsewhere. Throws ConfigError for a value it
 * cannot use.
 */
export function resolveLifecycle(
  flags: LifecycleFlags,
  env: NodeJS.ProcessEnv,
  settings: Record<string, unknown>,
  where: { kubernetes: boolean; environment: string },
): LifecycleConfig {
  const context: Context = { flags, env, settings };
  const keepAliveTimeoutMs = pick(
    context,
    {
      flag: "keepAliveTimeout",
      variable: "FRANK_KEEP_ALIVE_TIMEOUT",
      setting: "keepAliveTimeout",
      parse: parseDuration,
    },
    () => ({
      value: DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
      source: "default (longer than the 60 s idle timeout of nginx and cloud load balancers)",
    }),
  );
  const headersTimeoutMs = pick(
    context,
    { variable: "FRANK_HEADERS_TIMEOUT", setting: "headersTimeout", parse: parseDuration },
    () => ({
      value: keepAliveTimeoutMs.value + 1_000,
      source: "keep-alive timeout + 1 s",
    }),
  );
  const requestTimeout = pick(
    context,
    { variable: "FRANK_REQUEST_TIMEOUT", setting: "requestTimeout", parse: parseDuration },
    () => ({
      value: DEFAULT_REQUEST_TIMEOUT_MS,
      source: "default",
    }),
  );
  // Node refuses a request timeout shorter than the headers timeout (0 turns it off).
  const requestTimeoutMs =
    requestTimeout.value !== 0 && requestTimeout.value < headersTimeoutMs.value
      ? { value: headersTimeoutMs.value, source: `${requestTimeout.source}, raised to the headers timeout` }
      : requestTimeout;

  const livenessPath = pick(
    context,
    { variable: "FRANK_LIVENESS_PATH", setting: "livenessPath", parse: parseProbePath },
    () => ({
      value: DEFAULT_LIVENESS_PATH,
      source: "default",
    }),
  );
  const readinessPath = pick(
    context,
    { variable: "FRANK_READINESS_PATH", setting: "readinessPath", parse: parseProbePath },
    () => ({
      value: DEFAULT_READINESS_PATH,
      source: "default",
    }),
  );
  const metricsPath = pick(
    context,
    { flag: "metrics", variable: "FRANK_METRICS_PATH", setting: "metricsPath", parse: pathParser("/metrics") },
    () => ({ value: DEFAULT_METRICS_PATH, source: "default" }),
  );
  checkDistinctPaths([
    ["liveness probe", livenessPath],
    ["readiness probe", readinessPath],
    ["metrics endpoint", metricsPath],
  ]);

  return {
    shutdownDelayMs: pick(
      context,
      { flag: "shutdownDelay", variable: "FRANK_SHUTDOWN_DELAY", setting: "shutdownDelay", parse: parseDuration },
      () =>
        where.kubernetes
          ? { value: KUBERNETES_SHUTDOWN_DELAY_MS, source: "default in Kubernetes" }
          : { value: 0, source: "default outside Kubernetes" },
    ),
    drainTimeoutMs: pick(
      context,
      { flag: "drainTimeout", variable: "FRANK_DRAIN_TIMEOUT", setting: "drainTimeout", parse: parseDuration },
      () => ({
        value: DEFAULT_DRAIN_TIMEOUT_MS,
        source: "default",
      }),
    ),
    keepAliveTimeoutMs,
    headersTimeoutMs,
    requestTimeoutMs,
    maxHeaderBytes: pick(
      context,
      { variable: "FRANK_MAX_HEADER_SIZE", setting: "maxHeaderSize", parse: parseSize },
      () => ({
        value: DEFAULT_MAX_HEADER_BYTES,
        source: "default",
      }),
    ),
    maxBodyBytes: pick(
      context,
      { flag: "maxBodySize", variable: "FRANK_MAX_BODY_SIZE", setting: "maxBodySize", parse: parseSize },
      () => ({
        value: DEFAULT_MAX_BODY_BYTES,
        source: "default",
      }),
    ),
    livenessPath,
    readinessPath,
    metricsPath,
    accessLog: pick(
      context,
      {
        flag: "accessLog",
        variable: "FRANK_ACCESS_LOG",
        setting: "accessLog",
        parse: accessLogParser(where.environment),
      },
      () => defaultAccessLog(where.environment),
    ),
    logProbes: pick(context, { variable: "FRANK_LOG_PROBES", setting: "logProbes", parse: parseSwitch }, () => ({
      value: false,
      source: "default",
    })),
  };
}

/** The limits every listener gets. */
export function limitsOf(config: LifecycleConfig): ServerLimits {
  return {
    keepAliveTimeoutMs: config.keepAliveTimeoutMs.value,
    headersTimeoutMs: config.headersTimeoutMs.value,
    requestTimeoutMs: config.requestTimeoutMs.value,
    maxHeaderBytes: config.maxHeaderBytes.value,
    maxBodyBytes: config.maxBodyBytes.value,
  };
}
