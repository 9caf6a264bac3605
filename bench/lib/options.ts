/** Command-line options of `npm run bench`. */
import { parseArgs } from "node:util";
import { SCENARIOS, type ScenarioName } from "./scenarios.js";
import { TARGETS } from "./targets.js";

export interface Options {
  mode: "full" | "quick";
  rounds: number;
  seconds: number;
  warmupSeconds: number;
  connections: number;
  footprintRequests: number;
  startupRepeats: number;
  targets: string[];
  scenarios: ScenarioName[];
  footprint: boolean;
  /** The WebSocket echo scenario (frank against ws alone). */
  websocket: boolean;
  out: string;
  readme: boolean;
}

export const USAGE = `npm run bench [-- options]
  --quick              1-2 minutes: 2 rounds of 1 s, fewer requests for memory (writes .bench/quick.json)
  --targets a,b        only these targets (${TARGETS.map((t) => t.name).join(", ")}); node:http is always kept
  --scenarios a,b      only these scenarios (${SCENARIOS.map((s) => s.name).join(", ")})
  --rounds N --seconds S --warmup S --connections C
  --no-footprint       skip startup and memory
  --no-websocket       skip the WebSocket echo (frank against ws alone)
  --out FILE           JSON results (default bench/results/latest.json, quick: .bench/quick.json)
  --no-readme          do not update the table in bench/README.md (full runs only)`;

export function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: "boolean", default: false },
      targets: { type: "string" },
      scenarios: { type: "string" },
      rounds: { type: "string" },
      seconds: { type: "string" },
      warmup: { type: "string" },
      connections: { type: "string" },
      "no-footprint": { type: "boolean", default: false },
      "no-websocket": { type: "boolean", default: false },
      out: { type: "string" },
      "no-readme": { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const list = (text: string | undefined, known: string[], what: string) => {
    if (!text) return known;
    const wanted = text
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    for (const name of wanted)
      if (!known.includes(name)) throw new Error(`unknown ${what} ${name}; known: ${known.join(", ")}`);
    return wanted;
  };
  const number = (text: string | undefined, fallback: number) => {
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!(n > 0)) throw new Error(`expected a positive number, got ${text}`);
    return n;
  };
  const quick = values.quick;
  const targets = list(
    values.targets,
    TARGETS.map((t) => t.name),
    "target",
  );
  return {
    mode: quick ? "quick" : "full",
    rounds: Math.round(number(values.rounds, quick ? 2 : 3)),
    // wrk takes whole seconds.
    seconds: Math.ceil(number(values.seconds, quick ? 1 : 3)),
    warmupSeconds: Math.ceil(number(values.warmup, 1)),
    connections: Math.round(number(values.connections, 50)),
    footprintRequests: quick ? 20_000 : 100_000,
    startupRepeats: quick ? 3 : 7,
    targets: targets.includes("node:http") ? targets : ["node:http", ...targets],
    scenarios: list(
      values.scenarios,
      SCENARIOS.map((s) => s.name),
      "scenario",
    ) as ScenarioName[],
    footprint: !values["no-footprint"],
    websocket: !values["no-websocket"],
    out: values.out ?? (quick ? ".bench/quick.json" : "bench/results/latest.json"),
    readme: !quick && !values["no-readme"],
  };
}
