// Running the `frank` command as a user runs it, for the launcher's tests: real processes, real
// sockets on loopback, a laptop's environment.
import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";
import { fileURLToPath } from "node:url";
import { childOutput } from "./child-output.js";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const MAIN = join(ROOT, "src/cli/main.ts");
export const FIXTURES = join(ROOT, "test/fixtures/apps");
/** tsx by location, so frank also starts from folders outside the repository. */
export const TSX = import.meta.resolve("tsx");

/** The environment of a laptop: no container, no environment variables of ours. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, FRANK_CONTAINER: "0" };
  return { ...env, ...extra };
}

export interface Frank {
  child: ChildProcess;
  output(): string;
  /** Resolves when the output matches; rejects when frank exits first. */
  said(pattern: RegExp): Promise<RegExpExecArray>;
  /** The first URL of the banner, once frank listens ("" when frank exits without one). */
  url: Promise<string>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts frank from its sources (through tsx), or with `compiled` as users run it: bin/frank.js on dist/. */
export function frank(
  args: string[],
  options: { env?: Record<string, string>; cwd?: string; compiled?: boolean } = {},
): Frank {
  const command = options.compiled ? [join(ROOT, "bin/frank.js"), ...args] : ["--import", TSX, MAIN, ...args];
  const child = spawn(process.execPath, command, { cwd: options.cwd ?? ROOT, env: cleanEnv(options.env) });
  const output = childOutput(child);
  const exit = once(child, "exit").then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  const url = output.said(/^ {3}(http:\/\/\S+\/)\n/m, 60_000).then(
    (match) => match[1],
    () => "",
  );
  return { child, output: output.text, said: output.said, url, exit };
}

/** Runs frank to completion (for commands that end, and for errors). */
export function frankOnce(args: string[], options: { env?: Record<string, string>; cwd?: string } = {}) {
  const result = spawnSync(process.execPath, ["--import", TSX, MAIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env: cleanEnv(options.env),
    encoding: "utf8",
    timeout: 30_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Waits until frank has printed something matching PATTERN: driven by its output, not by polling. */
export async function printed(running: Frank, pattern: RegExp): Promise<void> {
  await running.said(pattern);
}

export async function stop(running: Frank, signal: NodeJS.Signals = "SIGTERM") {
  if (running.child.exitCode === null) running.child.kill(signal);
  return running.exit;
}

/**
 * Runs `examples/<name>/app.ts` with the `frank` command as production runs it, on loopback;
 * stopped after the test. Resolves to its URL.
 */
export async function startExample(t: TestContext, name: string, env?: Record<string, string>): Promise<string> {
  const running = frank([`examples/${name}/app.ts`, "-E", "production", "-o", "127.0.0.1", "-p", "0"], { env });
  t.after(() => stop(running));
  const url = await running.url;
  assert.ok(url, running.output());
  return url;
}

/** A scratch folder that is an ES module package, for apps that must not sit in the repository. */
export function scratch(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "frank-launcher-"));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** A scratch folder (see `scratch`) whose apps can `import { App } from "frank"`: this checkout's build. */
export function scratchWithFrank(files: Record<string, string>): string {
  const dir = scratch(files);
  mkdirSync(join(dir, "node_modules"), { recursive: true });
  symlinkSync(ROOT, join(dir, "node_modules", "frank"), "dir");
  return dir;
}
