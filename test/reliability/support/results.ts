// The numbers a reliability run measured, kept in test-output/reliability/<name>.json so
// docs/reliability.md can quote the last run.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const DIRECTORY = join("test-output", "reliability");

export function recordResults(name: string, results: Record<string, unknown>): void {
  mkdirSync(DIRECTORY, { recursive: true });
  writeFileSync(
    join(DIRECTORY, `${name}.json`),
    JSON.stringify({ recordedAt: new Date().toISOString(), ...results }, null, 2) + "\n",
  );
}
