import type { ObjectRef } from "./manifest-object.js";

/** error: traffic fails (Bad Gateway, no endpoints, killed requests). warning: risky, not broken. */
export type Severity = "error" | "warning";

export interface Finding {
  /** Stable name of the cause, e.g. "service-selector-matches-nothing". */
  code: string;
  severity: Severity;
  object: ObjectRef;
  /** Field path inside the object, e.g. spec.ports[0].targetPort. */
  path: string;
  /** "file:line" where the field is. */
  location: string;
  /** What is wrong, in one sentence. */
  problem: string;
  /** Why it breaks traffic. */
  why: string;
  /** What to change. */
  fix: string;
}

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((finding) => finding.severity === "error");
}
