// Which process holds a socket: every open file of a process is a link in /proc/PID/fd, and
// a socket's link reads "socket:[INODE]". Without root, only our own processes are visible,
// as with `netstat -p`.
import { readFileSync, readdirSync, readlinkSync } from "node:fs";
import { join } from "node:path";

export interface SocketOwner {
  pid: number;
  /** argv[0] without its directory, as netstat shows it ("rackup", "node"). */
  program: string;
  /** The whole command line, arguments separated by spaces. */
  commandLine: string;
}

export function socketOwners(inodes: ReadonlySet<number>, procRoot = "/proc"): Map<number, SocketOwner> {
  const owners = new Map<number, SocketOwner>();
  if (inodes.size === 0) return owners;
  for (const entry of safeList(procRoot)) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    for (const fd of safeList(join(procRoot, entry, "fd"))) {
      const inode = socketInode(join(procRoot, entry, "fd", fd));
      if (inode === undefined || !inodes.has(inode) || owners.has(inode)) continue;
      owners.set(inode, { pid, ...describeProcess(procRoot, entry) });
    }
  }
  return owners;
}

function socketInode(fdPath: string): number | undefined {
  try {
    const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(fdPath));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined; // closed meanwhile, or not ours to read
  }
}

function describeProcess(procRoot: string, pid: string): Omit<SocketOwner, "pid"> {
  let argv: string[] = [];
  try {
    argv = readFileSync(join(procRoot, pid, "cmdline"), "utf8")
      .split("\0")
      .filter(Boolean);
  } catch {
    // the process exited between listing and reading
  }
  if (argv.length === 0) {
    const comm = safeRead(join(procRoot, pid, "comm")).trim();
    return { program: comm || "?", commandLine: comm };
  }
  const first = argv[0]!;
  return { program: first.slice(first.lastIndexOf("/") + 1), commandLine: argv.join(" ") };
}

function safeList(directory: string): string[] {
  try {
    return readdirSync(directory);
  } catch {
    return [];
  }
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}
