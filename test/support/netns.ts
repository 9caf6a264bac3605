// Pods for tests: each pod is a Linux network namespace joined to the host by a veth pair,
// the way a Kubernetes pod sits on its node. The host end and the pod end get addresses
// from test-only ranges: IPv4 from 198.18.0.0/16 (a /30 per pod) and IPv6 from
// 2001:db8:1::/48 (a /64 per pod). Nothing else is ever configured.
//
// Allocation is safe across processes (node --test runs several files at once): the slot
// number is claimed by creating the host-side veth `fk<slot>`, which the kernel refuses
// when it exists. Namespace names carry the creating PID (`frank-<pid>-<n>`), so a later
// run can recognise and remove what a crashed run left behind.
import { execFile, execFileSync, spawn, type ChildProcess } from "node:child_process";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

const NAME_PREFIX = "frank-";
const SLOT_COUNT = 16384; // 198.18.0.0/16 cut into /30 blocks
const IPV6_PREFIX = "2001:db8:1";

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface PodCommandOptions {
  /** The whole environment of the command (as in child_process); defaults to this process's. */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export interface Pod {
  /** The namespace name, usable with `ip netns exec`. */
  name: string;
  /** The pod's IPv4 address, when it has one. */
  ipv4?: string;
  /** The pod's IPv6 address, when it has one. */
  ipv6?: string;
  /** The host end's addresses, as seen from inside the pod. */
  hostIpv4?: string;
  hostIpv6?: string;
  /** Starts a command inside the pod (`ip netns exec`). */
  spawn(command: string, args: string[], options?: PodCommandOptions): ChildProcess;
  /** Runs a command inside the pod to completion and collects its output. */
  run(command: string, args: string[], options?: PodCommandOptions): Promise<RunResult>;
  /** Stops every process still inside the pod and removes the namespace and its veth pair. */
  destroy(): Promise<void>;
}

export interface CreatePodOptions {
  /** Give the pod an IPv4 address (default true). */
  ipv4?: boolean;
  /** Give the pod a global IPv6 address (default true unless disableIPv6). */
  ipv6?: boolean;
  /** Turn IPv6 off inside the pod by sysctl, loopback included (default false). */
  disableIPv6?: boolean;
}

let cachedReason: string | undefined | null = null;

/** Why pods cannot be created here, or undefined when they can. */
export function netnsUnavailableReason(): string | undefined {
  if (cachedReason !== null) return cachedReason;
  cachedReason = probeNetns();
  return cachedReason;
}

function probeNetns(): string | undefined {
  if (process.platform !== "linux") return "network namespaces need Linux";
  if (process.getuid?.() !== 0) return "network namespaces need root";
  try {
    execFileSync("ip", ["netns", "list"], { stdio: "pipe" });
  } catch {
    return "the `ip` command (iproute2) with netns support is not available";
  }
  try {
    execFileSync("sysctl", ["--version"], { stdio: "pipe" });
  } catch {
    return "the `sysctl` command (procps) is not available";
  }
  return undefined;
}

let podSequence = 0;
let staleCleaned = false;
const livePods = new Set<string>();

export async function createPod(options: CreatePodOptions = {}): Promise<Pod> {
  const reason = netnsUnavailableReason();
  if (reason) throw new Error(`cannot create a pod: ${reason}`);
  if (!staleCleaned) {
    staleCleaned = true;
    await removeStalePods();
  }

  const disableIPv6 = options.disableIPv6 ?? false;
  const wantIpv4 = options.ipv4 ?? true;
  const wantIpv6 = !disableIPv6 && (options.ipv6 ?? true);

  const name = `${NAME_PREFIX}${process.pid}-${podSequence++}`;
  await ip(["netns", "add", name]);
  livePods.add(name);
  try {
    if (disableIPv6) {
      // Before the pod's interface exists, so it never gets an IPv6 address, not even link-local.
      for (const scope of ["all", "default", "lo"]) {
        await inPod(name, "sysctl", ["-q", "-w", `net.ipv6.conf.${scope}.disable_ipv6=1`]);
      }
    }
    const slot = await claimSlot(name);
    const hostIf = hostInterface(slot);
    const addresses = slotAddresses(slot);

    await ip(["-n", name, "link", "set", "lo", "up"]);
    if (wantIpv4) {
      await ip(["addr", "add", `${addresses.hostIpv4}/30`, "dev", hostIf]);
      await ip(["-n", name, "addr", "add", `${addresses.podIpv4}/30`, "dev", "eth0"]);
    }
    if (wantIpv6) {
      // nodad: the addresses are usable at once instead of "tentative" for a second or two.
      await ip(["-6", "addr", "add", `${addresses.hostIpv6}/64`, "dev", hostIf, "nodad"]);
      await ip(["-n", name, "-6", "addr", "add", `${addresses.podIpv6}/64`, "dev", "eth0", "nodad"]);
    }
    await ip(["link", "set", hostIf, "up"]);
    await ip(["-n", name, "link", "set", "eth0", "up"]);
    if (wantIpv4) await ip(["-n", name, "route", "add", "default", "via", addresses.hostIpv4]);
    if (wantIpv6) await ip(["-n", name, "-6", "route", "add", "default", "via", addresses.hostIpv6]);

    return makePod(name, {
      ipv4: wantIpv4 ? addresses.podIpv4 : undefined,
      ipv6: wantIpv6 ? addresses.podIpv6 : undefined,
      hostIpv4: wantIpv4 ? addresses.hostIpv4 : undefined,
      hostIpv6: wantIpv6 ? addresses.hostIpv6 : undefined,
    });
  } catch (error) {
    await removePod(name);
    throw error;
  }
}

function makePod(name: string, addresses: Pick<Pod, "ipv4" | "ipv6" | "hostIpv4" | "hostIpv6">): Pod {
  const spawnInPod = (command: string, args: string[], options: PodCommandOptions = {}) =>
    spawn("ip", ["netns", "exec", name, command, ...args], {
      env: options.env ?? process.env,
      cwd: options.cwd,
      stdio: ["ignore", "pipe", "pipe"],
    });
  return {
    name,
    ...addresses,
    spawn: spawnInPod,
    run: (command, args, options) => collect(spawnInPod(command, args, options)),
    destroy: () => removePod(name),
  };
}

function collect(child: ChildProcess): Promise<RunResult> {
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Claims a free slot by creating its host veth, whose other end becomes the pod's eth0. */
async function claimSlot(name: string): Promise<number> {
  // Start at a PID-derived offset so parallel processes rarely race for the same slot.
  const start = (process.pid * 37) % SLOT_COUNT;
  for (let tried = 0; tried < SLOT_COUNT; tried++) {
    const slot = (start + tried) % SLOT_COUNT;
    try {
      await ip(["link", "add", hostInterface(slot), "type", "veth", "peer", "name", "eth0", "netns", name]);
      return slot;
    } catch (error) {
      if (!/exists/i.test(String((error as { stderr?: string }).stderr ?? error))) throw error;
    }
  }
  throw new Error("no free pod slot in 198.18.0.0/16");
}

function hostInterface(slot: number): string {
  return `fk${slot}`;
}

function slotAddresses(slot: number) {
  const base = slot * 4; // offset inside 198.18.0.0/16
  const octets = (offset: number) => `198.18.${Math.floor(offset / 256)}.${offset % 256}`;
  const net6 = `${IPV6_PREFIX}:${slot.toString(16)}`;
  return {
    hostIpv4: octets(base + 1),
    podIpv4: octets(base + 2),
    hostIpv6: `${net6}::1`,
    podIpv6: `${net6}::2`,
  };
}

async function removePod(name: string): Promise<void> {
  if (!livePods.has(name) && !(await listNamespaces()).includes(name)) return;
  await stopProcessesIn(name);
  try {
    await ip(["netns", "del", name]);
  } catch (error) {
    if (!/No such file/i.test(String((error as { stderr?: string }).stderr ?? error))) throw error;
  }
  livePods.delete(name);
}

/** Processes a test started in a pod must not outlive it: TERM, then KILL after a bounded wait. */
async function stopProcessesIn(name: string): Promise<void> {
  for (const signal of ["SIGTERM", "SIGKILL"] as const) {
    const pids = await podPids(name);
    if (pids.length === 0) return;
    for (const pid of pids) signalQuietly(pid, signal);
    for (let waited = 0; waited < 40 && (await podPids(name)).length > 0; waited++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

async function podPids(name: string): Promise<number[]> {
  try {
    const { stdout } = await execFileAsync("ip", ["netns", "pids", name]);
    return stdout.split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function signalQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

/** Namespaces named for a process that no longer runs were left by a crashed run of ours. */
async function removeStalePods(): Promise<void> {
  for (const name of await listNamespaces()) {
    const match = /^frank-(\d+)-\d+$/.exec(name);
    if (!match || isAlive(Number(match[1]))) continue;
    livePods.add(name);
    await removePod(name);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function listNamespaces(): Promise<string[]> {
  const { stdout } = await execFileAsync("ip", ["netns", "list"]);
  return stdout
    .split("\n")
    .map((line) => line.split(" ")[0])
    .filter((name) => name.startsWith(NAME_PREFIX));
}

async function ip(args: string[]): Promise<void> {
  await execFileAsync("ip", args);
}

function inPod(name: string, command: string, args: string[]): Promise<void> {
  return ip(["netns", "exec", name, command, ...args]);
}

// A test that forgets destroy() or a process that exits early still leaves no namespace.
process.once("exit", () => {
  for (const name of livePods) {
    try {
      const pids = execFileSync("ip", ["netns", "pids", name], { encoding: "utf8" });
      for (const pid of pids.split(/\s+/).filter(Boolean)) signalQuietly(Number(pid), "SIGKILL");
      execFileSync("ip", ["netns", "del", name], { stdio: "ignore" });
    } catch {
      // best effort while exiting
    }
  }
});
