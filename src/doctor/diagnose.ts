// `frank doctor` in a pod or on a laptop: how frank would configure itself here, what
// listens, whether the port is reachable the way a Service reaches it, and what that means.
import type { NetworkInterfaceInfo } from "node:os";
import { ConfigError, type ConfigInputs, type ServerConfig, resolveServerConfig } from "../server/config.js";
import type { DoctorFinding } from "./doctor-finding.js";
import { environmentTraps } from "./environment-traps.js";
import { listenerVerdict } from "./listener-verdict.js";
import { type Listener, listListeners } from "./listeners.js";
import { type Reachability, nonLoopbackAddresses, probeReachability } from "./reachability.js";

export interface DiagnoseOptions {
  /** The flags `frank serve` would get (--env, --port, --host). */
  flags?: ConfigInputs["flags"];
  env?: NodeJS.ProcessEnv;
  procRoot?: string;
  interfaces?: NodeJS.Dict<NetworkInterfaceInfo[]>;
  connectTimeoutMs?: number;
}

export interface DoctorReport {
  config?: ServerConfig;
  configError?: string;
  /** The port checked; undefined when the configuration names none frank could use. */
  port?: number;
  listeners: Listener[];
  reachability: Reachability[];
  findings: DoctorFinding[];
  verdict: string;
  /** False when a finding would make a Service or Ingress answer Bad Gateway. */
  ok: boolean;
}

export async function diagnose(options: DiagnoseOptions = {}): Promise<DoctorReport> {
  const env = options.env ?? process.env;
  let config: ServerConfig | undefined;
  let configError: string | undefined;
  try {
    config = resolveServerConfig({ flags: options.flags, env });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    configError = error.message;
  }

  const listeners = listListeners(options.procRoot);
  const port = config?.port.value;
  const reachability =
    port === undefined
      ? []
      : await probeReachability(nonLoopbackAddresses(options.interfaces), port, options.connectTimeoutMs);
  const listening = port === undefined ? undefined : listenerVerdict(port, listeners, reachability);
  const findings = [...(listening?.findings ?? []), ...environmentTraps(env, config, configError)].sort((a, b) =>
    a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1,
  );
  const errors = findings.filter((finding) => finding.severity === "error");
  const verdict =
    errors.length > 0
      ? errors[0]!.summary +
        (errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? "s" : ""} above)` : "")
      : `${listening?.sentence ?? "no port to check"}${findings.length > 0 ? ` (${findings.length} warning${findings.length > 1 ? "s" : ""})` : ""}`;
  return { config, configError, port, listeners, reachability, findings, verdict, ok: errors.length === 0 };
}
