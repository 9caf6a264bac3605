/**
 * `npm run bench`: frank against raw node:http, Fastify, Hono, h3, Express and nginx,
 * all measured in one run and reported as ratios. See bench/README.md.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, release, tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { type CliTiming, hyperfineMissing, measureCliStartup } from "../test/support/cli-startup.js";
import { installApp, packFrank } from "../test/support/install-size.js";
import { compileFrank, compileNodeHttp, frankAppBuilt, frankAppImportingDist } from "./lib/compiled.js";
import { footprint, startupTimes, type Footprint, type StartupResult, type Variant } from "./lib/footprint.js";
import { measure, type Sample } from "./lib/measure.js";
import { parseOptions } from "./lib/options.js";
import { ask, freePort, startServer, stopServer, type Server } from "./lib/processes.js";
import { markdown } from "./lib/report.js";
import {
  STARTUP_FRANK_BUILT,
  STARTUP_FRANK_COMPILED,
  STARTUP_FRANK_LAUNCHER,
  STARTUP_FRANK_LAUNCHER_COLD,
  STARTUP_FRANK_LAUNCHER_SRC,
  STARTUP_NODE_HTTP,
  GOAL_TARGETS,
  cells,
  goals,
  type InstallSize,
  type Results,
} from "./lib/results.js";
import { POST_CHECK_BODY, SCENARIOS, type Scenario } from "./lib/scenarios.js";
import { writeFixtures } from "./lib/fixtures.js";
import { BASELINE, FRANK_BIN, ROOT, TARGETS, type Launch, type Target } from "./lib/targets.js";
import { measureWebSocketEcho, type WebSocketEchoResult, websocketMarkdown } from "./lib/websocket-echo.js";

const log = (line: string) => process.stderr.write(`${line}\n`);
const options = parseOptions(process.argv.slice(2));
process.chdir(ROOT);

/** A version number from a command's output (wrk and nginx print theirs on stderr). */
function version(command: string, args: string[], pattern: RegExp): string {
  const { stdout, stderr } = spawnSync(command, args, { encoding: "utf8", timeout: 5000 });
  return pattern.exec(`${stdout}${stderr}`)?.[1] ?? "unknown";
}

if (!existsSync("/usr/bin/wrk")) {
  log("wrk is not installed (apt-get install wrk); nothing to measure.");
  process.exit(1);
}

// Load generator on CPU 0 with this runner (all its threads: -a), servers on CPU 1.
const cpuCount = availableParallelism();
const pinned = cpuCount >= 2;
const loadCpu = pinned ? 0 : undefined;
const serverCpu = pinned ? 1 : undefined;
if (pinned) execFileSync("taskset", ["-a", "-p", "-c", "0", String(process.pid)], { stdio: "ignore" });
else log("Only one CPU: wrk and the servers share it, so the numbers say little.");

writeFixtures();

const skipped: Results["skipped"] = [];
const selected = TARGETS.filter((t) => options.targets.includes(t.name)).filter((t) => {
  const reason = t.unavailable();
  if (reason) {
    skipped.push({ target: t.name, reason });
    log(`Skipping ${t.name}: ${reason}`);
  }
  return !reason;
});

// frank's launcher and the compiled-app startup need dist/ to be current.
if (selected.some((t) => t.name.startsWith("frank"))) {
  log("Building frank (npm run build)...");
  try {
    execFileSync("npm", ["run", "--silent", "build"], { stdio: ["ignore", "pipe", "pipe"], timeout: 180_000 });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: Buffer; stderr?: Buffer };
    const why = `${stdout ?? ""}${stderr ?? ""}`.trim().split("\n").slice(0, 5).join("\n") || String(error);
    log(`npm run build failed (frank runs from the dist/ it has):\n${why}`);
  }
}

const scenarios = SCENARIOS.filter((s) => options.scenarios.includes(s.name));
const takesPart = (target: Target, scenario: Scenario) => !target.scenarios || target.scenarios.includes(scenario.name);

