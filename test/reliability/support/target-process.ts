// Runs target-server.ts in a child process and watches it: its URL, whether it is still
// alive, the unhandled rejections it reported, and its resident memory and open descriptors
// and CPU time as Linux counts them in /proc.
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { UNHANDLED_MARKER } from "./markers.js";

const SCRIPT = fileURLToPath(new URL("./target-server.ts", import.meta.url));
const START_TIMEOUT_MS = 20_000;

export interface TargetProcess {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** null while running */
  exitCode(): number | null;
  /** every line the server wrote to stderr so far */
  stderr(): string;
  /** the unhandled rejections and exceptions it reported */
  unhandled(): string[];
  /** resident set size in KiB (VmRSS) */
  rssKib(): number;
  openFds(): number;
  /** CPU time the process has used so far (user + system), in ms */
  cpuMs(): number;
  /** SIGTERM, then waits for the exit; returns the exit code (or the signal's name). */
  stop(): Promise<number | string | null>;
}

/** `env`: more variables for the server, such as FRANK_MAX_HEADER_SIZE. */
export async function startTargetServer(folder: string, env: Record<string, string> = {}): Promise<TargetProcess> {
  const child = spawn(process.execPath, ["--expose-gc", "--import", "tsx", SCRIPT], {
    // FRANK_CONTAINER=0: loopback is meant here, so no container warning on stderr.
    env: { ...process.env, APP_ENV: "production", FRANK_CONTAINER: "0", FRANK_RELIABILITY_FOLDER: folder, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  let stdout = "";
  child.stderr!.setEncoding("utf8").on("data", (text: string) => (stderr += text));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`target server did not start in ${START_TIMEOUT_MS} ms:\n${stderr}`)),
      START_TIMEOUT_MS,
    );
    child.stdout!.setEncoding("utf8").on("data", (text: string) => {
      stdout += text;
      const ready = /READY (\S+)/.exec(stdout);
      if (ready) {
        clearTimeout(timer);
        resolve(ready[1]);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`target server exited with ${code} before listening:\n${stderr}`));
    });
  });
  const pid = child.pid!;
  return {
    url,
    port: Number(new URL(url).port),
    pid,
    exitCode: () => child.exitCode ?? (child.signalCode === null ? null : -1),
    stderr: () => stderr,
    unhandled: () => stderr.split("\n").filter((line) => line.startsWith(UNHANDLED_MARKER)),
    rssKib: () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? NaN),
    openFds: () => readdirSync(`/proc/${pid}/fd`).length,
    cpuMs: () => cpuMsOf(pid),
    stop: () => stopChild(child),
  };
}

/** Linux counts CPU time in clock ticks of 1/100 s (USER_HZ, the same on every architecture). */
const MS_PER_TICK = 10;

function cpuMsOf(pid: number): number {
  // The command name in parentheses may hold spaces; the numeric fields follow the last ")".
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // fields[0] is the state (field 3 of proc(5)); utime and stime are fields 14 and 15.
  return (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK;
}

function stopChild(child: ChildProcess): Promise<number | string | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode ?? child.signalCode);
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", (code, signal) => {
      clearTimeout(force);
      resolve(code ?? signal);
    });
    child.kill("SIGTERM");
  });
}
