// How long frank's quick commands take to start and finish, against `node -e 0`: hyperfine runs
// each command repeatedly (no shell in between) in an empty folder, and the means are compared.
// Reported by test/cli-startup.test.ts and `npm run bench`, never asserted in a test.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "..", "..");
const FRANK = join(ROOT, "bin", "frank.js");
/** A Deployment and its Service: a small file for `frank doctor -f`. */
export const SMALL_MANIFEST = join(ROOT, "test", "fixtures", "manifests", "clean", "frank-app.yaml");

export const CLI_COMMANDS: { name: string; args: string[] }[] = [
  { name: "node -e 0", args: ["-e", "0"] },
  { name: "frank --help", args: [FRANK, "--help"] },
  { name: "frank config", args: [FRANK, "config"] },
  { name: "frank doctor -f small.yaml", args: [FRANK, "doctor", "-f", SMALL_MANIFEST] },
];

export interface CliTiming {
  name: string;
  meanMs: number;
  medianMs: number;
  /** Mean over `node -e 0`'s mean. */
  ratio: number;
}

export function hyperfineMissing(): string | undefined {
  return spawnSync("hyperfine", ["--version"]).status === 0 ? undefined : "hyperfine is not installed";
}

/** Runs every command `runs` times after `warmup` runs (hyperfine -N), in a fresh empty folder. */
export function measureCliStartup(runs = 20, warmup = 3, cpu?: number): CliTiming[] {
  const folder = mkdtempSync(join(tmpdir(), "frank-cli-startup-"));
  try {
    const report = join(folder, "hyperfine.json");
    const quote = (word: string) => (/^[\w./=-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`);
    const commands = CLI_COMMANDS.map(({ args }) => [process.execPath, ...args].map(quote).join(" "));
    const pin = cpu === undefined ? [] : ["taskset", "-c", String(cpu)];
    execFileSync(
      pin[0] ?? "hyperfine",
      [
        ...pin.slice(1),
        ...(pin.length ? ["hyperfine"] : []),
        "-N",
        "--warmup",
        String(warmup),
        "--runs",
        String(runs),
        "--export-json",
        report,
        "--style",
        "none",
        ...commands,
      ],
      { cwd: folder, stdio: "ignore", timeout: 600_000, env: { ...process.env, APP_ENV: "", NODE_ENV: "" } },
    );
    const { results } = JSON.parse(readFileSync(report, "utf8")) as {
      results: { mean: number; median: number }[];
    };
    const base = results[0].mean;
    return CLI_COMMANDS.map(({ name }, i) => ({
      name,
      meanMs: results[i].mean * 1000,
      medianMs: results[i].median * 1000,
      ratio: results[i].mean / base,
    }));
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
