// Reads what people feed `frank doctor -f`: YAML or JSON, several documents per file, and
// `kind: List` (what `kubectl get deploy,svc,ing -o yaml` prints), keeping line numbers. A
// file that cannot be read is named with its reason, and the others are still read.
import { type Document, type LineCounter, isNode } from "yaml";
import { type FieldPath, arrayAt, isObject, stringAt } from "./json-access.js";
import { type ManifestObject, isKubernetesObject, objectRefOf, readFromCluster } from "./manifest-object.js";
import { type InputNote, type ManifestSource, planSources } from "./manifest-sources.js";
import { readYamlDocuments } from "./yaml-reader.js";

export type { InputNote, ManifestSource } from "./manifest-sources.js";

export interface LoadedManifests {
  objects: ManifestObject[];
  /** Files and folders not checked: input errors, Helm charts, kustomize patches. */
  notes: InputNote[];
}

export function loadManifests(sources: readonly ManifestSource[]): LoadedManifests {
  const plan = planSources(sources);
  const objects: ManifestObject[] = [];
  const notes = [...plan.notes];
  for (const source of plan.manifests) {
    const read = readSourceSafely(source);
    if ("reason" in read) notes.push(read);
    else objects.push(...read);
  }
  return { objects, notes };
}

/** A file that breaks the reader in a way nobody foresaw is named like a broken one; the rest are still read. */
function readSourceSafely(source: ManifestSource): ManifestObject[] | InputNote {
  try {
    return readSource(source);
  } catch (error) {
    const message = String((error as Error)?.message ?? error).split("\n")[0];
    return { file: source.name, reason: `could not be read: ${message}`, unreadable: true };
  }
}

function readSource(source: ManifestSource): ManifestObject[] | InputNote {
  const read = readYamlDocuments(source.text);
  if (!read.ok) {
    const { line, column, reason } = read.error;
    // A template that is not Helm's (ERB, Go templates, Jinja) is another tool's input, not broken YAML.
    const template = /\{\{|\{%|<%/.test(source.text);
    return {
      file: source.name,
      line,
      column,
      reason: template
        ? `looks like a template ({{ }}, {% %} or <% %>) and is not valid YAML as written (${reason}): render it first`
        : `not valid YAML or JSON: ${reason}`,
      unreadable: !template,
    };
  }
  const objects: ManifestObject[] = [];
  for (const { value, tree } of read.documents) {
    const locate = locator(source.name, tree, read.lineCounter);
    if (isObject(value) && stringAt(value, "kind") === "List") {
      arrayAt(value, "items").forEach((item, index) => {
        if (isKubernetesObject(item)) {
          objects.push(manifestObject(item, source.name, true, (path) => locate(["items", index, ...path])));
        }
      });
    } else if (isKubernetesObject(value)) {
      objects.push(manifestObject(value, source.name, readFromCluster(value), locate));
    }
  }
  return objects;
}

function manifestObject(
  object: ManifestObject["object"],
  file: string,
  live: boolean,
  locate: ManifestObject["locate"],
): ManifestObject {
  return { object, ref: objectRefOf(object), file, live, locate };
}

function locator(file: string, document: Document, lineCounter: LineCounter) {
  return (path: FieldPath): string => {
    // A missing field (a probe that is not there) points at its nearest existing parent.
    for (let length = path.length; length >= 0; length--) {
      const node = document.getIn(path.slice(0, length), true);
      if (isNode(node) && node.range) {
        return `${file}:${lineCounter.linePos(node.range[0]).line}`;
      }
    }
    return file;
  };
}
