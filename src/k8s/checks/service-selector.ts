// A Service whose selector matches no pod has no endpoints: the Ingress answers 502/503.
import { labelsSelect } from "../pod-templates.js";
import { selectingServices } from "../services.js";
import { type Check, findingAt, formatLabels } from "./check-context.js";

export const checkServiceSelectors: Check = ({ objects, allTemplates }) => {
  if (allTemplates.length === 0) return []; // no workloads in the input: nothing to compare with
  return selectingServices(objects).flatMap((service) => {
    const { namespace } = service.owner.ref;
    const matching = allTemplates.filter((template) => labelsSelect(service.selector, template.labels));
    if (matching.some((template) => template.owner.ref.namespace === namespace)) return [];
    const selector = formatLabels(service.selector);
    const elsewhere = matching[0];
    const sameNamespace = allTemplates.filter((template) => template.owner.ref.namespace === namespace);
    const fix = elsewhere
      ? `put the Service in namespace ${elsewhere.owner.ref.namespace} with ${elsewhere.owner.ref.kind} ` +
        `${elsewhere.owner.ref.name} (or move the workload): a Service only selects pods in its own namespace`
      : sameNamespace.length > 0
        ? `make spec.selector a subset of the pod labels, e.g. ` +
          sameNamespace
            .slice(0, 3)
            .map(
              (template) =>
                `${template.owner.ref.kind} ${template.owner.ref.name} has ${formatLabels(template.labels)}`,
            )
            .join("; ")
        : `add the workload to namespace ${namespace}, with pod labels ${selector}`;
    return [
      findingAt(service.owner, ["spec", "selector"], {
        code: "service-selector-matches-nothing",
        severity: "error",
        problem: `selector ${selector} matches no pod template in namespace ${namespace}`,
        why: "the Service has no endpoints, so every request through it (and through the Ingress) fails",
        fix,
      }),
    ];
  });
};