interface Running {
  target: Target;
  server: Server;
  launch: Launch;
  valid: Set<string>;
}

const running: Running[] = [];
const wrongAnswers: Results["wrongAnswers"] = [];
const samples: Sample[] = [];
const footprints: Footprint[] = [];
let startup: StartupResult[] = [];
let cli: CliTiming[] = [];
let install: InstallSize | undefined;
let websocketEcho: WebSocketEchoResult | undefined;

/**
 * The order of one round: first the targets the goals compare (GOAL_TARGETS), back to back so
 * the host's slow drifts hit both sides of a ratio alike, then the rest. Each group is rotated
 * by one every round, so no target always goes first or last.
 */
function roundOrder(all: Running[], round: number): Running[] {
  const rotated = (group: Running[]) => group.map((_, i) => group[(i + round) % group.length]!);
  const compared = all.filter((r) => GOAL_TARGETS.has(r.target.name));
  return [...rotated(compared), ...rotated(all.filter((r) => !GOAL_TARGETS.has(r.target.name)))];
}

async function stopAll(): Promise<void> {
  for (const r of running.splice(0)) {
    await stopServer(r.server);
    r.launch.cleanup?.();
  }
}

process.once("SIGINT", () => {
  log("Interrupted; stopping servers.");
  void stopAll().then(() => process.exit(130));
});

try {
  for (const target of selected) {
    const port = await freePort();
    const launch = target.launch(port);
    try {
      const readyPath = target.readyPath ?? "/hello";
      const server = await startServer({ ...launch, cpu: serverCpu, port, readyPath });
      const valid = new Set<string>();
      for (const scenario of scenarios.filter((s) => takesPart(target, s))) {
        const answer = await ask(port, scenario.path, scenario.script ? POST_CHECK_BODY : undefined);
        const problem = scenario.check(answer);
        if (problem)
          wrongAnswers.push({ target: target.name, scenario: scenario.name, problem: `wrong answer: ${problem}` });
        else valid.add(scenario.name);
      }
      running.push({ target, server, launch, valid });
      log(`Started ${target.name} (pid ${server.pid}, port ${port}, ${Math.round(server.startupMs)} ms)`);
    } catch (error) {
      launch.cleanup?.();
      skipped.push({
        target: target.name,
        reason: `did not start: ${(error as Error).message.split("\n").slice(0, 6).join(" | ")}`,
      });
      log(`Skipping ${target.name}: ${(error as Error).message}`);
    }
  }
  for (const w of wrongAnswers) log(`Not measuring ${w.target} ${w.scenario}: ${w.problem}`);

  const load = { seconds: options.seconds, connections: options.connections, loadCpu };
  const warmup = { ...load, seconds: options.warmupSeconds };
  log(`Warm-up: ${options.warmupSeconds} s per cell...`);
  // A cell whose wrk run fails (the server died, wrk crashed) is reported and left out.
  const attempt = async (r: Running, scenario: Scenario, settings: typeof load) => {
    try {
      return await measure(r.server, scenario, settings);
    } catch (error) {
      r.valid.delete(scenario.name);
      wrongAnswers.push({
        target: r.target.name,
        scenario: scenario.name,
        problem: `wrk failed: ${(error as Error).message.split("\n")[0]}`,
      });
      log(`${r.target.name} ${scenario.name}: ${(error as Error).message}\n${r.server.output()}`);
      return undefined;
    }
  };
  for (const r of running) {
    for (const scenario of scenarios) if (r.valid.has(scenario.name)) await attempt(r, scenario, warmup);
  }
  for (let round = 0; round < options.rounds; round++) {
    log(`Round ${round + 1}/${options.rounds}...`);
    for (const scenario of scenarios) {
      const order = roundOrder(running, round);
      for (const r of order) {
        if (!r.valid.has(scenario.name)) continue;
        const sample = await attempt(r, scenario, load);
        if (sample) samples.push({ round, target: r.target.name, ...sample });
      }
    }
  }
  await stopAll();

  if (options.websocket && selected.some((t) => t.name === "frank") && !skipped.some((s) => s.target === "frank")) {
    try {
      websocketEcho = await measureWebSocketEcho({ ...load, rounds: options.rounds, serverCpu, log });
    } catch (error) {
      log(`WebSocket echo not measured: ${(error as Error).message}`);
    }
  }

  if (options.footprint) {
    // Quick runs keep to what the goals compare: frank and node:http.
    const measured = (t: Target) =>
      t.node &&
      !skipped.some((s) => s.target === t.name) &&
      (options.mode === "full" || t.name === "frank" || t.name === BASELINE);
    const variants = [...selected.filter(measured), ...compiledVariants()];
    log(`Footprint: idle RSS, RSS after ${options.footprintRequests.toLocaleString("en-US")} requests...`);
    for (const variant of variants) {
      try {
        footprints.push(
          await footprint(variant, {
            serverCpu,
            requests: options.footprintRequests,
            connections: options.connections,
            settleMs: 1000,
          }),
        );
      } catch (error) {
        log(`Footprint of ${variant.name} failed: ${(error as Error).message}`);
      }
    }
    startup = await measureStartup();
    cli = measureCli();
    if (options.mode === "full") install = measureInstall();
  }
} finally {
  await stopAll();
}

