// The listening TCP sockets of this network namespace with their owners: `netstat -lntp`.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { isLoopbackHost } from "../k8s/loopback.js";
import { TCP_LISTEN, type TcpFamily, parseProcNetTcp } from "./proc-net-tcp.js";
import { type SocketOwner, socketOwners } from "./socket-owners.js";

export interface Listener {
  family: TcpFamily;
  address: string;
  port: number;
  /** Only connections to a loopback address reach it: nothing outside the pod can. */
  loopback: boolean;
  /** Undefined when the owner is not visible (another user's process, without root). */
  owner?: SocketOwner;
}

export function listListeners(procRoot = "/proc"): Listener[] {
  const sockets = ([4, 6] as const).flatMap((family) => {
    const file = join(procRoot, "net", family === 4 ? "tcp" : "tcp6");
    let text = "";
    try {
      text = readFileSync(file, "utf8");
    } catch {
      return []; // no IPv6 in this kernel, or no /proc at all
    }
    return parseProcNetTcp(text, family).filter((socket) => socket.state === TCP_LISTEN);
  });
  const owners = socketOwners(new Set(sockets.map((socket) => socket.inode)), procRoot);
  return sockets
    .map((socket) => ({
      family: socket.family,
      address: socket.address,
      port: socket.port,
      loopback: isLoopbackHost(socket.address),
      owner: owners.get(socket.inode),
    }))
    .sort((a, b) => a.port - b.port || a.family - b.family || a.address.localeCompare(b.address));
}

/** host:port the way netstat writes it: 127.0.0.1:8080, :::8080, ::1:8080. */
export function formatListenAddress(listener: Pick<Listener, "address" | "port">): string {
  return `${listener.address}:${listener.port}`;
}
