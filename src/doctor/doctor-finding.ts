import type { Severity } from "../k8s/finding.js";

/** One thing the in-pod doctor found. error: requests through a Service would fail. */
export interface DoctorFinding {
  code: string;
  severity: Severity;
  /** What is wrong and what it breaks, in one plain sentence. */
  summary: string;
  fix?: string;
}