/** node:http and, when dist/ is built, the frank app, transpiled to JavaScript and started by plain `node`. */
function compiledVariants(): Variant[] {
  const nodeHttp = compileNodeHttp();
  const variants: Variant[] = [
    {
      name: STARTUP_NODE_HTTP,
      launch: (port) => ({ command: process.execPath, args: [nodeHttp], env: { PORT: String(port) } }),
    },
  ];
  if (selected.some((t) => t.name === "frank") && !skipped.some((s) => s.target === "frank")) {
    const compiled = compileFrank();
    if ("entry" in compiled) {
      variants.push({
        name: STARTUP_FRANK_COMPILED,
        launch: (port) => ({ command: process.execPath, args: [compiled.entry], env: { PORT: String(port) } }),
      });
    } else {
      log(`The compiled frank app is not measured: ${compiled.missing}`);
    }
  }
  return variants;
}

async function measureStartup(): Promise<StartupResult[]> {
  const variants = compiledVariants();
  const frank = selected.find((t) => t.name === "frank");
  if (frank && !skipped.some((s) => s.target === "frank")) {
    variants.push({ name: STARTUP_FRANK_LAUNCHER_SRC, launch: frank.launch });
    const app = frankAppImportingDist();
    if ("file" in app) {
      const launch = (port: number): Launch => ({
        ...frank.launch(port),
        args: [FRANK_BIN, relative(ROOT, app.file), "-p", String(port), "-E", "production", "-q"],
      });
      variants.push({ name: STARTUP_FRANK_LAUNCHER, launch });
      variants.push({
        name: STARTUP_FRANK_LAUNCHER_COLD,
        launch: (port) => {
          // A temporary folder of its own: no bundle kept from an earlier start.
          const tmp = mkdtempSync(join(tmpdir(), "frank-bench-cold-"));
          const warm = launch(port);
          return {
            ...warm,
            env: { ...warm.env, TMPDIR: tmp },
            cleanup: () => rmSync(tmp, { recursive: true, force: true }),
          };
        },
      });
    } else {
      log(`Startup of frank on an app importing dist/ not measured: ${app.missing}`);
    }
    // As a pod of frank k8s's image starts: built at image build time, nothing in /tmp.
    const built = frankAppBuilt();
    if ("file" in built) {
      variants.push({
        name: STARTUP_FRANK_BUILT,
        launch: (port) => {
          const tmp = mkdtempSync(join(tmpdir(), "frank-bench-built-"));
          const launch = frank.launch(port);
          return {
            ...launch,
            args: [FRANK_BIN, relative(ROOT, built.file), "-p", String(port), "-E", "production", "-q"],
            env: { ...launch.env, TMPDIR: tmp },
            cleanup: () => rmSync(tmp, { recursive: true, force: true }),
          };
        },
      });
    } else {
      log(`Startup from a frank build not measured: ${built.missing}`);
    }
  }
  log(`Startup: ${options.startupRepeats} starts each of ${variants.length} variants...`);
  try {
    return await startupTimes(variants, options.startupRepeats, serverCpu);
  } catch (error) {
    log(`Startup measurement failed: ${(error as Error).message}`);
    return [];
  }
}

