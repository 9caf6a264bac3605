/** The servers under test and how each one is started. */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { NGINX, nginxConfig, nginxMissing } from "./nginx.js";
import { observabilityTargets } from "./observability-targets.js";
import { STATIC_SCENARIOS, type ScenarioName } from "./scenarios.js";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface Launch {
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cleanup?(): void;
}

export interface Target {
  name: string;
  /** Scenarios this target takes part in (nginx: only files). */
  scenarios?: ScenarioName[];
  /** Why the target cannot run here, if it cannot. */
  unavailable(): string | undefined;
  launch(port: number): Launch;
  /** A Node target whose memory and startup are compared (nginx is not). */
  node: boolean;
}

/** Every Node target runs its TypeScript file through tsx, as frank's launcher does for apps. */
const nodeTarget = (name: string, file: string): Target => ({
  name,
  node: true,
  unavailable: () => undefined,
  launch: (port) => ({
    command: process.execPath,
    args: ["--import", "tsx", `bench/targets/${file}`],
    env: { PORT: String(port) },
  }),
});

/** frank's target is the App in bench/targets/frank.ts, run through frank's own launcher. */
export const FRANK_APP = "bench/targets/frank.ts";
export const FRANK_BIN = "bin/frank.js";

export function frankMissing(): string | undefined {
  const index = `${ROOT}src/index.ts`;
  if (
    !existsSync(index) ||
    !/export\s*\{[^}]*\bApp\b|export\s+(class|const)\s+App\b|export \* from/.test(readFileSync(index, "utf8"))
  ) {
    return "src/index.ts does not export App yet";
  }
  if (!existsSync(`${ROOT}${FRANK_BIN}`)) return `${FRANK_BIN} does not exist yet`;
  if (!existsSync(`${ROOT}${FRANK_APP}`)) return `${FRANK_APP} does not exist yet`;
  return undefined;
}

const FRANK: Target = {
  name: "frank",
  node: true,
  unavailable: frankMissing,
  launch: (port) => ({
    command: process.execPath,
    // No access log and no metrics: none of the peers logs or counts requests by default either.
    args: [
      FRANK_BIN,
      FRANK_APP,
      "-p",
      String(port),
      "-E",
      "production",
      "-q",
      "--access-log",
      "off",
      "--metrics",
      "off",
    ],
    // Production binds every interface by default; the benchmark stays on loopback.
    env: { HOST: "127.0.0.1" },
  }),
};

export const TARGETS: Target[] = [
  nodeTarget("node:http", "node-http.ts"),
  FRANK,
  ...observabilityTargets(FRANK),
  nodeTarget("fastify", "fastify.ts"),
  nodeTarget("hono", "hono.ts"),
  nodeTarget("h3", "h3.ts"),
  nodeTarget("express", "express.ts"),
  {
    name: "nginx",
    node: false,
    scenarios: STATIC_SCENARIOS,
    unavailable: nginxMissing,
    launch: (port) => {
      const { args, cleanup } = nginxConfig(port);
      return { command: NGINX, args, cleanup };
    },
  },
];

export const BASELINE = "node:http";
