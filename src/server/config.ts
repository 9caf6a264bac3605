import { isIP } from "node:net";
import { DEFAULT_ENVIRONMENT, disagreeingEnvironmentVariables, environmentVariable } from "../http/environment.js";
import { ConfigError } from "./config-error.js";
import { detectContainer, type ContainerInfo } from "./container.js";
import { resolveLifecycle, type LifecycleConfig, type LifecycleFlags } from "./lifecycle-config.js";
import { systemProbe, type SystemProbe } from "./system-probe.js";

export { ConfigError } from "./config-error.js";
export type { ContainerInfo } from "./container.js";
export type { SystemProbe } from "./system-probe.js";
export type { LifecycleConfig, LifecycleFlags, AccessLogFormat } from "./lifecycle-config.js";

/**
 * A value and where it came from, in plain words: "--port", "PORT", "app setting port",
 * "default", "KUBERNETES_SERVICE_HOST is set", "development outside a container"...
 */
export interface Sourced<T> {
  value: T;
  source: string;
}

export type HostKind = "all" | "loopback" | "specific";

export interface ServerConfig {
  environment: Sourced<string>;
  port: Sourced<number>;
  /** `bindAddresses`: ["::"] | ["0.0.0.0"] | ["127.0.0.1", "::1"] | [host] — one listener each. */
  host: Sourced<string> & { kind: HostKind; bindAddresses: string[] };
  workers: Sourced<number>;
  container: ContainerInfo;
  /** Shutdown, keep-alive, timeouts, limits, probes, access log: docs/architecture.md, "Lifecycle in production". */
  lifecycle: LifecycleConfig;
  warnings: string[];
}

export interface ConfigInputs {
  flags?: { env?: string; port?: string | number; host?: string; workers?: string | number } & LifecycleFlags;
  /** Default: process.env. */
  env?: NodeJS.ProcessEnv;
  /** The app's own settings (Sinatra's `set :port` / `set :bind`), when it has any. */
  appSettings?: { port?: unknown; bind?: unknown; [name: string]: unknown };
  probe?: Partial<SystemProbe>;
}

export const DEFAULT_PORT = 4567;
export { DEFAULT_ENVIRONMENT, disagreeingEnvironmentVariables };

/** A value counts as given when it is present and not blank. */
function given(value: unknown): value is string | number {
  return value !== undefined && value !== null && String(value).trim() !== "";
}

function resolveEnvironment(flag: string | undefined, env: NodeJS.ProcessEnv): Sourced<string> {
  if (given(flag)) return { value: flag.trim(), source: "--env" };
  const variable = environmentVariable(env);
  return variable
    ? { value: variable.value, source: variable.name }
    : { value: DEFAULT_ENVIRONMENT, source: "default" };
}

function disagreeingEnvironments(env: NodeJS.ProcessEnv, environment: Sourced<string>): string | undefined {
  const set = disagreeingEnvironmentVariables(env);
  if (!set) return undefined;
  const listed = set.map((v) => `${v.name}=${v.value}`).join(", ");
  return `${listed} disagree; frank runs as ${environment.value} (from ${environment.source}) and exports APP_ENV=${environment.value} to the app. Set one of them, or set them alike.`;
}

function parsePort(raw: string | number, source: string): number {
  const text = String(raw).trim();
  if (/^\d{1,5}$/.test(text) && Number(text) <= 65535) return Number(text);
  if (source === "PORT" && /^[a-z]+:\/\//i.test(text)) {
    throw new ConfigError(
      `PORT is "${text}", not a port number: that is a Kubernetes service link (a Service's address, which Kubernetes puts in <NAME>_PORT variables). ` +
        `Set enableServiceLinks: false in the pod spec, or set PORT to a number such as 8080.`,
    );
  }
  throw new ConfigError(`${source} is "${text}", which is not a port number (0 to 65535)`);
}

function resolvePort(flag: string | number | undefined, env: NodeJS.ProcessEnv, setting: unknown): Sourced<number> {
  if (given(flag)) return { value: parsePort(flag, "--port"), source: "--port" };
  if (given(env.PORT)) return { value: parsePort(env.PORT, "PORT"), source: "PORT" };
  if (given(setting)) {
    if (typeof setting !== "number" && typeof setting !== "string")
      throw new ConfigError(`app setting port is ${typeof setting}, not a port number`);
    return { value: parsePort(setting, "app setting port"), source: "app setting port" };
  }
  return { value: DEFAULT_PORT, source: "default" };
}

function isLoopbackAddress(address: string): boolean {
  return address === "::1" || (isIP(address) === 4 && address.startsWith("127."));
}

