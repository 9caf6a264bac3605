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
  /** What the runner asks for to know the target has started (default /hello). */
  readyPath?: string;
  /** Why the target cannot run here, if it cannot. */
  unavailable(): string | undefined;
  launch(port: number): Launch;
  /** A Node target whose memory and startup are compared (nginx and frank's variants are not). */
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

/**
 * frank as `frank k8s`'s Dockerfile and Deployment run it: `frank app.ts` with APP_ENV=production
 * and PORT from the environment, no flags, so the production defaults are on: the JSON access log
 * to stdout, the request id and /metrics. Production binds every interface; the benchmark stays
 * on loopback.
 */
function frankTarget(name: string, extraArgs: string[], env: NodeJS.ProcessEnv, node: boolean): Target {
  return {
    name,
    node,
    unavailable: frankMissing,
    launch: (port) => ({
      command: process.execPath,
      args: [FRANK_BIN, FRANK_APP, ...extraArgs],
      env: { ...env, PORT: String(port), HOST: "127.0.0.1" },
    }),
  };
}

/** Variables that would choose frank's environment: cleared, so each variant gets the one it names. */
const NO_ENVIRONMENT = { APP_ENV: undefined, RACK_ENV: undefined, NODE_ENV: undefined };
const PRODUCTION = { ...NO_ENVIRONMENT, APP_ENV: "production" };

/** Nothing logged or counted, like the peers without their loggers: what the observability variants add to. */
const FRANK_BARE = frankTarget("frank-bare", ["--access-log", "off", "--metrics", "off"], PRODUCTION, false);

export const TARGETS: Target[] = [
  nodeTarget("node:http", "node-http.ts"),
  frankTarget("frank", [], PRODUCTION, true),
  frankTarget("frank-log-off", ["--access-log", "off"], PRODUCTION, false),
  FRANK_BARE,
  // What people try first: no environment at all, so development (readable log lines, reload on).
  { ...frankTarget("frank-dev", [], NO_ENVIRONMENT, false), scenarios: ["hello", "missing"] },
  ...observabilityTargets(FRANK_BARE),
  nodeTarget("fastify", "fastify.ts"),
  nodeTarget("hono", "hono.ts"),
  nodeTarget("h3", "h3.ts"),
  nodeTarget("express", "express.ts"),
  {
    name: "nginx",
    node: false,
    scenarios: STATIC_SCENARIOS,
    readyPath: "/static/small.txt",
    unavailable: nginxMissing,
    launch: (port) => {
      const { args, cleanup } = nginxConfig(port);
      return { command: NGINX, args, cleanup };
    },
  },
];

export const BASELINE = "node:http";
