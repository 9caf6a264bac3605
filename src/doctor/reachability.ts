// A Service reaches a pod on the pod's own address. Connecting to the port on each
// non-loopback address of this machine shows what the Service would get.
import { connect } from "node:net";
import { type NetworkInterfaceInfo, networkInterfaces } from "node:os";

export interface MachineAddress {
  interfaceName: string;
  address: string;
  family: 4 | 6;
}

export type ReachOutcome = "connected" | "refused" | "timed out" | "error";

export interface Reachability extends MachineAddress {
  outcome: ReachOutcome;
  detail?: string;
}

/**
 * The addresses other machines use to reach this one. Loopback is left out (only this
 * machine can use it) and so is IPv6 link-local (Kubernetes routes pod addresses, never fe80::).
 */
export function nonLoopbackAddresses(
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces(),
): MachineAddress[] {
  return Object.entries(interfaces).flatMap(([interfaceName, infos]) =>
    (infos ?? [])
      .filter((info) => !info.internal && !(info.family === "IPv6" && /^fe[89ab]/i.test(info.address)))
      .map((info) => ({
        interfaceName,
        address: info.address,
        family: info.family === "IPv4" ? (4 as const) : (6 as const),
      })),
  );
}

export function probeReachability(
  addresses: readonly MachineAddress[],
  port: number,
  timeoutMs = 1000,
): Promise<Reachability[]> {
  return Promise.all(addresses.map((address) => probeOne(address, port, timeoutMs)));
}

function probeOne(target: MachineAddress, port: number, timeoutMs: number): Promise<Reachability> {
  return new Promise((resolve) => {
    const socket = connect({ host: target.address, port, family: target.family });
    const done = (outcome: ReachOutcome, detail?: string) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ ...target, outcome, ...(detail ? { detail } : {}) });
    };
    const timer = setTimeout(() => done("timed out", `no answer within ${timeoutMs} ms`), timeoutMs);
    socket.once("connect", () => done("connected"));
    socket.once("error", (error: NodeJS.ErrnoException) =>
      done(error.code === "ECONNREFUSED" ? "refused" : "error", error.code ?? error.message),
    );
  });
}
