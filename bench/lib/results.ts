/** The results of one run: per-round samples, the cells made from them, and the goals they are judged by. */
import type { CliTiming } from "../../test/support/cli-startup.js";
import type { WebSocketEchoResult } from "./websocket-echo.js";
import type { Footprint, StartupResult } from "./footprint.js";
import type { Sample } from "./measure.js";
import type { ScenarioName } from "./scenarios.js";
import { median, spread, type Spread } from "./stats.js";
import { BASELINE } from "./targets.js";

export interface Cell {
  scenario: ScenarioName;
  target: string;
  rounds: number;
  requestsPerSecond: number;
  /** Requests/s relative to node:http in the same round: median and min–max over rounds. */
  vsNodeHttp?: Spread;
  /** node:http's CPU time per request divided by this target's, per round: steadier on a busy machine. */
  cpuVsNodeHttp?: Spread;
  p50Ms: number;
  p99Ms: number;
  cpuUsPerRequest: number;
  non2xx: number;
  socketErrors: number;
}

export interface Goal {
  goal: string;
  /** The measured value (a median ratio) and its min–max over rounds where there are rounds. */
  measured?: Spread;
  /** The same comparison by CPU time per request, for the load goals. */
  byCpu?: Spread;
  /**
   * Judged on `measured` (throughput), as the goals are stated: "yes" or "no" only when
   * every round agrees; "unclear" when the min–max over rounds spans the threshold.
   */
  holds?: Verdict;
  /** The same judgement on `byCpu`. */
  holdsByCpu?: Verdict;
  /** Why the goal could not be judged. */
  missing?: string;
  /** How to show `measured` when it is not a ratio (sizes, counts). */
  display?: string;
}

export interface Results {
  date: string;
  mode: "full" | "quick";
  machine: Record<string, string | number>;
  settings: Record<string, unknown>;
  skipped: { target: string; reason: string }[];
  /** Cells left out: a wrong answer before measuring, or a wrk run that failed. */
  wrongAnswers: { target: string; scenario: ScenarioName; problem: string }[];
  cells: Cell[];
  footprint: Footprint[];
  startup: StartupResult[];
  /** frank's quick commands against `node -e 0` (hyperfine). */
  cli: CliTiming[];
  /** `npm ci --omit=dev` of an app that depends on frank packed as published. */
  install?: InstallSize;
  goals: Goal[];
  samples: Sample[];
  /** The WebSocket echo scenario (websocket-echo.ts), when it ran. */
  websocketEcho?: WebSocketEchoResult;
}

export interface InstallSize {
  packages: string[];
  bytes: number;
  diskBytes: number;
}

export type Verdict = "yes" | "no" | "unclear";

function verdict(value: Spread, meets: (ratio: number) => boolean): Verdict {
  if (meets(value.min) && meets(value.max)) return "yes";
  if (!meets(value.min) && !meets(value.max)) return "no";
  return "unclear";
}

/**
 * Per-round ratio of target `a` to target `b` in one scenario: requests/s of a over b, or,
 * by CPU, b's CPU time per request over a's (above 1 means a does the work with less CPU).
 */
export function roundRatios(
  samples: Sample[],
  scenario: ScenarioName,
  a: string,
  b: string,
  by: "throughput" | "cpu" = "throughput",
): number[] {
  const ratios: number[] = [];
  for (const sa of samples) {
    if (sa.scenario !== scenario || sa.target !== a) continue;
    const sb = samples.find((s) => s.scenario === scenario && s.target === b && s.round === sa.round);
    if (!sb) continue;
    ratios.push(
      by === "throughput" ? sa.requestsPerSecond / sb.requestsPerSecond : sb.cpuUsPerRequest / sa.cpuUsPerRequest,
    );
  }
  return ratios;
}

