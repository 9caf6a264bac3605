/**
 * `npm run bench:profile -- [scenario...] [--log-off]`: runs frank's bench target through its launcher,
 * with the production defaults (access log on) unless --log-off,
 * under `node --cpu-prof`, loads it with wrk for each scenario, and prints the functions
 * with the most self time — all of them, and frank's own (src/).
 * Profiles are kept in .bench/profiles/ for a flame graph (Chrome DevTools, speedscope).
 */
import { mkdirSync, readdirSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import { selfTimes } from "./lib/cpu-profile.js";
import { writeFixtures } from "./lib/fixtures.js";
import { measure } from "./lib/measure.js";
import { freePort, startServer, stopServer } from "./lib/processes.js";
import { SCENARIOS } from "./lib/scenarios.js";
import { FRANK_APP, FRANK_BIN, ROOT, frankMissing } from "./lib/targets.js";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    seconds: { type: "string", default: "5" },
    top: { type: "string", default: "15" },
    "log-off": { type: "boolean", default: false },
  },
});
const wanted = positionals.length ? positionals : ["hello", "user"];
const scenarios = SCENARIOS.filter((s) => wanted.includes(s.name));
if (scenarios.length !== wanted.length) throw new Error(`unknown scenario among ${wanted.join(", ")}`);
const missing = frankMissing();
if (missing) {
  console.error(`Cannot profile frank: ${missing}`);
  process.exit(1);
}
process.chdir(ROOT);
writeFixtures();
const pinned = availableParallelism() >= 2;
const top = Number(values.top);
const total = (times: { selfMs: number }[]) => times.reduce((sum, t) => sum + t.selfMs, 0);

for (const scenario of scenarios) {
  const dir = join(ROOT, ".bench/profiles", scenario.name);
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const server = await startServer({
    command: process.execPath,
    args: [
      "--cpu-prof",
      "--cpu-prof-dir",
      dir,
      FRANK_BIN,
      FRANK_APP,
      "-p",
      String(port),
      "-q",
      // As deployed: the production defaults, access log and request id on (--log-off for the rest).
      ...(values["log-off"] ? ["--access-log", "off"] : []),
    ],
    env: { HOST: "127.0.0.1", APP_ENV: "production" },
    cpu: pinned ? 1 : undefined,
    port,
    readyPath: "/hello",
  });
  const before = new Set(readdirSync(dir));
  let rps = 0;
  try {
    await measure(server, scenario, { seconds: 1, connections: 50, loadCpu: pinned ? 0 : undefined });
    rps = (
      await measure(server, scenario, {
        seconds: Number(values.seconds),
        connections: 50,
        loadCpu: pinned ? 0 : undefined,
      })
    ).requestsPerSecond;
  } finally {
    await stopServer(server); // SIGTERM: frank exits cleanly, and V8 writes the profile
  }
  const written = readdirSync(dir).filter((f) => f.endsWith(".cpuprofile") && !before.has(f));
  if (written.length === 0) {
    console.error(`${scenario.name}: no profile written (did the server exit cleanly?)`);
    continue;
  }
  // One profile per thread (tsx's loader runs in a worker): the busiest one served the requests.
  const busiest = written
    .map((name) => ({ file: join(dir, name), times: selfTimes(join(dir, name)) }))
    .sort((a, b) => total(b.times) - total(a.times))[0]!;
  const { file, times } = busiest;
  const row = (t: (typeof times)[number]) =>
    `| ${t.functionName} | ${t.location.startsWith("/") ? relative(ROOT, t.location) : t.location} | ${(t.share * 100).toFixed(1)}% |`;
  console.log(
    `\n### ${scenario.name} (${Math.round(rps).toLocaleString("en-US")} req/s under the profiler) — ${relative(ROOT, file)}\n`,
  );
  console.log("All code, by self time (share of busy samples):\n\n| function | where | self |\n|---|---|--:|");
  for (const t of times.slice(0, top)) console.log(row(t));
  const own = times.filter((t) => t.location.startsWith(join(ROOT, "src/")));
  const ownShare = own.reduce((sum, t) => sum + t.share, 0);
  console.log(
    `\nfrank's own code (src/), ${(ownShare * 100).toFixed(1)}% of samples:\n\n| function | where | self |\n|---|---|--:|`,
  );
  for (const t of own.slice(0, top)) console.log(row(t));
}
