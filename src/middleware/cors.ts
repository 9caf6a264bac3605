import type { Middleware } from "../http/types.js";
import { addVary, editHeaders } from "./response-headers.js";

/**
 * Which origins may read responses: "*" (anyone, no credentials), one origin, a list,
 * a RegExp, or a function deciding per request.
 */
export type CorsOrigin = "*" | string | readonly string[] | RegExp | ((origin: string, req: Request) => boolean);

export interface CorsOptions {
  origin: CorsOrigin;
  /** Allow cookies and Authorization (Access-Control-Allow-Credentials). Not with "*". */
  credentials?: boolean;
  /** Methods allowed in preflight. Default GET, HEAD, PUT, PATCH, POST, DELETE. */
  methods?: readonly string[];
  /** Request headers allowed in preflight. Default: whatever the preflight asks for. */
  allowHeaders?: readonly string[];
  /** Response headers the page's script may read besides the CORS-safelisted ones. */
  exposeHeaders?: readonly string[];
  /** How long (seconds) a browser may cache a preflight answer. */
  maxAge?: number;
}

const DEFAULT_METHODS = ["GET", "HEAD", "PUT", "PATCH", "POST", "DELETE"];

/**
 * Cross-origin resource sharing. Preflight requests (OPTIONS with Origin and
 * Access-Control-Request-Method) from allowed origins are answered here with 204;
 * other requests from allowed origins get the Allow-Origin headers on their response.
 * Requests from other origins pass through untouched, so the browser blocks them.
 */
export function cors(options: CorsOptions): Middleware {
  if (options.origin === "*" && options.credentials) {
    throw new Error('cors: origin "*" cannot be combined with credentials; list the allowed origins instead');
  }
  const allowed = originMatcher(options.origin);
  const methods = (options.methods ?? DEFAULT_METHODS).join(", ");
  // The answer depends on Origin unless every origin gets the same "*".
  const variesByOrigin = options.origin !== "*";

  return (next) => async (req) => {
    const origin = req.headers.get("origin");
    const isPreflight = req.method === "OPTIONS" && origin !== null && req.headers.has("access-control-request-method");
    if (origin === null || !allowed(origin, req)) {
      const res = await next(req);
      return variesByOrigin ? editHeaders(res, (h) => addVary(h, "Origin")) : res;
    }

    const allowOrigin = options.origin === "*" ? "*" : origin;
    if (isPreflight) {
      const headers = new Headers({
        "access-control-allow-origin": allowOrigin,
        "access-control-allow-methods": methods,
      });
      if (variesByOrigin) addVary(headers, "Origin");
      if (options.credentials) headers.set("access-control-allow-credentials", "true");
      if (options.maxAge !== undefined) headers.set("access-control-max-age", String(options.maxAge));
      const asked = req.headers.get("access-control-request-headers");
      if (options.allowHeaders) headers.set("access-control-allow-headers", options.allowHeaders.join(", "));
      else if (asked) {
        headers.set("access-control-allow-headers", asked);
        addVary(headers, "Access-Control-Request-Headers");
      }
      return new Response(null, { status: 204, headers });
    }

    const res = await next(req);
    return editHeaders(res, (headers) => {
      headers.set("access-control-allow-origin", allowOrigin);
      if (variesByOrigin) addVary(headers, "Origin");
      if (options.credentials) headers.set("access-control-allow-credentials", "true");
      if (options.exposeHeaders?.length) headers.set("access-control-expose-headers", options.exposeHeaders.join(", "));
    });
  };
}

function originMatcher(origin: CorsOrigin): (candidate: string, req: Request) => boolean {
  if (origin === "*") return () => true;
  if (typeof origin === "function") return origin;
  if (origin instanceof RegExp) return (candidate) => origin.test(candidate);
  const list = typeof origin === "string" ? [origin] : origin;
  const set = new Set(list.map((o) => o.replace(/\/$/, "").toLowerCase()));
  return (candidate) => set.has(candidate.toLowerCase());
}
