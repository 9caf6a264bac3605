import { stringify } from "yaml";
import type { JsonObject } from "./json-access.js";

/** Objects as one multi-document YAML stream, as kubectl apply -f reads it. */
export function renderYaml(objects: readonly JsonObject[]): string {
  return objects.map((object) => stringify(object, { lineWidth: 0 })).join("---\n");
}
