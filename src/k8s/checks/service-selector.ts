// A Service whose selector matches no pod has no endpoints: the Ingress answers 502/503.
// Files often leave the workload out on purpose (an operator or a chart deploys it, or it lives
// in another folder), so a selector that matches nothing in the input is only an error when
// the input is known to hold every workload: read from the cluster, or a near miss beside it
// in the same file (a typo in a label, an extra label, the wrong namespace).
import { objectAt, stringAt } from "../json-access.js";
import { labelsSelect, type PodTemplateView } from "../pod-templates.js";
import { selectingServices, type ServiceView } from "../services.js";
import { sameFolder } from "../scope.js";
import { type Check, findingAt, formatLabels } from "./check-context.js";

const WHY = "the Service has no endpoints, so every request through it (and through the Ingress) fails";

export const checkServiceSelectors: Check = ({ objects, services, allTemplates, selectedBy }) => {
  if (allTemplates.length === 0) return []; // no workloads in the input: nothing to compare with
  // The apex Service of an SMI TrafficSplit selects nothing on purpose: the mesh routes its traffic.
  const apexes = new Set(
    objects
      .filter((object) => object.ref.kind === "TrafficSplit")
      .map((split) => `${split.ref.namespace}/${stringAt(objectAt(split.object, "spec"), "service")}`),
  );
  return selectingServices(services).flatMap((service) => {
    if (selectedBy(service).length > 0) return [];
    if (apexes.has(`${service.owner.ref.namespace}/${service.owner.ref.name}`)) return [];
    const { namespace } = service.owner.ref;
    const selector = formatLabels(service.selector);
    const path = ["spec", "selector"];
    const elsewhere = allTemplates.find(
      (template) =>
        template.owner.ref.namespace !== namespace &&
        sameFolder(template.owner.file, service.owner.file) &&
        labelsSelect(service.selector, template.labels),
    );
    if (elsewhere) {
      return [
        findingAt(service.owner, path, {
          code: "service-selector-matches-nothing",
          severity: "error",
          problem: `selector ${selector} matches ${elsewhere.owner.ref.kind} ${elsewhere.owner.ref.name} in namespace ${elsewhere.owner.ref.namespace}, not in the Service's namespace ${namespace}`,
          why: `a Service only selects pods in its own namespace: ${WHY}`,
          fix: `put the Service in namespace ${elsewhere.owner.ref.namespace} with ${elsewhere.owner.ref.kind} ${elsewhere.owner.ref.name} (or move the workload)`,
        }),
      ];
    }
    const nearMiss = allTemplates.find(
      (template) =>
        template.owner.file === service.owner.file &&
        template.owner.ref.namespace === namespace &&
        template.longRunning &&
        isNearMiss(service, template),
    );
    const live = service.owner.live && allTemplates.some((template) => template.owner.live);
    if (nearMiss || live) {
      const sameNamespace = allTemplates.filter(
        (template) => template.owner.ref.namespace === namespace && template.owner.file === service.owner.file,
      );
      return [
        findingAt(service.owner, path, {
          code: "service-selector-matches-nothing",
          severity: "error",
          problem: `selector ${selector} matches no pod template in namespace ${namespace}${live ? " (read from the cluster)" : ""}`,
          why: WHY,
          fix:
            sameNamespace.length > 0
              ? `make spec.selector a subset of the pod labels, e.g. ${sameNamespace
                  .slice(0, 3)
                  .map(
                    (template) =>
                      `${template.owner.ref.kind} ${template.owner.ref.name} has ${formatLabels(template.labels)}`,
                  )
                  .join("; ")}`
              : `add the workload to namespace ${namespace}, with pod labels ${selector}`,
        }),
      ];
    }
    // Workloads beside it in its folder, none matching: worth a look, not a verdict.
    const neighbours = allTemplates.some(
      (template) => sameFolder(template.owner.file, service.owner.file) && template.owner.ref.namespace === namespace,
    );
    if (!neighbours) return [];
    return [
      findingAt(service.owner, path, {
        code: "service-selector-matches-nothing",
        severity: "warning",
        problem: `selector ${selector} matches no pod template in the input (namespace ${namespace})`,
        why: `if no workload in the cluster has these labels either (one deployed by a chart, an operator or another folder), ${WHY}`,
        fix: `check with: kubectl get pods -n ${namespace} -l ${selector}; or check this folder together with the workload's`,
      }),
    ];
  });
};

/**
 * A template in the same file that the selector almost matches: every label but one agrees,
 * or the one label differs only a little (shop vs shop-web).
 */
function isNearMiss(service: ServiceView, template: PodTemplateView): boolean {
  const entries = Object.entries(service.selector);
  const differing = entries.filter(([key, value]) => template.labels[key] !== value);
  if (differing.length !== 1) return false;
  if (entries.length > 1) return true;
  const [key, value] = differing[0]!;
  const actual = template.labels[key];
  return actual !== undefined && (actual.includes(value) || value.includes(actual) || editDistance(actual, value) <= 2);
}

/** Levenshtein distance of two short label values (at most 63 characters each). */
function editDistance(a: string, b: string): number {
  if (a.length > 63 || b.length > 63) return Number.POSITIVE_INFINITY;
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
