import type { Finding, Severity } from "../finding.js";
import { type FieldPath, renderPath } from "../json-access.js";
import type { ManifestObject } from "../manifest-object.js";
import { type PodTemplateView, podTemplatesOf, withoutStampedCopies } from "../pod-templates.js";

/** What every check sees: the objects, and their pod templates found once. */
export interface CheckContext {
  objects: readonly ManifestObject[];
  /** Every pod template, for "does anything match" questions. */
  allTemplates: readonly PodTemplateView[];
  /** Templates without the copies a controller stamped out, for "report once" checks. */
  templates: readonly PodTemplateView[];
  /** Kinds present in the input: a reference to a kind absent from it cannot be judged. */
  kinds: ReadonlySet<string>;
}

export type Check = (context: CheckContext) => Finding[];

export function checkContext(objects: readonly ManifestObject[]): CheckContext {
  const allTemplates = podTemplatesOf(objects);
  return {
    objects,
    allTemplates,
    templates: withoutStampedCopies(allTemplates),
    kinds: new Set(objects.map((object) => object.ref.kind)),
  };
}

export interface FindingText {
  code: string;
  severity: Severity;
  problem: string;
  why: string;
  fix: string;
}

export function findingAt(owner: ManifestObject, path: FieldPath, text: FindingText): Finding {
  return {
    code: text.code,
    severity: text.severity,
    object: owner.ref,
    path: renderPath(path),
    location: owner.locate(path),
    problem: text.problem,
    why: text.why,
    fix: text.fix,
  };
}

export function formatLabels(labels: Record<string, string>): string {
  const entries = Object.entries(labels);
  return entries.length === 0 ? "no labels" : entries.map(([key, value]) => `${key}=${value}`).join(",");
}
