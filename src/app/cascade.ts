import type { FetchApp, Middleware } from "../http/types.js";

/**
 * Rack's cascade as a middleware: `app` answers first, and a 404 it marks with `X-Cascade: pass`
 * ("no route here") goes on to the next handler. For any `{ fetch }` app used with `use`.
 */
export function cascade(app: FetchApp): Middleware {
  return (next) => async (req) => {
    const response = await app.fetch(req);
    if (response.status !== 404 || response.headers.get("x-cascade") !== "pass") return response;
    void response.body?.cancel().catch(() => {});
    return next(req);
  };
}
