// How a server tells long-lived responses (server-sent events, long polls) that it is shutting
// down: once it stops accepting connections and drains, such a response should end, so the
// client reconnects — through the load balancer, to a server that stays.
import { originalRequest } from "./request-state.js";

/** For servers: the request property that holds a signal aborted when the server starts draining. */
export const DRAIN_SIGNAL: unique symbol = Symbol.for("frank.drainSignal");

type WithDrainSignal = Request & { [DRAIN_SIGNAL]?: AbortSignal };

/** Aborts when the server starts draining; undefined under a server that does not say. */
export function drainSignalOf(req: Request): AbortSignal | undefined {
  return (req as WithDrainSignal)[DRAIN_SIGNAL] ?? (originalRequest(req) as WithDrainSignal)[DRAIN_SIGNAL];
}
