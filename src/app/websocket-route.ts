// `app.ws(pattern, handler)`: a GET route that takes only WebSocket upgrade requests and answers
// with the socket's hooks (http/websocket.ts). Filters, conditions and `halt` act on the upgrade
// request as on any other, so a guard that halts(401) refuses the upgrade with a 401.
import { requireByteSize } from "../http/byte-size.js";
import {
  isWebSocketUpgrade,
  upgradeResponse,
  type WebSocketEvents,
  type WebSocketHooks,
  type WebSocketMessage,
  type WebSocketPeer,
} from "../http/websocket.js";
import type { Condition } from "./conditions.js";
import type { Context } from "./context.js";
import type { Settings } from "./settings.js";

export type { WebSocketEvents, WebSocketMessage, WebSocketPeer };

/**
 * The socket's hooks, or a function of the upgrade request's Context that returns them (typed
 * params, cookies, session; per-connection state in its closure; `c.halt(403)` refuses).
 */
export type WebSocketHandler<P, H> =
  | WebSocketEvents
  | ((c: Context<P> & H) => WebSocketEvents | Promise<WebSocketEvents>);

/** Per-route options of `app.ws`, given with the conditions: `app.ws("/feed", { maxMessageSize: "16kb" }, h)`. */
export interface WebSocketRouteOptions {
  /** Largest message (bytes or "64kb"); a bigger one closes the socket with 1009. Default: the `wsMaxMessageSize` setting. */
  maxMessageSize?: number | string;
  /** Seconds between pings (0: none). Default: the `wsPingInterval` setting. */
  pingInterval?: number;
  /** Subprotocols this route speaks, in order of preference (Sec-WebSocket-Protocol). */
  protocols?: readonly string[];
}

export const WEBSOCKET_ROUTE_OPTIONS = ["maxMessageSize", "pingInterval", "protocols"] as const;

/** Only an upgrade request reaches a WebSocket route; anything else goes on to the next route. */
export const upgradeRequested: Condition = (c) => isWebSocketUpgrade(c.req);

function seconds(raw: unknown, name: string): number {
  if (typeof raw !== "number" || !Number.isFinite(raw) || raw < 0)
    throw new TypeError(`${name} is ${JSON.stringify(raw)}, which is not a number of seconds (0 or more)`);
  return Math.round(raw * 1000);
}

/** The limits a WebSocket route applies: its own options over the app's settings; wrong values throw a TypeError that names them. */
export function webSocketLimits(
  options: WebSocketRouteOptions,
  settings: Settings,
): Pick<WebSocketHooks, "maxMessageBytes" | "pingIntervalMs" | "protocols"> {
  return {
    maxMessageBytes:
      options.maxMessageSize !== undefined
        ? requireByteSize(options.maxMessageSize, "maxMessageSize")
        : requireByteSize(settings.wsMaxMessageSize, "the wsMaxMessageSize setting"),
    pingIntervalMs:
      options.pingInterval !== undefined
        ? seconds(options.pingInterval, "pingInterval")
        : seconds(settings.wsPingInterval, "the wsPingInterval setting"),
    protocols: options.protocols,
  };
}

/** The route handler behind `app.ws`: the hooks (bound to the object they came in) and the limits, as an upgrade answer. */
export function webSocketRouteHandler<P, H>(
  what: string,
  handler: WebSocketHandler<P, H>,
  options: WebSocketRouteOptions,
): (c: Context<P> & H) => Response | Promise<Response> {
  if (options.maxMessageSize !== undefined) requireByteSize(options.maxMessageSize, `${what}: maxMessageSize`);
  if (options.pingInterval !== undefined) seconds(options.pingInterval, `${what}: pingInterval`);
  const answer = (c: Context<P> & H, events: WebSocketEvents): Response => {
    if (events === null || typeof events !== "object")
      throw new TypeError(`${what}: the handler must give the socket's hooks ({ open, message, close, error })`);
    const hooks: WebSocketHooks = { ...webSocketLimits(options, c.settings) };
    if (events.open) hooks.open = events.open.bind(events);
    if (events.message) hooks.message = events.message.bind(events);
    if (events.close) hooks.close = events.close.bind(events);
    if (events.error) hooks.error = events.error.bind(events);
    return upgradeResponse(c.req, hooks);
  };
  return (c) => {
    if (typeof handler !== "function") return answer(c, handler);
    const events = handler(c);
    return events instanceof Promise ? events.then((resolved) => answer(c, resolved)) : answer(c, events);
  };
}
