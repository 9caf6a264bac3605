#!/usr/bin/env node
// Runs the *.test.ts files under src/ and test/ with Node's own test runner (TypeScript via tsx),
// each bounded in time, so a hang fails within its file's budget instead of stalling the suite.
//
// Usage: node scripts/run-tests.mjs [--unit] [substring-filter ...]
//   (default)  every file in a process of its own, two at a time: what `npm test` and CI run
//   --unit     only the tests beside the code (src/**/*.test.ts), in two shared processes, each
//              file a suite of its own (scripts/test-group.mjs): `npm run test:unit`, the fast
//              loop. Starting Node and tsx once per group instead of once per file is most of
//              the saving; a test that leans on state another file left behind shows up here.
//
// A file gets 30 s unless its first line names another budget and why:
//   // Test timeout: 240 s: three rolling restarts behind nginx, each under a 22-second load.
// A file of its own runs as `node --import tsx FILE` (node:test runs what the file registers): one
// process instead of `--test`'s two. Its budget is kept by the watchdog here, on every Node: Node 20
// ignores --test-timeout outside `--test`, and newer Nodes bound each test by it but wait forever
// for a file whose open handles keep it alive. In a shared process the suite's timeout keeps it.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { findFiles } from "./find-files.mjs";

const DEFAULT_TIMEOUT_S = 30;
const CONCURRENCY = 2;
/** Past its budget, a file first gets the chance to report through --test-timeout (Node 22+), then its process group is ended. */
const WATCHDOG_GRACE_MS = 10_000;
const TIMEOUT_LINE = /^\/\/ Test timeout: (\d+) s\b/;

const args = process.argv.slice(2);
const unitOnly = args.includes("--unit");
const filters = args.filter((arg) => arg !== "--unit");
const files = [...findFiles("src", ".test.ts"), ...(unitOnly ? [] : findFiles("test", ".test.ts"))]
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
  .sort();
if (files.length === 0) {
  console.error("no test files matched");
  process.exit(1);
}

function timeoutOf(file) {
  const declared = TIMEOUT_LINE.exec(readFileSync(file, "utf8"));
  return declared ? Number(declared[1]) : DEFAULT_TIMEOUT_S;
}

const running = new Set();
const results = [];

/**
 * One process in a process group of its own, its output kept together and printed when it ends;
 * ended by the watchdog when it outlives `budgetS`. Resolves with the results of its files.
 */
function runProcess(label, args, budgetS, files) {
  const started = performance.now();
  const child = spawn(process.execPath, args, { detached: true, stdio: ["ignore", "pipe", "pipe"] });
  running.add(child);
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  let timedOut = false;
  const watchdog = setTimeout(
    () => {
      timedOut = true;
      endGroup(child, "SIGTERM");
      setTimeout(() => endGroup(child, "SIGKILL"), 5000).unref();
    },
    budgetS * 1000 + WATCHDOG_GRACE_MS,
  );
  return new Promise((resolve) => {
    child.on("close", (code, signal) => {
      clearTimeout(watchdog);
      running.delete(child);
      const seconds = (performance.now() - started) / 1000;
      const failed = code !== 0 || signal !== null || timedOut;
      if (timedOut) output += `\n✖ ${label} did not finish within ${budgetS} s (ended by run-tests)\n`;
      process.stdout.write(`\n── ${label} (${seconds.toFixed(1)} s of ${budgetS} s)${failed ? " FAILED" : ""}\n`);
      process.stdout.write(output.trimEnd() + "\n");
      const counts = countsOf(output);
      if (files.length === 1) results.push({ file: files[0], seconds, failed, counts });
      else {
        // A shared process reports each file as a top-level suite: "✔ src/a.test.ts (812.3ms)".
        for (const [index, file] of files.entries()) {
          const line = suiteLine(output, file);
          results.push({
            file,
            seconds: line ? line.ms / 1000 : 0,
            failed: line ? line.mark !== "✔" : failed,
            // The counts belong to the process; the first file carries them.
            counts: index === 0 ? counts : undefined,
          });
        }
        if (failed && files.every((file) => !results.find((r) => r.file === file)?.failed)) {
          results.push({ file: label, seconds, failed: true, counts: undefined });
        }
      }
      resolve();
    });
  });
}

/** The top-level line the spec reporter writes for a suite: its mark and duration. */
function suiteLine(output, name) {
  for (const line of output.split("\n")) {
    const mark = line[0];
    if ((mark === "✔" || mark === "✖") && line.startsWith(`${mark} ${name} (`)) {
      return { mark, ms: Number.parseFloat(line.slice(mark.length + name.length + 3)) };
    }
  }
  return undefined;
}

/** A file in a process of its own. */
function runFile(file) {
  const budgetS = timeoutOf(file);
  return runProcess(
    file,
    ["--import", "tsx", "--test-reporter=spec", `--test-timeout=${budgetS * 1000}`, file],
    budgetS,
    [file],
  );
}

/** Several files in one process, each a suite bounded by its own budget. */
function runShared(index, group) {
  const budgets = group.map((file) => [file, timeoutOf(file)]);
  const budgetS = budgets.reduce((sum, [, s]) => sum + s, 0);
  const entry = fileURLToPath(new URL("./test-group.mjs", import.meta.url));
  return runProcess(
    `shared process ${index + 1} (${group.length} files)`,
    ["--import", "tsx", "--test-reporter=spec", entry, JSON.stringify(budgets)],
    budgetS,
    group,
  );
}

function endGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** The spec reporter's closing lines: "ℹ tests 12", "ℹ pass 12", … */
function countsOf(output) {
  const counts = { tests: 0, pass: 0, fail: 0, cancelled: 0, skipped: 0, todo: 0 };
  for (const [, name, value] of output.matchAll(/^ℹ (tests|pass|fail|cancelled|skipped|todo) (\d+)$/gm)) {
    counts[name] = Number(value);
  }
  return counts;
}

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    for (const child of running) endGroup(child, "SIGTERM");
    process.exit(130);
  });
}

const started = performance.now();
if (unitOnly) {
  // Heavier files spread over both processes: dealt out in turn, largest first.
  const bySize = [...files].sort((a, b) => readFileSync(b, "utf8").length - readFileSync(a, "utf8").length);
  const groups = Array.from({ length: Math.min(CONCURRENCY, files.length) }, () => []);
  for (const [index, file] of bySize.entries()) groups[index % groups.length].push(file);
  await Promise.all(groups.map((group, index) => runShared(index, group.sort())));
} else {
  const queue = [...files];
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, queue.length) }, async () => {
      for (let file = queue.shift(); file !== undefined; file = queue.shift()) await runFile(file);
    }),
  );
}

const total = { tests: 0, pass: 0, fail: 0, cancelled: 0, skipped: 0, todo: 0 };
for (const { counts } of results) if (counts) for (const name in total) total[name] += counts[name];
const failedFiles = results.filter((result) => result.failed);
const slowest = [...results].sort((a, b) => b.seconds - a.seconds).slice(0, 5);
console.log(`\n${files.length} files in ${((performance.now() - started) / 1000).toFixed(1)} s`);
console.log(
  Object.entries(total)
    .map(([name, value]) => `${name} ${value}`)
    .join(", "),
);
console.log(`slowest: ${slowest.map(({ file, seconds }) => `${file} ${seconds.toFixed(1)} s`).join(", ")}`);
if (failedFiles.length > 0) {
  console.log(`failed files:\n${failedFiles.map(({ file }) => `  ${file}`).join("\n")}`);
  process.exit(1);
}