export function cells(samples: Sample[]): Cell[] {
  const keys = [...new Set(samples.map((s) => `${s.scenario}\u0000${s.target}`))];
  return keys.map((key) => {
    const [scenario, target] = key.split("\u0000") as [ScenarioName, string];
    const mine = samples.filter((s) => s.scenario === scenario && s.target === target);
    return {
      scenario,
      target,
      rounds: mine.length,
      requestsPerSecond: median(mine.map((s) => s.requestsPerSecond)),
      vsNodeHttp: spread(roundRatios(samples, scenario, target, BASELINE)),
      cpuVsNodeHttp: spread(roundRatios(samples, scenario, target, BASELINE, "cpu")),
      p50Ms: median(mine.map((s) => s.p50Ms)),
      p99Ms: median(mine.map((s) => s.p99Ms)),
      cpuUsPerRequest: median(mine.map((s) => s.cpuUsPerRequest)),
      non2xx: mine.reduce((sum, s) => sum + s.non2xx, 0),
      socketErrors: mine.reduce((sum, s) => sum + s.socketErrors, 0),
    };
  });
}

/**
 * The targets the throughput goals below compare with one another. The runner measures them
 * back to back in every round (run.ts), so a slow drift of a busy host hits both sides of a
 * goal's ratio alike. Keep in step with the pairs in goals().
 */
export const GOAL_TARGETS: ReadonlySet<string> = new Set([
  BASELINE,
  "frank",
  "frank-log-off",
  "frank-dev",
  "fastify",
  "nginx",
]);

