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
  /** "file:line" of a field (or of the nearest enclosing field that exists). */
  locate(path: FieldPath): string;
}

export function objectRefOf(object: JsonObject): ObjectRef {
  const metadata = objectAt(object, "metadata");
  return {
    kind: stringAt(object, "kind") ?? "(no kind)",
    namespace: stringAt(metadata, "namespace") ?? DEFAULT_NAMESPACE,
    name: stringAt(metadata, "name") ?? "(no name)",
  };
}
