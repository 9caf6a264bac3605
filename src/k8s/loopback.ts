// Recognises loopback in the forms people write it in flags and env: 127.0.0.1, localhost,
// ::1, [::1]:8080, 127.0.0.1:8000, tcp://localhost:9292, ::ffff:127.0.0.1.
import { isIP } from "node:net";

const LOOPBACK_NAMES = new Set(["localhost", "ip6-localhost", "ip6-loopback", "localhost.localdomain"]);

export function isLoopbackHost(text: string): boolean {
  const host = hostPart(text.trim().toLowerCase());
  if (LOOPBACK_NAMES.has(host) || host.endsWith(".localhost")) return true;
  switch (isIP(host)) {
    case 4:
      return host.startsWith("127.");
    case 6:
      return isLoopbackIPv6(host);
    default:
      return false;
  }
}

/** The host of "scheme://host:port", "[v6]:port", "host:port", or a bare host or address. */
function hostPart(text: string): string {
  const withoutScheme = text.replace(/^[a-z][a-z0-9+.-]*:\/\//, "");
  const bracketed = /^\[([^\]]+)\]/.exec(withoutScheme);
  if (bracketed) return bracketed[1]!;
  const colons = withoutScheme.split(":").length - 1;
  if (colons > 1) return withoutScheme.split("%")[0]!; // a bare IPv6 address has no port
  return withoutScheme.split(":")[0]!.split("/")[0]!;
}

function isLoopbackIPv6(address: string): boolean {
  const mapped = /^(?:::|(?:0{1,4}:){5})ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (mapped) return mapped[1]!.startsWith("127.");
  return expandIPv6(address) === "0000:0000:0000:0000:0000:0000:0000:0001";
}

function expandIPv6(address: string): string {
  const [head, tail] = address.includes("::") ? address.split("::") : [address, undefined];
  const headGroups = head ? head.split(":") : [];
  const tailGroups = tail ? tail.split(":") : [];
  const missing = 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array<string>(tail === undefined ? 0 : missing).fill("0"), ...tailGroups];
  return groups.map((group) => group.padStart(4, "0")).join(":");
}
