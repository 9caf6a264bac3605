import {
  type FieldPath,
  type PortReference,
  arrayAt,
  isObject,
  numberAt,
  objectAt,
  portReferenceAt,
  stringAt,
  stringMapAt,
} from "./json-access.js";
import type { ManifestObject } from "./manifest-object.js";

export interface ServicePort {
  name?: string;
  port?: number;
  /** Where traffic goes in the pod; Kubernetes uses `port` when targetPort is left out. */
  targetPort?: PortReference;
  /** True when targetPort was left out and Kubernetes uses `port`. */
  targetPortDefaulted: boolean;
  path: FieldPath;
}

export interface ServiceView {
  owner: ManifestObject;
  type: string;
  selector: Record<string, string>;
  ports: ServicePort[];
}

export function servicesOf(objects: readonly ManifestObject[]): ServiceView[] {
  return objects
    .filter((object) => object.ref.kind === "Service")
    .map((owner) => {
      const spec = objectAt(owner.object, "spec");
      return {
        owner,
        type: stringAt(spec, "type") ?? "ClusterIP",
        selector: stringMapAt(spec, "selector"),
        ports: arrayAt(spec, "ports").flatMap((port, index) => {
          if (!isObject(port)) return [];
          const number = numberAt(port, "port");
          const explicitTarget = portReferenceAt(port, "targetPort");
          const targetPort = explicitTarget ?? (number === undefined ? undefined : { number });
          const path = ["spec", "ports", index];
          return [
            { name: stringAt(port, "name"), port: number, targetPort, targetPortDefaulted: !explicitTarget, path },
          ];
        }),
      };
    });
}

/**
 * Services that route to pods they pick by label. ExternalName Services and Services without
 * a selector (endpoints managed by hand) are someone else's business.
 */
export function selectingServices(services: readonly ServiceView[]): ServiceView[] {
  return services.filter((service) => service.type !== "ExternalName" && Object.keys(service.selector).length > 0);
}
