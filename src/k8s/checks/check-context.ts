import { ConfigSources } from "../container-env.js";
import type { Finding, Severity } from "../finding.js";
import { type FieldPath, renderPath } from "../json-access.js";
import type { ManifestObject, ObjectRef } from "../manifest-object.js";
import { type PodTemplateView, labelsSelect, podTemplatesOf, withoutStampedCopies } from "../pod-templates.js";
import { nearest } from "../scope.js";
import { type ServiceView, selectingServices, servicesOf } from "../services.js";

/** What every check sees: the objects, and their pod templates and Services found once. */
export interface CheckContext {
  objects: readonly ManifestObject[];
  /** Every pod template, for "does anything match" questions. */
  allTemplates: readonly PodTemplateView[];
  /** Templates without the copies a controller stamped out, for "report once" checks. */
  templates: readonly PodTemplateView[];
  services: readonly ServiceView[];
  /** Kinds present in the input: a reference to a kind absent from it cannot be judged. */
  kinds: ReadonlySet<string>;
  /** The pod templates a Service sends traffic to: the nearest ones its selector matches. */
  selectedBy(service: ServiceView): PodTemplateView[];
  /** The Services in the input that send traffic to a template. */
  servicesOf(template: PodTemplateView): ServiceView[];
}

export type Check = (context: CheckContext) => Finding[];

export function checkContext(objects: readonly ManifestObject[]): CheckContext {
  const allTemplates = podTemplatesOf(objects, new ConfigSources(objects));
  const services = servicesOf(objects);
  const selected = new Map<ServiceView, PodTemplateView[]>();
  const servicesByTemplate = new Map<PodTemplateView, ServiceView[]>();
  for (const service of selectingServices(services)) {
    const matching = allTemplates.filter(
      (template) =>
        template.owner.ref.namespace === service.owner.ref.namespace && labelsSelect(service.selector, template.labels),
    );
    const chosen = nearest(matching, (template) => template.owner.file, service.owner.file);
    selected.set(service, chosen);
    for (const template of chosen)
      servicesByTemplate.set(template, [...(servicesByTemplate.get(template) ?? []), service]);
  }
  return {
    objects,
    allTemplates,
    templates: withoutStampedCopies(allTemplates),
    services,
    kinds: new Set(objects.map((object) => object.ref.kind)),
    selectedBy: (service) => selected.get(service) ?? [],
    servicesOf: (template) => servicesByTemplate.get(template) ?? [],
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

/** "Service shop (k8s/service.yaml)": which of several same-named objects a finding means. */
export function named(object: { ref: ObjectRef; file: string }): string {
  return `${object.ref.kind} ${object.ref.name} (${object.file})`;
}
