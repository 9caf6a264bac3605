import { type FieldPath, type JsonObject, objectAt, stringAt } from "./json-access.js";

/** Kubernetes puts an object without a namespace into the one kubectl applies it to. */
export const DEFAULT_NAMESPACE = "default";

/** How a finding names an object: the way `kubectl get KIND -n NAMESPACE NAME` does. */
export interface ObjectRef {
  kind: string;
  namespace: string;
  name: string;
}

/** One Kubernetes object read from a manifest, with a way back to its lines in the source. */
export interface ManifestObject {
  object: JsonObject;
  ref: ObjectRef;
  /** The source it came from: a file path, or "-" for standard input. */
  file: string;
  /**
   * Read from a cluster (`kubectl get -o yaml`: a List, or an object with a uid or
   * resourceVersion) rather than from files: what is missing from it is missing from the cluster.
   */
  live: boolean;
  /** "file:line" of a field (or of the nearest enclosing field that exists). */
  locate(path: FieldPath): string;
}

export function objectRefOf(object: JsonObject): ObjectRef {
  const metadata = objectAt(object, "metadata");
  return {
    kind: stringAt(object, "kind") ?? "(no kind)",
    namespace: stringAt(metadata, "namespace") || DEFAULT_NAMESPACE,
    name: stringAt(metadata, "name") ?? stringAt(metadata, "generateName") ?? "(no name)",
  };
}

/** A Kubernetes object has a kind and an apiVersion; values files, Chart.yaml and CI configs do not. */
export function isKubernetesObject(value: unknown): value is JsonObject {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as JsonObject).kind === "string" &&
    typeof (value as JsonObject).apiVersion === "string"
  );
}

/** `kubectl get … -o yaml` marks what it read from the API server. */
export function readFromCluster(object: JsonObject): boolean {
  const metadata = objectAt(object, "metadata");
  return stringAt(metadata, "uid") !== undefined || Boolean(stringAt(metadata, "resourceVersion"));
}
