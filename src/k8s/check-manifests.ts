// `frank doctor -f`: every Bad-Gateway cause visible in a set of manifests.
import { checkContext, type Check } from "./checks/check-context.js";
import { checkEnvironment } from "./checks/environment.js";
import { checkGracePeriod } from "./checks/grace-period.js";
import { checkIngressBackends } from "./checks/ingress-backend.js";
import { checkLoopbackBinding } from "./checks/loopback-binding.js";
import { checkPreStop } from "./checks/pre-stop.js";
import { checkProbePorts } from "./checks/probe-ports.js";
import { checkReadinessProbe } from "./checks/readiness-probe.js";
import { checkServerPorts } from "./checks/server-port.js";
import { checkServiceSelectors } from "./checks/service-selector.js";
import { checkServiceTargetPorts } from "./checks/service-target-port.js";
import { checkSignals } from "./checks/signals.js";
import type { Finding } from "./finding.js";
import type { ManifestObject } from "./manifest-object.js";

/** In the order traffic flows: Ingress -> Service -> pod -> container -> shutdown. */
const CHECKS: Check[] = [
  checkIngressBackends,
  checkServiceSelectors,
  checkServiceTargetPorts,
  checkProbePorts,
  checkLoopbackBinding,
  checkServerPorts,
  checkEnvironment,
  checkReadinessProbe,
  checkSignals,
  checkGracePeriod,
  checkPreStop,
];

export function checkManifests(objects: readonly ManifestObject[]): Finding[] {
  const context = checkContext(objects);
  const findings = CHECKS.flatMap((check) => check(context));
  // Errors first: they are what answers Bad Gateway.
  return findings.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1));
}