/** The goals, judged on ratios from this run only. */
export function goals(
  samples: Sample[],
  footprint: Footprint[],
  startup: StartupResult[],
  cli: CliTiming[] = [],
  install?: InstallSize,
): Goal[] {
  const list: Goal[] = [];
  const ratioGoal = (scenario: ScenarioName, mine: string, other: string, atLeast: number, strictlyAhead = false) => {
    const who = mine === "frank" ? "frank" : `${mine} (${FRANK_VARIANTS[mine] ?? mine})`;
    const whom = other === "frank" ? "frank (production)" : other;
    const goal = strictlyAhead ? `${scenario}: ${who} ahead of ${whom}` : `${scenario}: ${who} ≥ ${atLeast}× ${whom}`;
    const measured = spread(roundRatios(samples, scenario, mine, other));
    if (!measured) return list.push({ goal, missing: `no ${mine} and ${other} samples in the same round` });
    const byCpu = spread(roundRatios(samples, scenario, mine, other, "cpu"));
    const meets = (value: number) => (strictlyAhead ? value > atLeast : value >= atLeast);
    list.push({ goal, measured, byCpu, holds: verdict(measured, meets), holdsByCpu: byCpu && verdict(byCpu, meets) });
  };
  // "frank" is the production default (JSON access log and request id on); the peers log as in production too.
  for (const scenario of ["hello", "json", "user", "missing"] as const) {
    ratioGoal(scenario, "frank", BASELINE, 0.85);
    ratioGoal(scenario, "frank", "fastify", 1.3);
    ratioGoal(scenario, "frank-log-off", BASELINE, 0.95);
  }
  ratioGoal("post-json", "frank", "fastify", 1, true);
  ratioGoal("static-small", "frank", "fastify", 2);
  ratioGoal("static-big", "frank", "nginx", 0.8);
  // Development mode within 2× of production.
  for (const scenario of ["hello", "missing"] as const) ratioGoal(scenario, "frank-dev", "frank", 0.5);

  const compiled = startup.find((s) => s.name === STARTUP_FRANK_COMPILED);
  const startupGoal = (goal: string, name: string) => {
    const launcher = startup.find((s) => s.name === name);
    if (!launcher || !compiled)
      return list.push({ goal, missing: "startup of frank and of its compiled app not both measured" });
    const ratio = launcher.medianMs / compiled.medianMs;
    list.push({ goal, measured: { median: ratio, min: ratio, max: ratio }, holds: ratio <= 1.5 ? "yes" : "no" });
  };
  startupGoal(
    "startup: `frank app.ts` ≤ 1.5× `node` on the compiled app (bundle kept from the last start)",
    STARTUP_FRANK_LAUNCHER,
  );
  startupGoal(
    "startup: `frank app.ts` ≤ 1.5× `node` on the compiled app (first start: nothing kept)",
    STARTUP_FRANK_LAUNCHER_COLD,
  );
  startupGoal(
    "startup: `frank app.ts` ≤ 1.5× `node` on the compiled app (first start from a `frank build`, as in the image)",
    STARTUP_FRANK_BUILT,
  );
  const node = cli.find((c) => c.name === "node -e 0");
  for (const command of cli) {
    if (command === node) continue;
    const goal = `start-up: \`${command.name}\` ≤ 2× \`node -e 0\` (mean of repeated runs)`;
    if (!node) list.push({ goal, missing: "node -e 0 not measured" });
    else {
      const ratio = command.ratio;
      list.push({ goal, measured: { median: ratio, min: ratio, max: ratio }, holds: ratio <= 2 ? "yes" : "no" });
    }
  }
  if (install) {
    const mb = install.bytes / 1e6;
    list.push({
      goal: "install: `npm ci --omit=dev` of an app using frank ≤ 5 MB",
      measured: { median: mb, min: mb, max: mb },
      display: `${mb.toFixed(2)} MB (${(install.diskBytes / 1e6).toFixed(2)} MB on disk)`,
      holds: mb <= 5 ? "yes" : "no",
    });
    const count = install.packages.length;
    list.push({
      goal: "install: … and ≤ 10 packages",
      measured: { median: count, min: count, max: count },
      display: `${count}: ${install.packages.join(", ")}`,
      holds: count <= 10 ? "yes" : "no",
    });
  }
  // As users run each (frank's launcher bundles; the node:http target runs through tsx), and both compiled.
  const rssGoal = (goal: string, frankName: string, nodeName: string) => {
    const frank = footprint.find((f) => f.target === frankName);
    const node = footprint.find((f) => f.target === nodeName);
    if (!frank || !node)
      return list.push({ goal, missing: `idle RSS of ${frankName} and ${nodeName} not both measured` });
    const ratio = frank.idleRssMiB / node.idleRssMiB;
    list.push({ goal, measured: { median: ratio, min: ratio, max: ratio }, holds: ratio <= 1.3 ? "yes" : "no" });
  };
  rssGoal(
    "idle RSS: frank ≤ 1.3× node:http (frank's launcher; node:http through `node --import tsx`)",
    "frank",
    BASELINE,
  );
  rssGoal("idle RSS: frank ≤ 1.3× node:http (both compiled, plain node)", STARTUP_FRANK_COMPILED, STARTUP_NODE_HTTP);
  return list;
}

/** What each of frank's variants is, for the goals' wording. */
const FRANK_VARIANTS: Record<string, string> = {
  "frank-log-off": "production, access log off",
  "frank-dev": "development, no environment set",
};

export const STARTUP_NODE_HTTP = "node (node:http target, compiled)";
export const STARTUP_FRANK_COMPILED = "node (frank app compiled, dist + serve())";
/** `frank app.ts` where app.ts imports frank from dist/, as an installed package. */
export const STARTUP_FRANK_LAUNCHER = "frank app.ts (launcher; app imports frank from dist)";
/** The same with nothing kept from an earlier start (a fresh TMPDIR): esbuild bundles the app. */
export const STARTUP_FRANK_LAUNCHER_COLD = "frank app.ts, first start (no kept bundle)";
/** The same app.ts after `frank build`, with nothing in the temporary folder: a pod of frank k8s's image. */
export const STARTUP_FRANK_BUILT = "frank app.ts, first start from `frank build` (as in the image)";
/** The bench target as it is, importing frank's TypeScript sources, which are bundled with it. */
export const STARTUP_FRANK_LAUNCHER_SRC = "frank bench/targets/frank.ts (launcher; app imports frank's src/)";
