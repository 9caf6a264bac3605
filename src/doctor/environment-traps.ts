// Environment variables that quietly break a pod: what the launcher warns about at start,
// found here before (or without) starting it.
import { disagreeingEnvironmentVariables, type ServerConfig } from "../server/config.js";
import type { DoctorFinding } from "./doctor-finding.js";

/**
 * `config` is undefined when the resolution failed with `configError` (frank would not start).
 */
export function environmentTraps(
  env: NodeJS.ProcessEnv,
  config: ServerConfig | undefined,
  configError: string | undefined,
): DoctorFinding[] {
  const traps: DoctorFinding[] = [];
  if (configError) {
    const serviceLink = /^[a-z]+:\/\//i.test(env.PORT ?? "");
    traps.push({
      code: serviceLink ? "port-is-service-link" : "config-error",
      severity: "error",
      summary: `frank would not start: ${configError}`,
      fix: serviceLink
        ? "set enableServiceLinks: false in the pod spec and PORT to a number (e.g. 8080)"
        : "correct the setting named above",
    });
  }
  if (!config) return traps;
  if (config.host.kind === "loopback" && config.container.inContainer) {
    traps.push({
      code: "host-loopback-in-container",
      severity: "error",
      summary: `host resolves to ${config.host.bindAddresses.join(" and ")} (loopback, from ${config.host.source}) inside a container (${config.container.reason}): nothing outside the container can connect`,
      fix: config.host.source === "HOST" ? "unset HOST, or set HOST=::" : "start with --host :: (all interfaces)",
    });
  }
  if (config.environment.value === "development" && config.container.kubernetes) {
    traps.push({
      code: "development-in-kubernetes",
      severity: "warning",
      summary: `environment is development (from ${config.environment.source}) inside Kubernetes: detailed error pages are shown to anyone who reaches the pod`,
      fix: "set APP_ENV=production in the Deployment",
    });
  }
  const disagreeing = disagreeingEnvironmentVariables(env);
  if (disagreeing) {
    const set = disagreeing.map(({ name, value }) => `${name}=${value}`);
    traps.push({
      code: "environments-disagree",
      severity: "warning",
      summary: `${set.join(", ")} disagree; frank runs as ${config.environment.value} (from ${config.environment.source}), but libraries reading the others may not`,
      fix: "set them alike, or keep only APP_ENV",
    });
  }
  return traps;
}
