// Without a readiness probe a pod gets traffic the moment its container starts, before the
// server listens, and keeps getting it while it shuts down: 502s at every rollout. Judged for
// the containers a Service in the input sends traffic to (the one that owns the target port,
// or the only container); without Services in the input, for the containers that declare ports.
import { isObject } from "../json-access.js";
import type { ContainerView, PodTemplateView } from "../pod-templates.js";
import type { ServiceView } from "../services.js";
import { type Check, findingAt } from "./check-context.js";

export const checkReadinessProbe: Check = ({ templates, services, servicesOf }) =>
  templates
    .filter((template) => template.longRunning)
    .flatMap((template) => {
      const selecting = servicesOf(template);
      if (services.length > 0 && selecting.length === 0) return [];
      return template.containers
        .filter((container) => !isObject(container.raw.readinessProbe))
        .filter((container) =>
          services.length === 0 ? container.served : receivesTraffic(template, container, selecting),
        )
        .map((container) =>
          findingAt(template.owner, container.path, {
            code: "readiness-probe-missing",
            severity: "warning",
            problem: `container ${container.name} has no readinessProbe`,
            why: "the pod receives traffic before the server listens and while it shuts down, so each rollout answers some requests with Bad Gateway",
            fix: "add readinessProbe: { httpGet: { path: /readyz, port: http } } (frank answers /readyz)",
          }),
        );
    });

/** The only container, or one that declares a port some Service targets. */
function receivesTraffic(template: PodTemplateView, container: ContainerView, services: readonly ServiceView[]) {
  if (template.containers.length === 1) return true;
  return services.some((service) =>
    service.ports.some((port) => {
      const target = port.targetPort;
      if (!target) return false;
      return container.ports.some((declared) =>
        "name" in target ? declared.name === target.name : declared.containerPort === target.number,
      );
    }),
  );
}
