// Without a readiness probe a pod gets traffic the moment its container starts, before the
// server listens, and keeps getting it while it shuts down: 502s at every rollout.
import { isObject } from "../json-access.js";
import { type Check, findingAt } from "./check-context.js";

export const checkReadinessProbe: Check = ({ templates }) =>
  templates
    .filter((template) => template.longRunning)
    .flatMap((template) =>
      template.containers
        .filter((container) => container.served && !isObject(container.raw.readinessProbe))
        .map((container) =>
          findingAt(template.owner, container.path, {
            code: "readiness-probe-missing",
            severity: "warning",
            problem: `container ${container.name} has no readinessProbe`,
            why: "the pod receives traffic before the server listens and while it shuts down, so each rollout answers some requests with Bad Gateway",
            fix: "add readinessProbe: { httpGet: { path: /readyz, port: http } } (frank answers /readyz)",
          }),
        ),
    );
