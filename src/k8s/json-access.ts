// Parsed manifests are untrusted data: a field may be missing or of the wrong type.
// These accessors read a field only when it has the expected shape, so checks never throw.

export type JsonObject = { [key: string]: unknown };

/** A field path inside a manifest, e.g. ["spec", "ports", 0, "targetPort"]. */
export type FieldPath = ReadonlyArray<string | number>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function objectAt(value: unknown, key: string): JsonObject | undefined {
  if (!isObject(value)) return undefined;
  const field = value[key];
  return isObject(field) ? field : undefined;
}

export function arrayAt(value: unknown, key: string): unknown[] {
  if (!isObject(value)) return [];
  const field = value[key];
  return Array.isArray(field) ? field : [];
}

export function stringAt(value: unknown, key: string): string | undefined {
  if (!isObject(value)) return undefined;
  const field = value[key];
  return typeof field === "string" ? field : undefined;
}

export function numberAt(value: unknown, key: string): number | undefined {
  if (!isObject(value)) return undefined;
  const field = value[key];
  return typeof field === "number" ? field : undefined;
}

/** A map of string values (labels, selectors); entries of other types are dropped. */
export function stringMapAt(value: unknown, key: string): Record<string, string> {
  const map: Record<string, string> = {};
  for (const [name, field] of Object.entries(objectAt(value, key) ?? {})) {
    if (typeof field === "string") map[name] = field;
    else if (typeof field === "number" || typeof field === "boolean") map[name] = String(field);
  }
  return map;
}

/** Kubernetes' IntOrString (targetPort, probe ports): a number, a name, or absent. */
export type PortReference = { number: number } | { name: string };

export function portReferenceAt(value: unknown, key: string): PortReference | undefined {
  if (!isObject(value)) return undefined;
  const field = value[key];
  if (typeof field === "number") return { number: field };
  if (typeof field === "string" && /^\d+$/.test(field)) return { number: Number(field) };
  if (typeof field === "string" && field !== "") return { name: field };
  return undefined;
}

export function describePortReference(port: PortReference): string {
  return "number" in port ? String(port.number) : `"${port.name}"`;
}

/** Renders a path the way kubectl explain and most docs write it: spec.ports[0].targetPort. */
export function renderPath(path: FieldPath): string {
  let text = "";
  for (const segment of path) {
    if (typeof segment === "number") text += `[${segment}]`;
    else text += text === "" ? segment : `.${segment}`;
  }
  return text;
}
