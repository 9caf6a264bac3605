import { hostName } from "../http/host-name.js";
import type { Middleware } from "../http/types.js";

/**
 * A host pattern: an exact name ("myapp.test"), a leading dot for a domain and all its
 * subdomains (".myapp.test"), or a RegExp tested against the host without its port.
 */
export type HostPattern = string | RegExp;

export interface HostAuthorizationOptions {
  /** Hosts allowed besides the loopback defaults. */
  allowedHosts?: HostPattern[];
}

/** What a browser on this machine may use to reach a loopback-bound server. */
export const LOOPBACK_HOSTS: readonly HostPattern[] = ["localhost", ".localhost", "127.0.0.1", "[::1]"];

/**
 * The DNS-rebinding guard: a page on evil.example can make its own name resolve to
 * 127.0.0.1 and then talk to a development server on this machine, but its requests
 * still carry `Host: evil.example`. Those get 403. The App turns this on only while it
 * is bound to loopback in development; behind an Ingress the Host is the public name.
 */
export function hostAuthorization(options: HostAuthorizationOptions = {}): Middleware {
  const patterns = [...LOOPBACK_HOSTS, ...(options.allowedHosts ?? [])];
  return (next) => (req) => {
    const host = hostName(req.headers.get("host") ?? new URL(req.url).host);
    if (patterns.some((pattern) => matches(pattern, host))) return next(req);
    return new Response(`Host not permitted: ${host}\n`, {
      status: 403,
      headers: { "content-type": "text/plain;charset=utf-8", "cache-control": "no-store" },
    });
  };
}

function matches(pattern: HostPattern, host: string): boolean {
  if (pattern instanceof RegExp) return pattern.test(host);
  const wanted = pattern.toLowerCase();
  if (wanted.startsWith(".")) return host === wanted.slice(1) || host.endsWith(wanted);
  return host === wanted;
}
