// `node bin/frank.js …` as a child process on a free loopback port, with what it says and how it
// exits, for tests that need the real launcher (its -r, its flags, its signals).
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import type { TestContext } from "node:test";
import { REPO_ROOT } from "./frank-in-pod.js";
import { httpGet } from "./http.js";
import { freePort } from "./ports.js";
import { waitFor } from "./wait.js";

export interface FrankProcess {
  child: ChildProcess;
  port: number;
  /** http://127.0.0.1:PORT, no trailing slash. */
  url: string;
  /** stdout and stderr so far, interleaved. */
  output(): string;
  /** Resolves once the output matches; rejects if frank exits first. */
  said(pattern: RegExp): Promise<void>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts frank with ARGS (the app file among them) and exactly ENV plus PATH and HOME, and
 * waits until it answers on `readyPath` (any status). Killed after the test if still running.
 */
export async function startFrankProcess(
  t: TestContext,
  args: string[],
  env: Record<string, string> = {},
  readyPath = "/livez",
): Promise<FrankProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ["bin/frank.js", "-p", String(port), "--host", "127.0.0.1", ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, FRANK_CONTAINER: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const listeners = new Set<() => void>();
  const onData = (chunk: string) => {
    output += chunk;
    for (const listener of listeners) listener();
  };
  child.stdout!.setEncoding("utf8").on("data", onData);
  child.stderr!.setEncoding("utf8").on("data", onData);
  const exit = once(child, "exit").then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  const said = (pattern: RegExp) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (pattern.test(output)) {
          listeners.delete(check);
          resolve();
        }
      };
      listeners.add(check);
      check();
      exit.then(() => {
        if (!pattern.test(output)) reject(new Error(`frank exited without saying ${pattern}:\n${output}`));
      });
    });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`frank exited:\n${output}`);
      return (await httpGet(url + readyPath, { timeoutMs: 500 })).status > 0;
    },
    { description: `frank on port ${port}`, timeoutMs: 30_000 },
  ).catch((error: Error) => {
    throw new Error(`${error.message}\n${output}`);
  });
  return { child, port, url, output: () => output, said, exit };
}
