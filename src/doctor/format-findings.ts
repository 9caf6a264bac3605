// `frank doctor -f` output: one block per finding, errors first, each saying where, why and how to fix.
import type { Finding } from "../k8s/finding.js";

export function formatFindings(findings: readonly Finding[], objectCount: number): string {
  if (findings.length === 0) {
    return `No Bad-Gateway causes found in ${objectCount} object${objectCount === 1 ? "" : "s"}.\n`;
  }
  const blocks = findings.map((finding) =>
    [
      `${finding.severity} [${finding.code}] ${finding.object.kind} ${finding.object.namespace}/${finding.object.name} ${finding.path}`,
      `  at   ${finding.location}`,
      `  what ${finding.problem}`,
      `  why  ${finding.why}`,
      `  fix  ${finding.fix}`,
    ].join("\n"),
  );
  const errors = findings.filter((finding) => finding.severity === "error").length;
  const warnings = findings.length - errors;
  return `${blocks.join("\n\n")}\n\n${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"} in ${objectCount} object${objectCount === 1 ? "" : "s"}.\n`;
}