/** What a host string means for binding. */
function classifyHost(raw: string, source: string, hasIPv6: boolean): ServerConfig["host"] {
  const text = raw.trim().replace(/^\[(.*)\]$/, "$1");
  const lower = text.toLowerCase();
  if (lower === "localhost" || lower === "loopback") {
    return {
      value: "localhost",
      source,
      kind: "loopback",
      bindAddresses: hasIPv6 ? ["127.0.0.1", "::1"] : ["127.0.0.1"],
    };
  }
  if (lower === "*" || lower === "all") return allInterfaces(source, hasIPv6);
  if (text === "::" || text === "0.0.0.0") return { value: text, source, kind: "all", bindAddresses: [text] };
  if (isIP(text))
    return { value: text, source, kind: isLoopbackAddress(text) ? "loopback" : "specific", bindAddresses: [text] };
  if (/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(text))
    return { value: text, source, kind: "specific", bindAddresses: [text] };
  throw new ConfigError(
    `${source} is "${raw}", which is not an address or host name (try ::, 0.0.0.0, localhost or an interface address)`,
  );
}

function allInterfaces(source: string, hasIPv6: boolean): ServerConfig["host"] {
  const address = hasIPv6 ? "::" : "0.0.0.0";
  return { value: address, source, kind: "all", bindAddresses: [address] };
}

function resolveHost(
  flag: string | undefined,
  env: NodeJS.ProcessEnv,
  setting: unknown,
  container: ContainerInfo,
  environment: string,
  hasIPv6: boolean,
): ServerConfig["host"] {
  if (given(flag)) return classifyHost(flag, "--host", hasIPv6);
  if (given(env.HOST)) return classifyHost(env.HOST, "HOST", hasIPv6);
  if (given(setting)) {
    if (typeof setting !== "string") throw new ConfigError(`app setting bind is ${typeof setting}, not a host`);
    return classifyHost(setting, "app setting bind", hasIPv6);
  }
  if (container.inContainer) return allInterfaces(container.reason ?? "in a container", hasIPv6);
  if (environment === "development") {
    return {
      value: "localhost",
      source: "development outside a container",
      kind: "loopback",
      bindAddresses: hasIPv6 ? ["127.0.0.1", "::1"] : ["127.0.0.1"],
    };
  }
  return allInterfaces(`environment is ${environment}`, hasIPv6);
}

function resolveWorkers(flag: string | number | undefined, cpuCount: () => number): Sourced<number> {
  if (!given(flag)) return { value: 1, source: "default" };
  const text = String(flag).trim();
  if (!/^\d+$/.test(text))
    throw new ConfigError(`--workers is "${text}", which is not a number of processes (0 means one per CPU core)`);
  const count = Number(text);
  if (count === 0) return { value: cpuCount(), source: "--workers 0 (one per CPU core)" };
  return { value: count, source: "--workers" };
}

/** How to move the host off loopback, for whichever setting put it there. */
function loopbackFix(source: string): string {
  switch (source) {
    case "--host":
      return "drop --host or use --host :: (all interfaces)";
    case "HOST":
      return "unset HOST or set HOST=:: (all interfaces)";
    case "app setting bind":
      return `remove set("bind", ...) from the app or set it to "::" (all interfaces)`;
    default:
      return "start frank with --host :: (all interfaces)";
  }
}

function warningsFor(config: Omit<ServerConfig, "warnings">, env: NodeJS.ProcessEnv): string[] {
  const warnings: string[] = [];
  const { host, container, environment } = config;
  if (host.kind === "loopback" && container.inContainer) {
    warnings.push(
      `listening on loopback only (${host.bindAddresses.join(", ")}, from ${host.source}) inside a container (${container.reason}): ` +
        `nothing outside the container can connect, so a Service or Ingress answers 502 Bad Gateway. Fix: ${loopbackFix(host.source)}.`,
    );
  }
  if (environment.value === "development" && container.kubernetes) {
    warnings.push(
      `environment is development (from ${environment.source}) inside Kubernetes: detailed error pages with source code are shown to anyone who reaches the pod. ` +
        `Set APP_ENV=production in the Deployment.`,
    );
  }
  const disagreement = disagreeingEnvironments(env, environment);
  if (disagreement) warnings.push(disagreement);
  return warnings;
}

/**
 * The one resolution of environment, port, host, workers and the lifecycle settings, used by `frank serve`,
 * `serve()` in code, `frank config` and `frank doctor` (docs/architecture.md, "Rules the launcher keeps").
 * Throws ConfigError for a value it cannot use.
 */
export function resolveServerConfig(inputs: ConfigInputs = {}): ServerConfig {
  const env = inputs.env ?? process.env;
  const probe: SystemProbe = { ...systemProbe, ...inputs.probe };
  const flags = inputs.flags ?? {};

  const environment = resolveEnvironment(flags.env, env);
  const port = resolvePort(flags.port, env, inputs.appSettings?.port);
  const container = detectContainer(env, probe);
  const host = resolveHost(flags.host, env, inputs.appSettings?.bind, container, environment.value, probe.hasIPv6());
  const workers = resolveWorkers(flags.workers, () => probe.cpuCount());
  const lifecycle = resolveLifecycle(flags, env, inputs.appSettings ?? {}, {
    kubernetes: container.kubernetes,
    environment: environment.value,
  });
  const resolved = { environment, port, host, workers, container, lifecycle };
  return { ...resolved, warnings: warningsFor(resolved, env) };
}
