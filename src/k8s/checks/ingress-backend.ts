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
import { nearest, sameFolder } from "../scope.js";
import type { ServiceView } from "../services.js";
import { type Check, findingAt } from "./check-context.js";

interface Backend {
  serviceName: string;
  port?: PortReference;
  path: FieldPath;
  /** Field path of the port, to point the finding at it. */
  portPath: FieldPath;
}

export const checkIngressBackends: Check = ({ objects, services }) => {
  if (services.length === 0) return []; // the Services live elsewhere: nothing to compare with
  return objects
    .filter((object) => object.ref.kind === "Ingress")
    .flatMap((ingress) =>
      backendsOf(ingress.object).flatMap((backend) => {
        const candidates = nearest(
          services.filter(
            (candidate) =>
              candidate.owner.ref.namespace === ingress.ref.namespace &&
              candidate.owner.ref.name === backend.serviceName,
          ),
          (candidate) => candidate.owner.file,
          ingress.file,
        );
        if (candidates.length === 0) return missingService(ingress, backend, services);
        const port = backend.port;
        if (!port) return [];
        // A Service without ports is a partial object (a patch): nothing to compare with.
        const judged = candidates.filter((service) => service.type !== "ExternalName" && service.ports.length > 0);
        if (judged.length === 0 || judged.length < candidates.length) return [];
        if (judged.some((service) => portExists(service, port))) return [];
        return [missingPort(ingress, backend, port, judged[0]!)];
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

/**
 * A backend Service that is not in the input. An error when the input is known to hold every
 * Service (read from the cluster) or when a Service beside the Ingress in its file has nearly
 * that name; a warning when its folder holds other Services; otherwise it is elsewhere.
 */
function missingService(ingress: ManifestObject, backend: Backend, services: readonly ServiceView[]) {
  const namespace = ingress.ref.namespace;
  const inFile = services.filter((service) => service.owner.file === ingress.file);
  const lookalike = inFile.find((service) => isLookalike(service.owner.ref.name, backend.serviceName));
  const otherNamespace = inFile.find(
    (service) => service.owner.ref.name === backend.serviceName && service.owner.ref.namespace !== namespace,
  );
  const live =
    ingress.live && services.some((service) => service.owner.live && service.owner.ref.namespace === namespace);
  const neighbours = services.filter(
    (service) => sameFolder(service.owner.file, ingress.file) && service.owner.ref.namespace === namespace,
  );
  const why = "the Ingress controller has no upstream for this path and answers 503 or Bad Gateway";
  if (otherNamespace) {
    return [
      findingAt(ingress, backend.path, {
        code: "ingress-service-missing",
        severity: "error",
        problem: `backend Service "${backend.serviceName}" is in namespace ${otherNamespace.owner.ref.namespace}, not in the Ingress's namespace ${namespace}`,
        why: `an Ingress only reaches Services in its own namespace: ${why}`,
        fix: `put the Ingress and the Service in one namespace`,
      }),
    ];
  }
  if (lookalike || live) {
    return [
      findingAt(ingress, backend.path, {
        code: "ingress-service-missing",
        severity: "error",
        problem: `backend Service "${backend.serviceName}" does not exist in namespace ${namespace}${live ? " (read from the cluster)" : ""}`,
        why,
        fix: lookalike
          ? `name the Service that exists: ${lookalike.owner.ref.name}`
          : `create Service "${backend.serviceName}" in namespace ${namespace}, or name an existing one`,
      }),
    ];
  }
  if (neighbours.length === 0) return [];
  return [
    findingAt(ingress, backend.path, {
      code: "ingress-service-missing",
      severity: "warning",
      problem: `backend Service "${backend.serviceName}" is not in the input (namespace ${namespace} has ${neighbours
        .slice(0, 5)
        .map((service) => service.owner.ref.name)
        .join(", ")} here)`,
      why: `if it does not exist in the cluster either, ${why}`,
      fix: `check with: kubectl get service -n ${namespace} ${backend.serviceName}; or check this folder together with the Service's`,
    }),
  ];
}

/** Names one typo apart, or one inside the other (shop and shop-svc). */
function isLookalike(existing: string, wanted: string): boolean {
  if (existing === wanted) return false;
  if (existing.includes(wanted) || wanted.includes(existing)) return true;
  if (Math.abs(existing.length - wanted.length) > 2) return false;
  let differences = 0;
  for (let index = 0; index < Math.max(existing.length, wanted.length); index++) {
    if (existing[index] !== wanted[index]) differences++;
  }
  return differences <= 2;
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
      `backend port ${describePortReference(port)} is not a port of Service ${service.owner.ref.name}${service.owner.file === ingress.file ? "" : ` (${service.owner.file})`} (it has ${available})` +
      (isTargetPort ? `; ${describePortReference(port)} is the pod's port (targetPort), not the Service's` : ""),
    why: "the Ingress controller cannot map the backend to Service endpoints and answers 503 or Bad Gateway",
    fix: `use one of the Service's ports, best by name (${available})`,
  });
}
