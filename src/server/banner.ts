import { networkInterfaces } from "node:os";
import type { ServerConfig } from "./config.js";
import type { BoundAddress } from "./listen.js";

type Interfaces = ReturnType<typeof networkInterfaces>;

function urlFor(address: string, port: number): string {
  return `http://${address.includes(":") ? `[${address}]` : address}:${port}/`;
}

/**
 * The URLs a client can use. A listener on all interfaces is reachable at every address of
 * every interface, so each non-loopback one is listed (link-local IPv6 needs a zone, so not those);
 * on a machine with nothing but loopback, the loopback addresses are listed instead.
 */
export function listeningUrls(addresses: BoundAddress[], interfaces: Interfaces = networkInterfaces()): string[] {
  const urls: string[] = [];
  for (const bound of addresses) {
    const all = bound.address === "::" || bound.address === "0.0.0.0";
    if (!all) {
      urls.push(urlFor(bound.address, bound.port));
      continue;
    }
    const families = bound.address === "::" ? ["IPv4", "IPv6"] : ["IPv4"];
    const nics = Object.values(interfaces)
      .flatMap((list) => list ?? [])
      .filter((nic) => families.includes(nic.family));
    const external = nics.filter((nic) => !nic.internal && !nic.address.toLowerCase().startsWith("fe80:"));
    for (const nic of external.length > 0 ? external : nics) urls.push(urlFor(nic.address, bound.port));
  }
  return [...new Set(urls)];
}

/** "from --port", "by default", or "because KUBERNETES_SERVICE_HOST is set". */
export function because(source: string): string {
  if (source === "default") return "by default";
  if (/^(--[a-z-]+|[A-Z][A-Z0-9_]*|app setting \w+)$/.test(source)) return `from ${source}`;
  return `because ${source}`;
}

const KIND_WORDS = { all: "all interfaces", loopback: "loopback only", specific: "this address only" } as const;

/** The startup banner: every URL, the environment, and why this host and port. */
export function bannerLines(config: ServerConfig, urls: string[]): string[] {
  const { environment, host, port, workers } = config;
  const lines = ["== frank is listening on"];
  for (const url of urls) lines.push(`   ${url}`);
  lines.push(`   environment ${environment.value} ${because(environment.source)}`);
  lines.push(`   host ${host.value} (${KIND_WORDS[host.kind]}) ${because(host.source)}`);
  lines.push(`   port ${port.value} ${because(port.source)}`);
  if (workers.value > 1) lines.push(`   workers ${workers.value} ${because(workers.source)}`);
  return lines;
}

/** Warnings are printed so nobody can miss them, even with --quiet. */
export function warningLines(config: ServerConfig): string[] {
  return config.warnings.map((warning) => `!! WARNING: ${warning}`);
}
