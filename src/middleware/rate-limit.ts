import { isIPv6 } from "node:net";
import { clientAddressOf } from "../http/client-address.js";
import type { Handler, Middleware } from "../http/types.js";
import { editHeaders } from "./response-headers.js";

/** One counted request: how many the key has made in its window, and when the window ends (ms since the epoch). */
export interface RateLimitHit {
  readonly count: number;
  readonly resetAt: number;
}

/**
 * Where the counts live. The default keeps them in this process; with several replicas, each
 * counts on its own unless they share a store (Redis: see the README).
 */
export interface RateLimitStore {
  /** Counts one request for `key` in a fixed window of `windowMs` that starts with the key's first request. */
  hit(key: string, windowMs: number): RateLimitHit | Promise<RateLimitHit>;
}

export interface RateLimitOptions {
  /** Requests allowed per key in each window. */
  limit: number;
  /** The window's length in milliseconds. */
  windowMs: number;
  /**
   * The key a request counts against. Default: the client's address (IPv6 by its /64 network,
   * which one client usually has whole), read through `trustedProxies`. A request whose key is
   * undefined (no address known, as with `app.request()`) is not counted.
   */
  key?: (req: Request) => string | undefined;
  /**
   * How many proxies in front of the app append to `X-Forwarded-For` (an Ingress: 1; a cloud
   * load balancer in front of it: 2). The client is the address that many hops back. Default 0:
   * the socket's peer, and X-Forwarded-For is not read, since any client can send one.
   */
  trustedProxies?: number;
  /** Default: an in-memory store holding at most `maxKeys` keys. */
  store?: RateLimitStore;
  /** For the default store. Default 10,000. */
  maxKeys?: number;
  /** Requests that are never counted (health checks, static assets). */
  skip?: (req: Request) => boolean;
}

/**
 * Limits requests per client in fixed windows. Every answer carries `RateLimit-Limit`,
 * `RateLimit-Remaining`, `RateLimit-Reset` (seconds) and `RateLimit-Policy` (the IETF
 * httpapi draft's fields); a request over the limit is a 429 with `Retry-After`, and the app
 * never sees it.
 */
export function rateLimit(options: RateLimitOptions): Middleware {
  const { limit, windowMs } = options;
  if (!Number.isInteger(limit) || limit < 1) throw new TypeError("rateLimit: limit must be a whole number ≥ 1");
  if (!Number.isFinite(windowMs) || windowMs < 1000) throw new TypeError("rateLimit: windowMs must be ≥ 1000");
  const store = options.store ?? new MemoryRateLimitStore({ maxKeys: options.maxKeys });
  const keyOf = options.key ?? clientKey(options.trustedProxies ?? 0);
  const policy = `${limit};w=${Math.round(windowMs / 1000)}`;
  const skip = options.skip;

  const answer = (next: Handler, req: Request, hit: RateLimitHit) => {
    const remaining = Math.max(0, limit - hit.count);
    const reset = String(Math.max(0, Math.ceil((hit.resetAt - Date.now()) / 1000)));
    const fields = (headers: Headers) => {
      headers.set("ratelimit-limit", String(limit));
      headers.set("ratelimit-remaining", String(remaining));
      headers.set("ratelimit-reset", reset);
      headers.set("ratelimit-policy", policy);
    };
    if (hit.count > limit) {
      const refused = new Response("Too Many Requests", {
        status: 429,
        headers: { "content-type": "text/plain;charset=utf-8", "retry-after": reset },
      });
      fields(refused.headers);
      return refused;
    }
    const res = next(req);
    return res instanceof Promise ? res.then((done) => editHeaders(done, fields)) : editHeaders(res, fields);
  };

  return (next) => (req) => {
    if (skip?.(req)) return next(req);
    const key = keyOf(req);
    if (key === undefined) return next(req);
    const hit = store.hit(key, windowMs);
    return hit instanceof Promise ? hit.then((counted) => answer(next, req, counted)) : answer(next, req, hit);
  };
}

/**
 * The default store: fixed windows in a Map, no timer. Keys sit in the order their windows
 * started, so expired ones are dropped from the front as new keys arrive; past `maxKeys` the
 * oldest window goes (that client starts afresh, which is the price of bounded memory).
 */
export class MemoryRateLimitStore implements RateLimitStore {
  readonly #windows = new Map<string, { count: number; resetAt: number }>();
  readonly #maxKeys: number;
  readonly #now: () => number;

  constructor(options: { maxKeys?: number; now?: () => number } = {}) {
    this.#maxKeys = options.maxKeys ?? 10_000;
    if (!Number.isInteger(this.#maxKeys) || this.#maxKeys < 1) throw new TypeError("maxKeys must be ≥ 1");
    this.#now = options.now ?? Date.now;
  }

  get size(): number {
    return this.#windows.size;
  }

  hit(key: string, windowMs: number): RateLimitHit {
    const now = this.#now();
    const windows = this.#windows;
    let window = windows.get(key);
    if (window !== undefined && window.resetAt > now) {
      window.count++;
      return window;
    }
    if (window !== undefined)
      windows.delete(key); // expired: it starts again, at the back
    else this.#makeRoom(now);
    window = { count: 1, resetAt: now + windowMs };
    windows.set(key, window);
    return window;
  }

  #makeRoom(now: number): void {
    const windows = this.#windows;
    for (const [key, window] of windows) {
      if (window.resetAt > now && windows.size < this.#maxKeys) break;
      windows.delete(key);
    }
  }
}

/** The default key: the client's address as `trustedProxies` says to read it; IPv6 by its /64. */
export function clientKey(trustedProxies: number): (req: Request) => string | undefined {
  if (!Number.isInteger(trustedProxies) || trustedProxies < 0) {
    throw new TypeError("rateLimit: trustedProxies must be a whole number ≥ 0");
  }
  return (req) => {
    let address = clientAddressOf(req);
    if (trustedProxies > 0) address = forwardedClient(req.headers.get("x-forwarded-for"), trustedProxies) ?? address;
    return address === undefined ? undefined : networkOf(address);
  };
}

/**
 * The address `hops` entries from the right of X-Forwarded-For (each proxy appends the address
 * it was reached from), or the leftmost when there are fewer. One backward pass: linear.
 */
export function forwardedClient(header: string | null, hops: number): string | undefined {
  if (!header) return undefined;
  let end = header.length;
  let entry: string | undefined;
  for (let n = 0; n < hops && end > 0; n++) {
    const comma = header.lastIndexOf(",", end - 1);
    const candidate = header.slice(comma + 1, end).trim();
    if (candidate !== "") entry = candidate;
    end = Math.max(comma, 0);
  }
  // A proxy wrote this entry; still, keep a key short whatever it holds.
  return entry?.slice(0, 64);
}

/** IPv6 addresses count by their /64 network (a client usually has a whole one); IPv4 and others as they are. */
function networkOf(address: string): string {
  if (address.startsWith("::ffff:") && address.includes(".")) return address.slice(7); // IPv4-mapped
  if (!isIPv6(address)) return address;
  const [head, tail] = address.split("%")[0].split("::");
  const groups = head === "" ? [] : head.split(":");
  if (tail !== undefined && groups.length < 4) {
    const tailGroups = tail === "" ? [] : tail.split(":");
    while (groups.length + tailGroups.length < 8) groups.push("0");
    groups.push(...tailGroups);
  }
  return `${groups
    .slice(0, 4)
    .map((group) => group.toLowerCase().replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}
