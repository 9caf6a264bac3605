/**
 * The host name of a Host header: lower-case, without the port or a trailing dot; IPv6
 * literals keep their brackets ("[::1]").
 */
export function hostName(hostHeader: string): string {
  const host = hostHeader.trim().toLowerCase();
  if (host.startsWith("[")) return host.slice(0, host.indexOf("]") + 1);
  const colon = host.indexOf(":");
  return (colon === -1 ? host : host.slice(0, colon)).replace(/\.$/, "");
}
