// Probes go to the container's own ports. A name the container does not declare never
// resolves, so the probe always fails. A number it does not declare may still be listened on
// (health ports often are not declared): an error only when the command or image shows the
// server listens elsewhere, a warning when the number appears nowhere in the container.
import { describePortReference, objectAt, portReferenceAt } from "../json-access.js";
import { describeDeclaredPorts } from "../pod-templates.js";
import { type Check, findingAt } from "./check-context.js";
import { listensKnownlyElsewhere } from "./service-target-port.js";

const PROBES = ["readinessProbe", "livenessProbe", "startupProbe"] as const;
const HANDLERS = ["httpGet", "tcpSocket", "grpc"] as const;

export const checkProbePorts: Check = ({ templates }) =>
  templates.flatMap((template) =>
    template.containers.flatMap((container) =>
      PROBES.flatMap((probe) =>
        HANDLERS.flatMap((handler) => {
          const port = portReferenceAt(objectAt(objectAt(container.raw, probe), handler), "port");
          if (!port) return [];
          const path = [...container.path, probe, handler, "port"];
          const declared = describeDeclaredPorts(container.ports);
          const consequence =
            probe === "livenessProbe"
              ? "the kubelet restarts the container again and again, and requests to it fail"
              : probe === "startupProbe"
                ? "the container never counts as started and is restarted"
                : "the pod never becomes ready, so the Service has no endpoints for it";
          if ("name" in port) {
            if (container.ports.some((declaredPort) => declaredPort.name === port.name)) return [];
            return [
              findingAt(template.owner, path, {
                code: "probe-port-name-missing",
                severity: "error",
                problem: `${probe} port ${describePortReference(port)} is not a port name of container ${container.name}`,
                why: `a probe port name must be one of the container's own ports, so the probe always fails: ${consequence}`,
                fix: declared ? `use a declared port (${declared})` : `declare the port with name: ${port.name}`,
              }),
            ];
          }
          const number = port.number;
          if (container.ports.some((declaredPort) => declaredPort.containerPort === number)) return [];
          if (container.listening.mentioned.has(number)) return [];
          if (listensKnownlyElsewhere(container, number)) {
            return [
              findingAt(template.owner, path, {
                code: "probe-port-undeclared",
                severity: "error",
                problem: `${probe} port ${number} is not a port container ${container.name} listens on: it listens on ${container.listening.ports.join(", ")} (${container.listening.how})`,
                why: `nothing listens on ${number}, so the probe fails: ${consequence}`,
                fix: `probe port ${container.listening.ports[0]}`,
              }),
            ];
          }
          if (container.ports.length === 0) return [];
          return [
            findingAt(template.owner, path, {
              code: "probe-port-undeclared",
              severity: "warning",
              problem: `${probe} port ${number} is not a port container ${container.name} declares (it declares ${declared})`,
              why: `if nothing listens on ${number} the probe fails: ${consequence}; an undeclared port may still be open, which the manifest does not show`,
              fix: `probe a declared port by name (e.g. port: ${container.ports.find((p) => p.name)?.name ?? container.ports[0]!.containerPort}), or declare ${number} if the server listens there`,
            }),
          ];
        }),
      ),
    ),
  );
