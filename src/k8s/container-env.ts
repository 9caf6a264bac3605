// A container's environment as the kubelet builds it: envFrom first (ConfigMaps and Secrets,
// with an optional prefix), then env, whose entries win; valueFrom reads a ConfigMap or Secret
// key; $(NAME) in a value refers to a variable defined before it. Values from a ConfigMap or
// Secret in the input are read; those from elsewhere are known to be set, with no value.
import { type FieldPath, type JsonObject, arrayAt, isObject, objectAt, stringAt } from "./json-access.js";
import type { ManifestObject } from "./manifest-object.js";
import { nearest } from "./scope.js";

export interface EnvVariable {
  /** Undefined when the value comes from somewhere the input does not hold (a Secret elsewhere, the downward API). */
  value?: string;
  /** Where to point a finding: the env entry's value, or the envFrom entry. */
  path: FieldPath;
  /** Where the value comes from, in words: "env", "ConfigMap shop-config", "Secret db". */
  source: string;
  /** The object the value was read from, when it is not the workload itself. */
  definedIn?: ManifestObject;
}

export type ContainerEnv = Map<string, EnvVariable>;

/** ConfigMaps and Secrets of the input, to look values up by namespace and name. */
export class ConfigSources {
  private readonly byKey = new Map<string, ManifestObject[]>();

  constructor(objects: readonly ManifestObject[]) {
    for (const object of objects) {
      if (object.ref.kind !== "ConfigMap" && object.ref.kind !== "Secret") continue;
      const key = `${object.ref.kind}/${object.ref.namespace}/${object.ref.name}`;
      this.byKey.set(key, [...(this.byKey.get(key) ?? []), object]);
    }
  }

  /** The data of the nearest ConfigMap or Secret with that name, Secret values decoded. */
  find(kind: "ConfigMap" | "Secret", namespace: string, name: string, from: string) {
    const candidates = this.byKey.get(`${kind}/${namespace}/${name}`) ?? [];
    const [object] = nearest(candidates, (candidate) => candidate.file, from);
    if (!object) return undefined;
    const data = new Map<string, string>();
    for (const [key, value] of Object.entries(objectAt(object.object, "data") ?? {})) {
      const text = scalarText(value);
      if (text !== undefined) data.set(key, kind === "Secret" ? decodeBase64(text) : text);
    }
    for (const [key, value] of Object.entries(objectAt(object.object, "stringData") ?? {})) {
      const text = scalarText(value);
      if (text !== undefined) data.set(key, text);
    }
    return { object, data };
  }
}

export function containerEnv(
  container: JsonObject,
  containerPath: FieldPath,
  owner: ManifestObject,
  sources: ConfigSources,
): ContainerEnv {
  const env: ContainerEnv = new Map();
  const namespace = owner.ref.namespace;
  arrayAt(container, "envFrom").forEach((entry, index) => {
    const prefix = stringAt(entry, "prefix") ?? "";
    const path = [...containerPath, "envFrom", index];
    for (const kind of ["ConfigMap", "Secret"] as const) {
      const name = stringAt(objectAt(entry, kind === "ConfigMap" ? "configMapRef" : "secretRef"), "name");
      if (!name) continue;
      const found = sources.find(kind, namespace, name, owner.file);
      for (const [key, value] of found?.data ?? []) {
        env.set(prefix + key, { value, path, source: `${kind} ${name}`, definedIn: found!.object });
      }
    }
  });
  arrayAt(container, "env").forEach((entry, index) => {
    const name = stringAt(entry, "name");
    if (!name || !isObject(entry)) return;
    const path = [...containerPath, "env", index];
    const literal = scalarText(entry.value);
    if (literal !== undefined) {
      env.set(name, { value: expandReferences(literal, env), path: [...path, "value"], source: "env" });
      return;
    }
    const valueFrom = objectAt(entry, "valueFrom");
    for (const kind of ["ConfigMap", "Secret"] as const) {
      const reference = objectAt(valueFrom, kind === "ConfigMap" ? "configMapKeyRef" : "secretKeyRef");
      const referenceName = stringAt(reference, "name");
      const key = stringAt(reference, "key");
      if (!reference) continue;
      const found = referenceName && key ? sources.find(kind, namespace, referenceName, owner.file) : undefined;
      const value = key ? found?.data.get(key) : undefined;
      env.set(name, {
        value,
        path,
        source: `${kind} ${referenceName ?? "(no name)"}`,
        definedIn: value === undefined ? undefined : found!.object,
      });
      return;
    }
    // fieldRef, resourceFieldRef, or an empty value: set, value unknown (or empty).
    env.set(name, { value: valueFrom ? undefined : "", path, source: "env" });
  });
  return env;
}

/** Kubernetes' $(NAME) references to variables with a known value; $$(NAME) is a literal $(NAME). */
export function expandReferences(text: string, env: ContainerEnv): string {
  if (!text.includes("$(")) return text;
  return text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (match, name: string | undefined) => {
    if (name === undefined) return "$";
    const value = env.get(name)?.value;
    return value === undefined ? match : value;
  });
}

function scalarText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

function decodeBase64(text: string): string {
  return Buffer.from(text.replace(/\s+/g, ""), "base64").toString("utf8");
}
