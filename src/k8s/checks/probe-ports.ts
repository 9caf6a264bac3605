// Probes go to the container's own ports. A name the container does not declare never
// resolves; a number it does not declare is usually an old port nothing listens on. Either
// way readiness never passes (no endpoints) or liveness restarts the pod over and over.
import { describePortReference, objectAt, portReferenceAt } from "../json-access.js";
import { type Check, findingAt } from "./check-context.js";

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
          const declared = container.ports
            .map((declaredPort) =>
              declaredPort.name
                ? `${declaredPort.name} (${declaredPort.containerPort})`
                : String(declaredPort.containerPort),
            )
            .join(", ");
          const consequence =
            probe === "livenessProbe"
              ? "the kubelet restarts the container again and again, and requests to it fail"
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
          if (
            container.ports.length === 0 ||
            container.ports.some((declaredPort) => declaredPort.containerPort === port.number)
          ) {
            return [];
          }
          return [
            findingAt(template.owner, path, {
              code: "probe-port-undeclared",
              severity: "error",
              problem: `${probe} port ${port.number} is not a port container ${container.name} declares (it declares ${declared})`,
              why: `if nothing listens on ${port.number} the probe fails: ${consequence}`,
              fix: `probe the declared port by name (e.g. port: ${container.ports.find((p) => p.name)?.name ?? container.ports[0]!.containerPort}), or declare ${port.number}`,
            }),
          ];
        }),
      ),
    ),
  );
