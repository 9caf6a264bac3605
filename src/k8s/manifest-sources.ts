// Which of the files given to `frank doctor -f` hold objects as kubectl would apply them, and
// which are inputs to a tool that renders them first: a Helm chart (templates, values,
// Chart.yaml) or a kustomization's patches. Those are named, with the command that renders
// them, rather than read as broken or partial objects.
import { posix } from "node:path";
import { arrayAt, isObject, stringAt } from "./json-access.js";
import { readYamlDocuments } from "./yaml-reader.js";

export interface ManifestSource {
  /** Shown in findings and errors: a file path, or "-" for standard input. */
  name: string;
  text: string;
}

/** A file or folder that was not checked, and why. */
export interface InputNote {
  /** A file, or a folder for a whole chart or kustomization. */
  file: string;
  line?: number;
  column?: number;
  reason: string;
  /**
   * The input cannot be read as kubectl would read it either (broken YAML, a repeated key, an
   * alias bomb): an input error. Otherwise it is a recognised input of another tool.
   */
  unreadable: boolean;
}

export interface SourcePlan {
  /** Sources to read as manifests. */
  manifests: ManifestSource[];
  notes: InputNote[];
}

const CHART_ROOT_FILES = /^(Chart\.ya?ml|Chart\.lock|requirements\.ya?ml|values[^/]*\.ya?ml|values\.schema\.json)$/;
const CHART_FOLDERS = new Set(["templates", "charts"]);

/** `{{ .Values.x }}`, `{{- include "…" . }}`, `{{ toYaml … }}`: Helm's template actions. */
const HELM_ACTION =
  /\{\{-?\s*(?:\.Values\b|\.Release\b|\.Chart\b|\.Capabilities\b|\.Files\b|\.Template\b|include\s|template\s|tpl\s|toYaml\b|\/\*)/;

/** Fields of a kustomization that name files holding patches (partial objects). */
const PATCH_FIELDS = ["patchesStrategicMerge", "patches", "patchesJson6902"];
/** Fields that change the objects, so the rendered output differs from the files. */
const TRANSFORM_FIELDS = [
  ...PATCH_FIELDS,
  "namespace",
  "namePrefix",
  "nameSuffix",
  "commonLabels",
  "labels",
  "images",
  "replicas",
  "components",
  "configMapGenerator",
  "secretGenerator",
  "helmCharts",
];

export function planSources(sources: readonly ManifestSource[]): SourcePlan {
  const notes: InputNote[] = [];
  const chartRoots = sources
    .filter((source) => /^Chart\.ya?ml$/.test(posix.basename(source.name)))
    .map((source) => posix.dirname(source.name));
  const chartFiles = new Map<string, number>(chartRoots.map((root) => [root, 0]));
  const patchFiles = new Map<string, string>();
  for (const source of sources) {
    if (!/^kustomization\.ya?ml$/i.test(posix.basename(source.name))) continue;
    const kustomization = kustomizationOf(source);
    if (!kustomization) continue;
    const folder = posix.dirname(source.name);
    for (const patch of kustomization.patchFiles) patchFiles.set(posix.join(folder, patch), folder);
    const count = kustomization.patchFiles.length;
    if (count > 0) {
      notes.push({
        file: folder,
        reason: `a kustomization with ${count} patch file${count === 1 ? "" : "s"} (${kustomization.transforms.join(", ")}): patches are not whole objects and are not checked alone; to check what kubectl applies: kubectl kustomize ${folder} | frank doctor -f -`,
        unreadable: false,
      });
    }
  }

  const manifests: ManifestSource[] = [];
  for (const source of sources) {
    const chart = chartRootOf(source.name, chartRoots);
    if (chart !== undefined) {
      chartFiles.set(chart, chartFiles.get(chart)! + 1);
      continue;
    }
    if (/^kustomization\.ya?ml$/i.test(posix.basename(source.name))) continue;
    const patchOf = patchFiles.get(posix.normalize(source.name));
    if (patchOf !== undefined) continue; // named by its kustomization's note
    if (HELM_ACTION.test(source.text)) {
      notes.push({
        file: source.name,
        reason: "a Helm template ({{ … }}): render it first: helm template CHART | frank doctor -f -",
        unreadable: false,
      });
      continue;
    }
    manifests.push(source);
  }
  for (const [root, count] of chartFiles) {
    if (count === 0) continue; // a chart inside another chart's charts/ folder: named with it
    notes.push({
      file: root,
      reason: `a Helm chart (${count} file${count === 1 ? "" : "s"}): render it first: helm template ${root} | frank doctor -f -`,
      unreadable: false,
    });
  }
  return { manifests, notes };
}

/** The chart a file belongs to: Chart.yaml, values files and everything under templates/ and charts/. */
function chartRootOf(file: string, chartRoots: readonly string[]): string | undefined {
  let outermost: string | undefined;
  for (const root of chartRoots) {
    const inside = root === "." ? file : file.startsWith(`${root}/`) ? file.slice(root.length + 1) : undefined;
    if (inside === undefined) continue;
    const [first, ...rest] = inside.split("/");
    const belongs = rest.length === 0 ? CHART_ROOT_FILES.test(first!) : CHART_FOLDERS.has(first!);
    if (belongs && (outermost === undefined || root.length < outermost.length)) outermost = root;
  }
  return outermost;
}

interface Kustomization {
  /** Files (relative to the kustomization) that hold patches. */
  patchFiles: string[];
  /** The fields that make the rendered objects differ from the files. */
  transforms: string[];
}

function kustomizationOf(source: ManifestSource): Kustomization | undefined {
  const read = readYamlDocuments(source.text);
  if (!read.ok) return undefined;
  const value = read.documents[0]?.value;
  if (!isObject(value)) return undefined;
  const patchFiles: string[] = [];
  for (const field of PATCH_FIELDS) {
    for (const entry of arrayAt(value, field)) {
      const path = typeof entry === "string" ? entry : stringAt(entry, "path");
      if (path && !path.includes("\n")) patchFiles.push(path);
    }
  }
  return { patchFiles, transforms: TRANSFORM_FIELDS.filter((field) => value[field] !== undefined) };
}
