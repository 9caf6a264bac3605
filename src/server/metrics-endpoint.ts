import { pathIs, pathStart } from "../http/request-path.js";
import type { Handler } from "../http/types.js";
import { EXPOSITION_CONTENT_TYPE } from "./exposition.js";

export const DEFAULT_METRICS_PATH = "/metrics";

/**
 * Answers GET and HEAD on `path` with the exposition, before the app (like the probes, so a
 * Hono app gets it too); other methods and paths go to the app.
 */
export function withMetricsEndpoint(handler: Handler, path: string, render: () => Promise<string>): Handler {
  return (req) => {
    const method = req.method;
    if (method !== "GET" && method !== "HEAD") return handler(req);
    const url = req.url;
    if (!pathIs(url, pathStart(url), path)) return handler(req);
    return render().then(
      (text) =>
        new Response(method === "HEAD" ? null : text, {
          headers: { "content-type": EXPOSITION_CONTENT_TYPE, "cache-control": "no-store" },
        }),
    );
  };
}