/** `frank --help`, `frank config` and `frank doctor -f` against `node -e 0`, pinned like the servers. */
function measureCli(): CliTiming[] {
  const missing = hyperfineMissing();
  if (missing) {
    log(`Start-up of the CLI not measured: ${missing}`);
    return [];
  }
  log("CLI start-up: hyperfine...");
  try {
    return measureCliStartup(options.mode === "full" ? 30 : 10, 3, serverCpu);
  } catch (error) {
    log(`CLI start-up measurement failed: ${(error as Error).message}`);
    return [];
  }
}

/** What `npm ci --omit=dev` installs for an app that depends on frank (needs the registry). */
function measureInstall(): InstallSize | undefined {
  log("Install size: npm pack, npm ci --omit=dev in a fresh folder...");
  const work = mkdtempSync(join(tmpdir(), "frank-bench-pack-"));
  try {
    const { dir, packages, bytes, diskBytes } = installApp(packFrank(work));
    rmSync(dir, { recursive: true, force: true });
    return { packages, bytes, diskBytes };
  } catch (error) {
    log(`Install size not measured: ${(error as Error).message.split("\n")[0]}`);
    return undefined;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const results: Results = {
  date: new Date().toISOString(),
  mode: options.mode,
  machine: {
    cpu: cpus()[0]?.model.trim() ?? "unknown",
    cpus: cpuCount,
    kernel: `Linux ${release()}`,
    node: process.versions.node,
    wrk: `wrk ${version("wrk", ["-v"], /wrk (\S+)/)}`,
    nginx: version("/usr/sbin/nginx", ["-v"], /nginx\/(\S+)/),
  },
  settings: {
    rounds: options.rounds,
    seconds: options.seconds,
    warmupSeconds: options.warmupSeconds,
    connections: options.connections,
    footprintRequests: options.footprintRequests,
    startupRepeats: options.startupRepeats,
    pinning: pinned ? "wrk and the runner pinned to CPU 0, servers to CPU 1 (taskset)" : "no CPU pinning (one CPU)",
  },
  skipped,
  wrongAnswers,
  cells: cells(samples),
  footprint: footprints,
  startup,
  cli,
  install,
  goals: goals(samples, footprints, startup, cli, install),
  samples,
  websocketEcho,
};

const table = markdown(results) + (websocketEcho ? websocketMarkdown(websocketEcho) : "");
process.stdout.write(table);
// An absolute --out stays where it points; a relative one is from the repository root.
const outPath = resolve(ROOT, options.out);
mkdirSync(dirname(outPath), { recursive: true });
writeFileSync(outPath, JSON.stringify(results, null, 2) + "\n");
log(`Results written to ${options.out}`);

if (options.readme) {
  const readme = join(ROOT, "bench/README.md");
  const text = readFileSync(readme, "utf8");
  const begin = "<!-- bench:latest:begin -->";
  const end = "<!-- bench:latest:end -->";
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  if (from !== -1 && to > from) {
    writeFileSync(readme, `${text.slice(0, from + begin.length)}\n${table}${text.slice(to)}`);
    log("Table updated in bench/README.md");
  }
}
