import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { explainListenError } from "./listen-error.js";

export interface BoundAddress {
  address: string;
  family: "IPv4" | "IPv6";
  port: number;
}

const NO_IPV6 = new Set(["EAFNOSUPPORT", "EADDRNOTAVAIL"]);

function listenOnce(server: Server, address: string, port: number): Promise<BoundAddress> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once("error", onError);
    // `::` with ipv6Only false is one dual-stack socket: IPv6 clients and IPv4 (as ::ffff:a.b.c.d).
    server.listen({ host: address, port, ipv6Only: false }, () => {
      server.off("error", onError);
      const info = server.address() as AddressInfo;
      resolve({ address: info.address, family: info.family === "IPv6" ? "IPv6" : "IPv4", port: info.port });
    });
  });
}

/**
 * Opens one listener per bind address, all on the same port (port 0 picks one for the first
 * and reuses it). A machine whose kernel has no IPv6 falls back from `::` to `0.0.0.0`, and
 * loopback without `::1` keeps just 127.0.0.1. Any other failure closes what was opened and
 * throws a ConfigError that explains it.
 */
export async function listenAll(
  newServer: () => Server,
  bindAddresses: string[],
  port: number,
): Promise<{ servers: Server[]; addresses: BoundAddress[] }> {
  const servers: Server[] = [];
  const addresses: BoundAddress[] = [];
  let chosenPort = port;
  try {
    for (const [index, address] of bindAddresses.entries()) {
      const server = newServer();
      let bound: BoundAddress;
      try {
        bound = await listenOnce(server, address, chosenPort);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? "";
        if (address === "::" && NO_IPV6.has(code)) {
          bound = await listenOnce(server, "0.0.0.0", chosenPort).catch((retry) => {
            throw explainListenError(retry as NodeJS.ErrnoException, "0.0.0.0", chosenPort);
          });
        } else if (address === "::1" && index > 0 && NO_IPV6.has(code)) {
          continue;
        } else {
          throw explainListenError(error as NodeJS.ErrnoException, address, chosenPort);
        }
      }
      servers.push(server);
      addresses.push(bound);
      chosenPort = bound.port;
    }
  } catch (error) {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    throw error;
  }
  return { servers, addresses };
}
