#!/usr/bin/env node
// Runs every *.test.ts under src/ and test/ with Node's own test runner (TypeScript via tsx).
// Node 20's `--test` does not expand globs, so the file list is gathered here.
// Usage: node scripts/run-tests.mjs [substring-filter ...]
import { spawn } from "node:child_process";
import { findFiles } from "./find-files.mjs";

const filters = process.argv.slice(2);
const files = [...findFiles("src", ".test.ts"), ...findFiles("test", ".test.ts")]
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
  .sort();
if (files.length === 0) {
  console.error("no test files matched");
  process.exit(1);
}

const child = spawn(
  process.execPath,
  ["--import", "tsx", "--test", "--test-concurrency=2", "--test-timeout=300000", ...files],
  { stdio: "inherit" },
);
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
