// Runs the frank launcher (`node bin/frank.js …`, from the repository root) inside a pod,
// as a container's command would, and waits until it serves.
import type { ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Pod } from "./netns.js";
import { waitFor } from "./wait.js";

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const LAUNCHER = `${REPO_ROOT}bin/frank.js`;

/** Why the launcher cannot run here, or undefined when it can. */
export function launcherUnavailableReason(): string | undefined {
  if (!existsSync(LAUNCHER)) return "bin/frank.js is missing";
  if (!existsSync(`${REPO_ROOT}dist/cli/main.js`)) return "dist/ is missing (run `npm run build`)";
  return undefined;
}

export interface FrankInPod {
  child: ChildProcess;
  /** Everything frank wrote so far, stdout and stderr interleaved. */
  output(): string;
}

/**
 * Starts `frank ARGS` in the pod with exactly ENV plus PATH and HOME, the way a pod spec's
 * `env` is all a container gets (nothing leaks in from the test runner's environment).
 */
export function startFrank(pod: Pod, args: string[], env: Record<string, string> = {}): FrankInPod {
  const child = pod.spawn(process.execPath, [LAUNCHER, ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin", HOME: process.env.HOME ?? "/root", ...env },
  });
  let output = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  return { child, output: () => output };
}

// Inside the pod: does anything answer HTTP on loopback (IPv4 or IPv6) at this port?
const LOOPBACK_PROBE = `
const http = require("node:http");
const ask = (host) => new Promise((resolve) => {
  const req = http.get({ host, port: Number(process.argv[1]), path: "/", agent: false, timeout: 1000 }, (res) => { res.resume(); resolve(true); });
  req.on("error", () => resolve(false));
  req.on("timeout", () => { req.destroy(); resolve(false); });
});
Promise.all([ask("127.0.0.1"), ask("::1")]).then((answers) => process.exit(answers.includes(true) ? 0 : 1));
`;

/** Waits until frank answers inside the pod; fails early with frank's output if it exits. */
export async function waitUntilServing(pod: Pod, frank: FrankInPod, port: number, timeoutMs = 30_000): Promise<void> {
  const outcome = await waitFor(
    async () => {
      if (frank.child.exitCode !== null || frank.child.signalCode !== null) return "exited";
      const probe = await pod.run(process.execPath, ["-e", LOOPBACK_PROBE, String(port)]);
      return probe.code === 0 && "serving";
    },
    { description: `frank to serve on port ${port} in ${pod.name}`, timeoutMs, intervalMs: 100 },
  ).catch((error: Error) => {
    throw new Error(`${error.message}; frank's output:\n${frank.output()}`);
  });
  if (outcome === "exited") {
    throw new Error(
      `frank exited (${frank.child.exitCode ?? frank.child.signalCode}) before serving:\n${frank.output()}`,
    );
  }
}
