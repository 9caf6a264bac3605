// The doctor's report for a person: four short sections and a verdict, like netstat's table
// for the sockets.
import { because } from "../server/banner.js";
import type { DoctorReport } from "./diagnose.js";
import { formatListenAddress } from "./listeners.js";

export function formatReport(report: DoctorReport): string {
  const lines: string[] = [];
  lines.push("Configuration (as frank serve resolves it here)");
  if (report.config) {
    const { environment, port, host, workers, container } = report.config;
    const rows: Array<[string, string, string]> = [
      ["environment", environment.value, environment.source],
      ["port", String(port.value), port.source],
      [
        "host",
        `${host.value} (${hostWords(host.kind)}${host.bindAddresses.join(", ") === host.value ? "" : `: ${host.bindAddresses.join(", ")}`})`,
        host.source,
      ],
      ["workers", String(workers.value), workers.source],
    ];
    const width = Math.max(...rows.map(([, value]) => value.length));
    for (const [name, value, source] of rows)
      lines.push(`  ${name.padEnd(12)}${value.padEnd(width + 2)}${because(source)}`);
    const where = container.inContainer
      ? container.kubernetes
        ? "in a Kubernetes pod"
        : "in a container"
      : "not in a container";
    lines.push(`  ${"container".padEnd(12)}${where}${container.reason ? ` (${container.reason})` : ""}`);
  } else {
    lines.push(`  cannot resolve: ${report.configError}`);
  }

  lines.push("", "Listening TCP sockets (netstat -lntp)");
  if (report.listeners.length === 0) lines.push("  none");
  const addressWidth = Math.max(20, ...report.listeners.map((listener) => formatListenAddress(listener).length + 2));
  if (report.listeners.length > 0)
    lines.push(`  ${"Proto".padEnd(7)}${"Local Address".padEnd(addressWidth)}PID/Program name`);
  for (const listener of report.listeners) {
    const owner = listener.owner ? `${listener.owner.pid}/${listener.owner.program}` : "-";
    const notes = [
      listener.loopback ? "loopback only" : "",
      listener.port === report.port ? `<- port ${report.port}` : "",
    ].filter(Boolean);
    lines.push(
      `  ${(listener.family === 4 ? "tcp" : "tcp6").padEnd(7)}${formatListenAddress(listener).padEnd(addressWidth)}${owner.padEnd(22)}${notes.join("  ")}`.trimEnd(),
    );
  }
  if (report.listeners.some((listener) => !listener.owner) && process.getuid?.() !== 0) {
    lines.push("  (owners of other users' sockets show as - ; run as root to see them)");
  }

  if (report.port !== undefined) {
    lines.push("", `Reachability of port ${report.port} from this machine's addresses`);
    if (report.reachability.length === 0) lines.push("  no non-loopback addresses");
    for (const probe of report.reachability) {
      const target = probe.family === 6 ? `[${probe.address}]:${report.port}` : `${probe.address}:${report.port}`;
      lines.push(`  ${`${target} (${probe.interfaceName})`.padEnd(40)}${probe.outcome}`);
    }
  }

  lines.push("", "Findings");
  if (report.findings.length === 0) lines.push("  none");
  for (const finding of report.findings) {
    lines.push(`  ${finding.severity.padEnd(8)}${finding.summary}`);
    if (finding.fix && !finding.summary.endsWith(finding.fix)) lines.push(`  ${"".padEnd(8)}fix: ${finding.fix}`);
  }

  lines.push("", `Verdict: ${report.ok ? "" : "Bad Gateway: "}${report.verdict}`);
  return `${lines.join("\n")}\n`;
}

function hostWords(kind: "all" | "loopback" | "specific"): string {
  return { all: "all interfaces", loopback: "loopback only", specific: "this address only" }[kind];
}

/** The report for machines: the same facts, stable field names. */
export function reportJson(report: DoctorReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
