import diagnosticsChannel from "node:diagnostics_channel";
import { ROUTE_CHANNEL, type RouteMessage } from "./request-channels.js";
import { originalRequest } from "./request-state.js";

/**
 * The route pattern that answered a request, kept on the request the server made: how the
 * server's metrics and traces learn `/hello/:name` without server/ knowing the App. A registered
 * symbol, so an App bundled with its own copy of frank and the launcher's server agree on it.
 */
export const MATCHED_ROUTE: unique symbol = Symbol.for("frank.matchedRoute");

type RoutedRequest = Request & { [MATCHED_ROUTE]?: string };

const routeChannel = diagnosticsChannel.channel(ROUTE_CHANNEL);

/**
 * Records the pattern of the route that takes the request (as written, never the path: a label
 * per pattern keeps metrics small) and tells `frank.route` subscribers. Any framework can call
 * it: a Hono app records `c.req.routePath`.
 */
export function recordRoute(req: Request, pattern: string): void {
  const original = originalRequest(req) as RoutedRequest;
  original[MATCHED_ROUTE] = pattern;
  if (routeChannel.hasSubscribers) {
    const message: RouteMessage = { request: original, method: original.method, route: pattern };
    routeChannel.publish(message);
  }
}

/** The pattern recorded for this request (the server's), or undefined when no route answered. */
export function routeOf(req: Request): string | undefined {
  return (req as RoutedRequest)[MATCHED_ROUTE];
}
