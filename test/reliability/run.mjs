#!/usr/bin/env node
// `npm run test:reliability`: the property tests (src/**/*.property.test.ts and
// test/**/*.property.test.ts, with more generated cases than `npm test` gives them), then the
// real-server runs in test/reliability/*.reliability.ts: adversarial Accept-Encoding, hostile
// input, slow clients, and the soak last. One file at a time, so the soak has the machine to itself.
import { join } from "node:path";
import { spawn } from "node:child_process";
import { findFiles } from "../../scripts/find-files.mjs";

const soakLast = (a, b) =>
  Number(a.endsWith("soak.reliability.ts")) - Number(b.endsWith("soak.reliability.ts")) || a.localeCompare(b);
const files = [
  ...findFiles("src", ".property.test.ts"),
  ...findFiles("test", ".property.test.ts"),
  ...findFiles(join("test", "reliability"), ".reliability.ts").sort(soakLast),
];

const child = spawn(
  process.execPath,
  ["--import", "tsx", "--test", "--test-concurrency=1", "--test-timeout=600000", ...files],
  { stdio: "inherit", env: { FRANK_PROPERTY_RUNS: "10000", ...process.env } },
);
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
