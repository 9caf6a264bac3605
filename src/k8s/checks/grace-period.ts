// On SIGTERM frank keeps serving for the shutdown delay (readiness already off, so endpoints
// and the Ingress stop sending), then drains in-flight requests. The kubelet kills the
// container when the grace period ends, counted from before the preStop hook. Only frank's
// numbers are known here, so only containers that run frank are judged by them; for any
// other server the preStop check compares what the manifest itself says.
import { parseDuration } from "../../server/lifecycle-config.js";
import type { ContainerView } from "../pod-templates.js";
import { numberAt } from "../json-access.js";
import {
  DRAIN_TIMEOUT_SECONDS,
  KUBERNETES_DEFAULT_GRACE_PERIOD_SECONDS,
  SHUTDOWN_DELAY_SECONDS,
} from "../lifecycle-defaults.js";
import { type Check, findingAt } from "./check-context.js";
import { preStopSleepSeconds } from "./pre-stop.js";

export const checkGracePeriod: Check = ({ templates }) =>
  templates
    .filter((template) => template.longRunning)
    .flatMap((template) => {
      const grace = numberAt(template.spec, "terminationGracePeriodSeconds") ?? KUBERNETES_DEFAULT_GRACE_PERIOD_SECONDS;
      return template.containers.filter(runsFrank).flatMap((container) => {
        const delay = seconds(container, "FRANK_SHUTDOWN_DELAY", SHUTDOWN_DELAY_SECONDS);
        const drain = seconds(container, "FRANK_DRAIN_TIMEOUT", DRAIN_TIMEOUT_SECONDS);
        const preStop = preStopSleepSeconds(container)?.seconds ?? 0;
        const needed = preStop + delay + drain;
        if (grace >= needed) return [];
        const beforeClosing = grace < preStop + delay;
        const parts = `${preStop > 0 ? `the preStop sleep (${preStop} s) plus ` : ""}frank's shutdown delay (${delay} s) plus its drain timeout (${drain} s)`;
        return [
          findingAt(template.owner, [...template.specPath, "terminationGracePeriodSeconds"], {
            code: "grace-period-shorter-than-drain",
            severity: beforeClosing ? "error" : "warning",
            problem: `terminationGracePeriodSeconds is ${grace}, shorter than ${parts} for container ${container.name}`,
            why: beforeClosing
              ? "the kubelet kills frank while it still accepts connections, before endpoints and the Ingress have stopped sending: those requests are refused and answered with Bad Gateway"
              : `the kubelet kills frank mid-drain: requests still running after ${grace - preStop - delay} s of draining are cut, and the Ingress answers them with Bad Gateway`,
            fix: `set terminationGracePeriodSeconds to at least ${needed} (frank k8s writes ${SHUTDOWN_DELAY_SECONDS + DRAIN_TIMEOUT_SECONDS + 5} for the defaults), or lower FRANK_DRAIN_TIMEOUT`,
          }),
        ];
      });
    });

/** frank on its command line, or frank's own variables in its environment. */
export function runsFrank(container: ContainerView): boolean {
  return (
    container.listening.servers.some((server) => server.frank) ||
    [...container.env.keys()].some((name) => name.startsWith("FRANK_"))
  );
}

function seconds(container: ContainerView, variable: string, fallback: number): number {
  const value = container.env.get(variable)?.value;
  if (value === undefined) return fallback;
  try {
    return parseDuration(value, variable) / 1000;
  } catch {
    return fallback; // frank refuses to start with it, which the doctor in the pod reports
  }
}
