// A Service's targetPort is where traffic enters the pod. A name no container declares gives
// the Service no endpoints. A number no container declares may still be listened on (a port
// need not be declared to be open), so it is an error only when the container's command or
// image shows it listens elsewhere, and a warning otherwise.
import { describePortReference } from "../json-access.js";
import { type ContainerView, describeDeclaredPorts } from "../pod-templates.js";
import { selectingServices } from "../services.js";
import { type Check, findingAt } from "./check-context.js";

export const checkServiceTargetPorts: Check = ({ services, selectedBy }) =>
  selectingServices(services).flatMap((service) =>
    service.ports.flatMap((servicePort) => {
      const target = servicePort.targetPort;
      // port: PORT (a placeholder for sed) is not a Service kubectl would accept: not judged.
      if (!target || servicePort.port === undefined) return [];
      const targetPath = [...servicePort.path, "targetPort"];
      return selectedBy(service).flatMap((template) => {
        const containers = template.containers;
        const ports = containers.flatMap((container) => container.ports);
        const workload = `${template.owner.ref.kind} ${template.owner.ref.name}${template.owner.file === service.owner.file ? "" : ` (${template.owner.file})`}`;
        const declared = describeDeclaredPorts(ports);
        if ("name" in target) {
          if (ports.some((port) => port.name === target.name)) return [];
          return [
            findingAt(service.owner, targetPath, {
              code: "target-port-name-missing",
              severity: "error",
              problem: `targetPort ${describePortReference(target)} is not the name of any container port of ${workload}${declared ? ` (it declares ${declared})` : ""}`,
              why: "Kubernetes cannot resolve the name, so the Service gets no endpoints and requests fail",
              fix: declared
                ? `use one of the declared ports (${declared}), or name the container port "${target.name}"`
                : `declare the container port with name: ${target.name}`,
            }),
          ];
        }
        const number = target.number;
        if (ports.some((port) => port.containerPort === number)) return [];
        const served = containers.filter((container) => container.served);
        if (served.some((container) => container.listening.mentioned.has(number))) return [];
        const knownElsewhere = served.filter((container) => listensKnownlyElsewhere(container, number));
        const what = servicePort.targetPortDefaulted
          ? `targetPort is left out, so it is port ${number},`
          : `targetPort ${number} is`;
        const suggestion = ports.find((port) => port.name)?.name ?? ports[0]?.containerPort;
        if (knownElsewhere.length > 0 && knownElsewhere.length === served.length) {
          const container = knownElsewhere[0]!;
          return [
            findingAt(service.owner, targetPath, {
              code: "target-port-undeclared",
              severity: "error",
              problem: `${what} not a port ${workload} listens on: container ${container.name} listens on ${container.listening.ports.join(", ")} (${container.listening.how})`,
              why: `the Service sends traffic to port ${number} of the pod, where nothing listens: connections are refused and the Ingress answers Bad Gateway`,
              fix: `set targetPort to ${container.listening.ports[0]}${ports.length > 0 ? ", best by the container port's name" : ""}`,
            }),
          ];
        }
        if (ports.length === 0) return []; // nothing declared, nothing known: no basis to judge
        return [
          findingAt(service.owner, targetPath, {
            code: "target-port-undeclared",
            severity: "warning",
            problem: `${what} not a port ${workload} declares (it declares ${declared})`,
            why: `if nothing listens on ${number} in the pod, connections are refused and the Ingress answers Bad Gateway; an undeclared port may still be open, which the manifest does not show`,
            fix: `set targetPort to the container port, best by its name (e.g. targetPort: ${suggestion}), or declare ${number} if the server listens there`,
          }),
        ];
      });
    }),
  );

/** The container's command or image shows every port it listens on, and `port` is not one. */
export function listensKnownlyElsewhere(container: ContainerView, port: number): boolean {
  return (
    container.listening.exhaustive && container.listening.ports.length > 0 && !container.listening.ports.includes(port)
  );
}
