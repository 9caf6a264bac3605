/** Markdown for the terminal and the README. */
import type { Results } from "./results.js";
import type { Spread } from "./stats.js";

const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "–");
const fixed = (n: number, digits: number) => (Number.isFinite(n) ? n.toFixed(digits) : "–");
const ratio = (s: Spread | undefined) => (s ? `${fixed(s.median, 2)}× (${fixed(s.min, 2)}–${fixed(s.max, 2)})` : "–");

export function markdown(results: Results): string {
  const lines: string[] = [];
  const { machine, settings } = results;
  lines.push(
    `**${results.mode} run, ${results.date}** — ${machine.cpu} (${machine.cpus} CPUs), ${machine.kernel}, Node ${machine.node}, ${machine.wrk}, nginx ${machine.nginx}.`,
    `wrk: 1 thread, ${settings.connections} connections, ${settings.seconds} s per cell, ${settings.rounds} rounds (goal targets back to back, order rotated), ${settings.warmupSeconds} s warm-up per cell; ${settings.pinning}.`,
    "Only ratios from the same run count: absolute numbers move with the machine.",
    "",
    "| scenario | target | req/s | × node:http (min–max) | p50 ms | p99 ms | server CPU µs/req | × node:http by CPU |",
    "|---|---|--:|--:|--:|--:|--:|--:|",
  );
  for (const c of results.cells) {
    const flags = c.socketErrors ? ` ⚠ ${c.socketErrors} socket errors` : "";
    lines.push(
      `| ${c.scenario} | ${c.target}${flags} | ${int(c.requestsPerSecond)} | ${ratio(c.vsNodeHttp)} | ${fixed(c.p50Ms, 2)} | ${fixed(c.p99Ms, 2)} | ${fixed(c.cpuUsPerRequest, 1)} | ${ratio(c.cpuVsNodeHttp)} |`,
    );
  }

  lines.push(
    "",
    "| target | startup to first 200 (ms) | idle RSS (MiB) | RSS after requests (MiB) | requests |",
    "|---|--:|--:|--:|--:|",
  );
  for (const f of results.footprint) {
    lines.push(
      `| ${f.target} | ${int(f.startupMs)} | ${fixed(f.idleRssMiB, 1)} | ${fixed(f.rssAfterMiB, 1)} | ${int(f.requests)} |`,
    );
  }
  if (results.startup.length) {
    lines.push("", "| startup (median of repeats) | command | ms |", "|---|---|--:|");
    for (const s of results.startup) lines.push(`| ${s.name} | \`${s.command}\` | ${int(s.medianMs)} |`);
  }

  if (results.cli.length) {
    lines.push("", "| command (hyperfine, repeated runs) | mean ms | median ms | × `node -e 0` |", "|---|--:|--:|--:|");
    for (const c of results.cli)
      lines.push(`| \`${c.name}\` | ${fixed(c.meanMs, 1)} | ${fixed(c.medianMs, 1)} | ${fixed(c.ratio, 2)}× |`);
  }
  if (results.install) {
    const { packages, bytes, diskBytes } = results.install;
    lines.push(
      "",
      `\`npm ci --omit=dev\` of an app that depends on frank (packed with \`npm pack\`): ${packages.length} packages (${packages.join(", ")}), ${(bytes / 1e6).toFixed(2)} MB of files, ${(diskBytes / 1e6).toFixed(2)} MB on disk.`,
    );
  }

  const verdict = (v: string | undefined) => (v === "no" ? "**no**" : (v ?? "–"));
  lines.push(
    "",
    'Goals hold (yes/no) only when every round agrees; "unclear" means the min–max over rounds spans the threshold.',
    "",
    "| goal | measured: median (min–max over rounds) | holds | same by CPU/req | holds by CPU |",
    "|---|--:|---|--:|---|",
  );
  for (const g of results.goals) {
    const holds = g.missing ? `not judged: ${g.missing}` : verdict(g.holds);
    lines.push(
      `| ${g.goal} | ${g.display ?? (g.measured ? ratio(g.measured) : "–")} | ${holds} | ${ratio(g.byCpu)} | ${verdict(g.holdsByCpu)} |`,
    );
  }

  for (const s of results.skipped) lines.push("", `Skipped ${s.target}: ${s.reason}`);
  for (const w of results.wrongAnswers) lines.push("", `Not measured: ${w.target} ${w.scenario} (${w.problem}).`);
  return lines.join("\n") + "\n";
}
