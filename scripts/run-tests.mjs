#!/usr/bin/env node
// Runs every *.test.ts under src/ and test/ with Node's own test runner (TypeScript via tsx), two
// files at a time, each in a process of its own and each bounded in time, so a hang fails within
// its file's budget instead of stalling the suite.
//
// Usage: node scripts/run-tests.mjs [--unit] [substring-filter ...]
//   --unit   only the tests beside the code (src/**/*.test.ts): the fast loop, `npm run test:unit`
//
// A file gets 30 s unless its first line names another budget and why:
//   // Test timeout: 240 s: three rolling restarts behind nginx, each under a 22-second load.
// Each file runs as `node --import tsx FILE` (node:test runs what the file registers): one process
// per file instead of `--test`'s two, a fifth less CPU. The budget is kept by the watchdog here,
// on every Node: Node 20 ignores --test-timeout outside `--test`, and newer Nodes bound each test
// by it but wait forever for a file whose open handles keep it alive.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
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

/** One file in its own process group, its output kept together and printed when it ends. */
function runFile(file) {
  const timeoutS = timeoutOf(file);
  const started = performance.now();
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "--test-reporter=spec", `--test-timeout=${timeoutS * 1000}`, file],
    { detached: true, stdio: ["ignore", "pipe", "pipe"] },
  );
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
    timeoutS * 1000 + WATCHDOG_GRACE_MS,
  );
  return new Promise((resolve) => {
    child.on("close", (code, signal) => {
      clearTimeout(watchdog);
      running.delete(child);
      const seconds = (performance.now() - started) / 1000;
      const failed = code !== 0 || signal !== null || timedOut;
      const counts = countsOf(output);
      if (timedOut) output += `\n✖ ${file} did not finish within its ${timeoutS} s (ended by run-tests)\n`;
      process.stdout.write(`\n── ${file} (${seconds.toFixed(1)} s of ${timeoutS} s)${failed ? " FAILED" : ""}\n`);
      process.stdout.write(output.trimEnd() + "\n");
      results.push({ file, seconds, failed, counts });
      resolve();
    });
  });
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
const queue = [...files];
await Promise.all(
  Array.from({ length: Math.min(CONCURRENCY, queue.length) }, async () => {
    for (let file = queue.shift(); file !== undefined; file = queue.shift()) await runFile(file);
  }),
);

const total = { tests: 0, pass: 0, fail: 0, cancelled: 0, skipped: 0, todo: 0 };
for (const { counts } of results) for (const name in total) total[name] += counts[name];
const failedFiles = results.filter((result) => result.failed);
const slowest = [...results].sort((a, b) => b.seconds - a.seconds).slice(0, 5);
console.log(`\n${results.length} files in ${((performance.now() - started) / 1000).toFixed(1)} s`);
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
