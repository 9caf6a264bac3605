import { ConfigError } from "./config-error.js";
import type { SystemProbe } from "./system-probe.js";

export interface ContainerInfo {
  inContainer: boolean;
  kubernetes: boolean;
  /** The evidence, in words: "KUBERNETES_SERVICE_HOST is set", "/.dockerenv exists (Docker)"... */
  reason?: string;
}

export const SERVICE_ACCOUNT_TOKEN = "/var/run/secrets/kubernetes.io/serviceaccount/token";

const CGROUP_RUNTIMES = /\b(kubepods|docker|containerd|libpod|crio|lxc)\b/;

function kubernetesEvidence(env: NodeJS.ProcessEnv, probe: SystemProbe): string | undefined {
  if (env.KUBERNETES_SERVICE_HOST) return "KUBERNETES_SERVICE_HOST is set";
  if (probe.fileExists(SERVICE_ACCOUNT_TOKEN))
    return `a Kubernetes service-account token is mounted (${SERVICE_ACCOUNT_TOKEN})`;
  return undefined;
}

/**
 * Are we in a container, and is it a Kubernetes pod? The first piece of evidence wins;
 * FRANK_CONTAINER=1|0 settles it for machines the checks get wrong.
 */
export function detectContainer(env: NodeJS.ProcessEnv, probe: SystemProbe): ContainerInfo {
  const kubernetes = kubernetesEvidence(env, probe);
  const forced = env.FRANK_CONTAINER;
  if (forced === "1") return { inContainer: true, kubernetes: kubernetes !== undefined, reason: "FRANK_CONTAINER=1" };
  if (forced === "0") return { inContainer: false, kubernetes: false, reason: "FRANK_CONTAINER=0" };
  if (forced) throw new ConfigError(`FRANK_CONTAINER is "${forced}"; it must be 1 (in a container) or 0 (not in one)`);

  if (kubernetes) return { inContainer: true, kubernetes: true, reason: kubernetes };
  if (probe.fileExists("/.dockerenv"))
    return { inContainer: true, kubernetes: false, reason: "/.dockerenv exists (Docker)" };
  if (probe.fileExists("/run/.containerenv"))
    return { inContainer: true, kubernetes: false, reason: "/run/.containerenv exists (Podman)" };
  const runtime = CGROUP_RUNTIMES.exec(probe.readFile("/proc/1/cgroup") ?? "")?.[1];
  if (runtime)
    return { inContainer: true, kubernetes: runtime === "kubepods", reason: `/proc/1/cgroup mentions ${runtime}` };
  return { inContainer: false, kubernetes: false };
}
