// Without a readiness probe a pod gets traffic the moment its container starts, before the
// server listens, and keeps getting it while it shuts down: 502s at every rollout. Judged for
// the containers a Service in the input sends traffic to (the one that owns the target port,
// or the only container); without Services in the input, for the containers that declare ports.
// A container that only sleeps (a client kept around for `kubectl exec`) serves nothing.
import { isObject } from "../json-access.js";
import { runsNoServer } from "../image-defaults.js";
import type { ContainerView, PodTemplateView } from "../pod-templates.js";
import type { ServiceView } from "../services.js";
import { type Check, findingAt } from "./check-context.js";

export const checkReadinessProbe: Check = ({ templates, services, servicesOf }) =>
  templates
    .filter((template) => template.longRunning)
    .flatMap((template) => {
      const selecting = servicesOf(template).filter(carriesTraffic);
      if (services.length > 0 && selecting.length === 0) return [];
      return template.containers
        .filter((container) => !isObject(container.raw.readinessProbe) && !runsNoServer(container))
        .filter((container) =>
          services.length === 0 ? container.ports.length > 0 : receivesTraffic(template, container, selecting),
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

/** A Service with ports that lead somewhere: not kompose's DNS-only placeholder (targetPort 0), nor one without ports. */
function carriesTraffic(service: ServiceView): boolean {
  return service.ports.some(
    (port) => !(port.targetPort && "number" in port.targetPort && port.targetPort.number === 0),
  );
}

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
