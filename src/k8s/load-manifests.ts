// Reads what people feed `frank doctor -f`: YAML or JSON, several documents per file, and
// `kind: List` (what `kubectl get deploy,svc,ing -o yaml` prints), keeping line numbers.
import { type Document, LineCounter, isNode, parseAllDocuments } from "yaml";
import { type FieldPath, arrayAt, isObject, stringAt } from "./json-access.js";
import { type ManifestObject, objectRefOf } from "./manifest-object.js";

export interface ManifestSource {
  /** Shown in findings and errors: a file path, or "-" for standard input. */
  name: string;
  text: string;
}

export class ManifestParseError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}:${column}: not valid YAML or JSON: ${reason}`);
    this.name = "ManifestParseError";
  }
}

export function loadManifests(sources: readonly ManifestSource[]): ManifestObject[] {
  return sources.flatMap(loadSource);
}

function loadSource(source: ManifestSource): ManifestObject[] {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(source.text, { lineCounter, prettyErrors: false });
  const list = Array.isArray(documents) ? documents : [];
  const objects: ManifestObject[] = [];
  for (const document of list) {
    const [error] = document.errors;
    if (error) {
      const position = lineCounter.linePos(error.pos[0]);
      throw new ManifestParseError(source.name, position.line, position.col, firstLine(error.message));
    }
    const value: unknown = document.toJS({ maxAliasCount: 100 });
    if (!isObject(value)) continue; // empty documents and stray scalars carry no objects
    const locate = locator(source.name, document, lineCounter);
    if (stringAt(value, "kind") === "List") {
      arrayAt(value, "items").forEach((item, index) => {
        if (isObject(item)) objects.push(manifestObject(item, (path) => locate(["items", index, ...path])));
      });
    } else {
      objects.push(manifestObject(value, locate));
    }
  }
  return objects;
}

function manifestObject(object: ManifestObject["object"], locate: ManifestObject["locate"]): ManifestObject {
  return { object, ref: objectRefOf(object), locate };
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

function firstLine(message: string): string {
  return message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
}
