/**
 * Starting a server pinned to a CPU, waiting for its first 200, reading its CPU time
 * and memory from /proc (summed over the process and its descendants, so launchers
 * that fork count in full), and stopping it by PID.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { request } from "node:http";
import { createServer } from "node:net";

/** Kernel clock ticks per second (`getconf CLK_TCK`), the unit of utime/stime. */
const CLOCK_TICKS = 100;

export interface StartOptions {
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** CPU to pin the server to; undefined when the machine cannot spare one. */
  cpu?: number;
  port: number;
  readyPath: string;
  /** Upper bound for the wait for the first 200. */
  timeoutMs?: number;
}

export interface Server {
  pid: number;
  port: number;
  /** Milliseconds from spawn to the first 200 on readyPath. */
  startupMs: number;
  child: ChildProcess;
  /** The last lines the server wrote, for error messages. */
  output(): string;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export interface Answer {
  status: number;
  body: Buffer;
}

/** One request over a fresh connection (a GET, or a JSON POST when a body is given); rejects when refused. */
export function ask(port: number, path: string, json?: unknown): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = json === undefined ? undefined : JSON.stringify(json);
    const req = request(
      {
        host: "127.0.0.1",
        port,
        path,
        agent: false,
        timeout: 2000,
        method: payload === undefined ? "GET" : "POST",
        headers:
          payload === undefined
            ? {}
            : { "content-type": "application/json", "content-length": Buffer.byteLength(payload) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    req.end(payload);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startServer(options: StartOptions): Promise<Server> {
  const [command, args] =
    options.cpu === undefined
      ? [options.command, options.args]
      : ["taskset", ["-c", String(options.cpu), options.command, ...options.args]];
  let output = "";
  const started = performance.now();
  const child = spawn(command, args, {
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  let exited = false;
  child.once("exit", () => {
    exited = true;
  });

  const deadline = started + (options.timeoutMs ?? 30_000);
  while (performance.now() < deadline) {
    if (exited) throw new Error(`${options.command} ${options.args.join(" ")} exited before answering:\n${output}`);
    try {
      const { status } = await ask(options.port, options.readyPath);
      if (status === 200) {
        const startupMs = performance.now() - started;
        return { pid: child.pid!, port: options.port, startupMs, child, output: () => output };
      }
    } catch {
      // not listening yet
    }
    await sleep(2);
  }
  await stopServer({ pid: child.pid!, child });
  throw new Error(
    `${options.command} ${options.args.join(" ")} gave no 200 on ${options.readyPath} within ${options.timeoutMs ?? 30_000} ms:\n${output}`,
  );
}

/** The PID and every descendant's PID (read from /proc/<pid>/stat parent links). */
export function processTree(root: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(Number(entry));
    if (!fields) continue;
    const ppid = Number(fields[1]);
    const siblings = parents.get(ppid) ?? [];
    siblings.push(Number(entry));
    parents.set(ppid, siblings);
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...(parents.get(tree[i]!) ?? []));
  return tree;
}

/** Fields of /proc/<pid>/stat after the command name: [state, ppid, ...]. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined; // the process ended meanwhile
  }
}

/** User + system CPU time of the process tree, in milliseconds. */
export function cpuTimeMs(pid: number): number {
  let ticks = 0;
  for (const member of processTree(pid)) {
    const fields = statFields(member);
    // utime and stime are fields 14 and 15 of stat, i.e. 11 and 12 after the name.
    if (fields) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return (ticks * 1000) / CLOCK_TICKS;
}

/** Resident set size of the process tree, in MiB. */
export function rssMiB(pid: number): number {
  let kib = 0;
  for (const member of processTree(pid)) {
    try {
      const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${member}/status`, "utf8"));
      if (match) kib += Number(match[1]);
    } catch {
      // the process ended meanwhile
    }
  }
  return kib / 1024;
}

/** Stops the server and its descendants by PID: SIGTERM, then SIGKILL after a grace period. */
export async function stopServer(server: { pid: number; child: ChildProcess }): Promise<void> {
  const pids = processTree(server.pid);
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => server.child.once("exit", () => resolve()));
  for (const pid of pids) signal(pid, "SIGTERM");
  const graceful = await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]);
  for (const pid of pids) if (!graceful || alive(pid)) signal(pid, "SIGKILL");
  if (!graceful) await Promise.race([exited, sleep(2000)]);
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
