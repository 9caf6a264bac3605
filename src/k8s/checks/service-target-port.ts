// The Service forwards to targetPort in the pod. A name no container port has gives the
// Service no endpoints; a number no container declares usually means nothing listens there.
import { describePortReference } from "../json-access.js";
import { labelsSelect } from "../pod-templates.js";
import { selectingServices } from "../services.js";
import { type Check, findingAt } from "./check-context.js";

export const checkServiceTargetPorts: Check = ({ objects, templates }) =>
  selectingServices(objects).flatMap((service) => {
    const selected = templates.filter(
      (template) =>
        template.owner.ref.namespace === service.owner.ref.namespace && labelsSelect(service.selector, template.labels),
    );
    return service.ports.flatMap((servicePort) => {
      const target = servicePort.targetPort;
      if (!target) return [];
      const targetPath = [...servicePort.path, "targetPort"];
      return selected.flatMap((template) => {
        const ports = template.containers.flatMap((container) => container.ports);
        const workload = `${template.owner.ref.kind} ${template.owner.ref.name}`;
        const declared = ports
          .map((port) => (port.name ? `${port.name} (${port.containerPort})` : String(port.containerPort)))
          .join(", ");
        if ("name" in target) {
          if (ports.some((port) => port.name === target.name)) return [];
          return [
            findingAt(service.owner, targetPath, {
              code: "target-port-name-missing",
              severity: "error",
              problem: `targetPort ${describePortReference(target)} is not the name of any container port of ${workload}`,
              why: "Kubernetes cannot resolve the name, so the Service gets no endpoints and requests fail",
              fix:
                ports.length > 0
                  ? `use one of the declared ports (${declared}), or name the container port "${target.name}"`
                  : `declare the container port with name: ${target.name}`,
            }),
          ];
        }
        // A container that declares no ports may still listen anywhere: only a declared set can disagree.
        if (ports.length === 0 || ports.some((port) => port.containerPort === target.number)) return [];
        return [
          findingAt(service.owner, targetPath, {
            code: "target-port-undeclared",
            severity: "error",
            problem:
              (servicePort.targetPortDefaulted
                ? `targetPort is left out, so it is port ${target.number},`
                : `targetPort ${target.number} is`) + ` not a port ${workload} declares (it declares ${declared})`,
            why: `the Service sends traffic to port ${target.number} of the pod, where nothing is declared to listen: connections are refused and the Ingress answers Bad Gateway`,
            fix: `set targetPort to the container port, best by its name (e.g. targetPort: ${ports.find((port) => port.name)?.name ?? ports[0]!.containerPort})`,
          }),
        ];
      });
    });
  });
