// An Ingress backend names a Service and one of the Service's own ports (not the pod's).
// A Service or port that does not exist leaves the Ingress controller nowhere to send traffic.
import {
  type FieldPath,
  type JsonObject,
  type PortReference,
  arrayAt,
  describePortReference,
  isObject,
  objectAt,
  portReferenceAt,
  stringAt,
} from "../json-access.js";
import type { ManifestObject } from "../manifest-object.js";
import { type ServiceView, servicesOf } from "../services.js";
import { type Check, findingAt } from "./check-context.js";

interface Backend {
  serviceName: string;
  port?: PortReference;
  path: FieldPath;
  /** Field path of the port, to point the finding at it. */
  portPath: FieldPath;
}

export const checkIngressBackends: Check = ({ objects, kinds }) => {
  if (!kinds.has("Service")) return []; // the Services live elsewhere: nothing to compare with
  const services = servicesOf(objects);
  return objects
    .filter((object) => object.ref.kind === "Ingress")
    .flatMap((ingress) =>
      backendsOf(ingress.object).flatMap((backend) => {
        const service = services.find(
          (candidate) =>
            candidate.owner.ref.namespace === ingress.ref.namespace && candidate.owner.ref.name === backend.serviceName,
        );
        if (!service) return [missingService(ingress, backend, services)];
        if (!backend.port || service.type === "ExternalName" || portExists(service, backend.port)) return [];
        return [missingPort(ingress, backend, backend.port, service)];
      }),
    );
};

/** networking.k8s.io/v1 backends, and the serviceName/servicePort form of v1beta1 and extensions. */
function backendsOf(ingress: JsonObject): Backend[] {
  const spec = objectAt(ingress, "spec");
  const found: Backend[] = [];
  const add = (backend: unknown, path: FieldPath) => {
    const service = objectAt(backend, "service");
    if (service) {
      const name = stringAt(service, "name");
      const port = objectAt(service, "port");
      const reference: PortReference | undefined =
        portReferenceAt(port, "number") ?? (stringAt(port, "name") ? { name: stringAt(port, "name")! } : undefined);
      if (name) found.push({ serviceName: name, port: reference, path, portPath: [...path, "service", "port"] });
      return;
    }
    const legacyName = stringAt(backend, "serviceName");
    if (legacyName) {
      found.push({
        serviceName: legacyName,
        port: portReferenceAt(backend, "servicePort"),
        path,
        portPath: [...path, "servicePort"],
      });
    }
  };
  for (const key of ["defaultBackend", "backend"]) {
    if (isObject(spec?.[key])) add(spec![key], ["spec", key]);
  }
  arrayAt(spec, "rules").forEach((rule, ruleIndex) => {
    arrayAt(objectAt(rule, "http"), "paths").forEach((path, pathIndex) => {
      add(objectAt(path, "backend"), ["spec", "rules", ruleIndex, "http", "paths", pathIndex, "backend"]);
    });
  });
  return found;
}

function portExists(service: ServiceView, port: PortReference): boolean {
  return service.ports.some((servicePort) =>
    "number" in port ? servicePort.port === port.number : servicePort.name === port.name,
  );
}

function missingService(ingress: ManifestObject, backend: Backend, services: ServiceView[]) {
  const inNamespace = services.filter((service) => service.owner.ref.namespace === ingress.ref.namespace);
  return findingAt(ingress, backend.path, {
    code: "ingress-service-missing",
    severity: "error",
    problem: `backend Service "${backend.serviceName}" does not exist in namespace ${ingress.ref.namespace}`,
    why: "the Ingress controller has no upstream for this path and answers 503 or Bad Gateway",
    fix:
      inNamespace.length > 0
        ? `name an existing Service (${inNamespace.map((service) => service.owner.ref.name).join(", ")}); an Ingress only reaches Services in its own namespace`
        : `create Service "${backend.serviceName}" in namespace ${ingress.ref.namespace}`,
  });
}

function missingPort(ingress: ManifestObject, backend: Backend, port: PortReference, service: ServiceView) {
  const available = service.ports
    .map((servicePort) => (servicePort.name ? `${servicePort.name} (${servicePort.port})` : String(servicePort.port)))
    .join(", ");
  const isTargetPort =
    "number" in port &&
    service.ports.some(
      (servicePort) =>
        servicePort.targetPort && "number" in servicePort.targetPort && servicePort.targetPort.number === port.number,
    );
  return findingAt(ingress, backend.portPath, {
    code: "ingress-service-port-missing",
    severity: "error",
    problem:
      `backend port ${describePortReference(port)} is not a port of Service ${service.owner.ref.name} (it has ${available})` +
      (isTargetPort ? `; ${describePortReference(port)} is the pod's port (targetPort), not the Service's` : ""),
    why: "the Ingress controller cannot map the backend to Service endpoints and answers 503 or Bad Gateway",
    fix: `use one of the Service's ports, best by name (${available})`,
  });
}
