import { pathIs, pathStart } from "../http/request-path.js";
import type { Handler } from "../http/types.js";

/** Paths of the probes; `false` turns one off (the app then gets that path). */
export interface HealthOptions {
  /** Liveness: 200 while the process runs. Default `/livez`. */
  livenessPath: string | false;
  /** Readiness: 200 while serving, 503 once shutdown has started. Default `/readyz`. */
  readinessPath: string | false;
  /** Whether the server still wants new requests. */
  isReady: () => boolean;
}

export const DEFAULT_LIVENESS_PATH = "/livez";
export const DEFAULT_READINESS_PATH = "/readyz";

const PROBE_HEADERS = { "content-type": "text/plain;charset=utf-8", "cache-control": "no-store" };

function probeAnswer(status: number, text: string): Response {
  return new Response(text + "\n", { status, headers: PROBE_HEADERS });
}

/**
 * Answers the liveness and readiness probes before the app sees the request, so a probe
 * never depends on the app's routes, filters or middleware (a Hono app gets them too).
 * Only GET and HEAD; other methods on these paths go to the app.
 */
export function withHealthChecks(handler: Handler, options: HealthOptions): Handler {
  const { livenessPath, readinessPath, isReady } = options;
  if (livenessPath === false && readinessPath === false) return handler;
  return (req) => {
    const method = req.method;
    if (method !== "GET" && method !== "HEAD") return handler(req);
    const url = req.url;
    const start = pathStart(url);
    if (livenessPath !== false && pathIs(url, start, livenessPath)) return probeAnswer(200, "live");
    if (readinessPath !== false && pathIs(url, start, readinessPath)) {
      return isReady() ? probeAnswer(200, "ready") : probeAnswer(503, "shutting down");
    }
    return handler(req);
  };
}
