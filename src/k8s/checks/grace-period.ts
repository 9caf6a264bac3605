// On SIGTERM frank keeps serving for the shutdown delay, then drains in-flight requests. The
// kubelet kills the container when the grace period ends, cutting whatever is still running.
import { numberAt } from "../json-access.js";
import {
  DRAIN_TIMEOUT_SECONDS,
  KUBERNETES_DEFAULT_GRACE_PERIOD_SECONDS,
  MINIMUM_GRACE_PERIOD_SECONDS,
  SHUTDOWN_DELAY_SECONDS,
} from "../lifecycle-defaults.js";
import { type Check, findingAt } from "./check-context.js";

export const checkGracePeriod: Check = ({ templates }) =>
  templates
    .filter((template) => template.longRunning)
    .flatMap((template) => {
      const grace = numberAt(template.spec, "terminationGracePeriodSeconds") ?? KUBERNETES_DEFAULT_GRACE_PERIOD_SECONDS;
      if (grace >= MINIMUM_GRACE_PERIOD_SECONDS) return [];
      return [
        findingAt(template.owner, [...template.specPath, "terminationGracePeriodSeconds"], {
          code: "grace-period-shorter-than-drain",
          severity: "error",
          problem: `terminationGracePeriodSeconds is ${grace}, shorter than the shutdown delay (${SHUTDOWN_DELAY_SECONDS} s) plus the drain timeout (${DRAIN_TIMEOUT_SECONDS} s)`,
          why: "the kubelet kills the container before in-flight requests finish, and the Ingress answers them with Bad Gateway at every rollout",
          fix: `set terminationGracePeriodSeconds to at least ${MINIMUM_GRACE_PERIOD_SECONDS} (frank k8s writes ${MINIMUM_GRACE_PERIOD_SECONDS + 5})`,
        }),
      ];
    });
