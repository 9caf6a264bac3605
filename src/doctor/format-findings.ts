// `frank doctor -f` output: one block per finding, errors first, each saying where, why and how to fix.
import type { Finding } from "../k8s/finding.js";
import type { InputNote } from "../k8s/load-manifests.js";

export function formatFindings(findings: readonly Finding[], objectCount: number, notCheckedCount = 0): string {
  const objects = `${objectCount} object${objectCount === 1 ? "" : "s"}`;
  const notChecked =
    notCheckedCount === 0
      ? ""
      : ` (${notCheckedCount} input${notCheckedCount === 1 ? "" : "s"} not checked: see above)`;
  if (findings.length === 0) {
    return `No Bad-Gateway causes found in ${objects}${notChecked}.\n`;
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
  return `${blocks.join("\n\n")}\n\n${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"} in ${objects}${notChecked}.\n`;
}

/** One line for an input that was not checked: "k8s/app.yaml:3:5: not valid YAML or JSON: …". */
export function formatNote(note: InputNote): string {
  const where = note.line === undefined ? note.file : `${note.file}:${note.line}:${note.column ?? 1}`;
  return `${where}: ${note.reason}`;
}
