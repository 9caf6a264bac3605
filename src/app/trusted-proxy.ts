/**
 * Which forwarded headers to believe. `trustProxy` is false (the default: the socket is the
 * client, and X-Forwarded-* are ignored), true (proxies on loopback and private addresses are
 * trusted, Rack's rule, which fits an Ingress in a cluster), or a list of addresses and CIDR
 * ranges ("198.18.0.0/15", "2001:db8::1").
 *
 * The client's address is then the right-most X-Forwarded-For entry that is not a trusted proxy:
 * entries to its left were written by the client itself and prove nothing.
 */
import { BlockList, isIP } from "node:net";
import { clientAddressOf } from "../http/client-address.js";

export type TrustProxy = boolean | readonly string[];

const PRIVATE_RANGES: Array<[string, number, "ipv4" | "ipv6"]> = [
  ["127.0.0.0", 8, "ipv4"],
  ["10.0.0.0", 8, "ipv4"],
  ["172.16.0.0", 12, "ipv4"],
  ["192.168.0.0", 16, "ipv4"],
  ["::1", 128, "ipv6"],
  ["fc00::", 7, "ipv6"],
];

const privateAddresses = blockList(PRIVATE_RANGES.map(([address, prefix]) => `${address}/${prefix}`));
const lists = new WeakMap<readonly string[], BlockList>();

function blockList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address, prefix] = entry.split("/");
    const family = isIP(address) === 6 ? "ipv6" : "ipv4";
    if (isIP(address) === 0) throw new TypeError(`trustProxy: "${entry}" is not an IP address or CIDR range`);
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  return list;
}

/** Checks a trustProxy list once, when it is set (a typo fails at start, not at a request). */
export function checkTrustProxy(value: unknown): void {
  if (Array.isArray(value)) blockList(value as string[]);
  else if (typeof value !== "boolean") throw new TypeError("trustProxy: expected true, false or a list of addresses");
}

/** "::ffff:198.18.0.1" (an IPv4 client on a dual-stack socket) -> "198.18.0.1"; strips brackets and ports. */
export function plainAddress(address: string): string {
  let plain = address.trim();
  if (plain.startsWith("[")) plain = plain.slice(1, plain.indexOf("]") > 0 ? plain.indexOf("]") : undefined);
  else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(plain)) plain = plain.slice(0, plain.lastIndexOf(":"));
  return /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(plain) ? plain.slice(7) : plain;
}

function isTrusted(address: string, trust: TrustProxy): boolean {
  if (trust === false) return false;
  const family = isIP(address);
  if (family === 0) return false;
  const type = family === 6 ? "ipv6" : "ipv4";
  if (trust === true) return privateAddresses.check(address, type);
  let list = lists.get(trust);
  if (list === undefined) lists.set(trust, (list = blockList(trust)));
  return list.check(address, type);
}

/** Whether X-Forwarded-* of this request may be believed: trusted, and from a trusted peer (or no socket, in tests). */
export function fromTrustedProxy(req: Request, trust: TrustProxy): boolean {
  if (trust === false) return false;
  const peer = clientAddressOf(req);
  return peer === undefined || isTrusted(plainAddress(peer), trust);
}

/** The client's address, as `c.ip` gives it. */
export function clientIp(req: Request, trust: TrustProxy): string | undefined {
  const peer = clientAddressOf(req);
  const direct = peer === undefined ? undefined : plainAddress(peer);
  if (!fromTrustedProxy(req, trust)) return direct;
  const forwarded = (req.headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map(plainAddress)
    .filter((entry) => isIP(entry) !== 0); // garbage a client wrote is nobody's address
  for (let i = forwarded.length - 1; i >= 0; i--) if (!isTrusted(forwarded[i], trust)) return forwarded[i];
  return forwarded[0] ?? direct;
}
