/**
 * What frank publishes through node:diagnostics_channel, so a tracer (frank/otel, or any
 * subscriber) sees every request without frank depending on one. Channels are global by name,
 * so a copy of frank bundled into an app and the launcher's copy publish on the same ones.
 *
 * - `frank.request`, a TracingChannel (`tracing:frank.request:start|end|asyncStart|asyncEnd|error`),
 *   published by the server around each request the app answers (not the probes or /metrics).
 *   `start` comes before the app runs, inside the stores bound to it (a tracer's context is the
 *   active one for the whole request); `asyncEnd` once the response has been sent or abandoned,
 *   with `status`, `route` and `aborted` filled in; `error` before it when the handler threw or
 *   writing the response failed.
 * - `frank.route`, a plain channel, published by a frank App when a route is chosen, before its
 *   handler runs (again after each `pass()`).
 */

export const REQUEST_CHANNEL = "frank.request";
export const ROUTE_CHANNEL = "frank.route";

/** The context object of every `frank.request` event; one per request, the same object throughout. */
export interface RequestMessage {
  /** The request as the server made it. */
  request: Request;
  /** The client's socket address and port, and the HTTP version ("1.1"). */
  peerAddress: string | undefined;
  peerPort: number | undefined;
  httpVersion: string;
  /** The route pattern that answered (as written: `/hello/:name`), once known; undefined when no route did. */
  route: string | undefined;
  /** The status sent, set before `asyncEnd`. */
  status: number | undefined;
  /** True when the client went away or the body failed before the response was complete. */
  aborted: boolean;
  /** Set by the channel when the handler threw or writing failed. */
  error?: unknown;
  /**
   * Set by a tracer in its `start` subscriber: the server calls the handler through it, so the
   * tracer's context (its span) is active for everything the handler does, sync or async.
   * frank does not use `bindStore` for this: newer Node versions accept only an
   * AsyncLocalStorage there, and a tracer's context manager is not one it can hand over.
   */
  runInContext?: <T>(fn: () => T) => T;
}

/** A `frank.route` message. */
export interface RouteMessage {
  /** The request as the server made it (the same object as in `frank.request`). */
  request: Request;
  method: string;
  route: string;
}
