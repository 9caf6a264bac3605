// The WebSocket contract between an app and a server, in the shape h3 and crossws use: the
// handler answers an upgrade request with a 426 Response that carries the socket's hooks (and
// marks the request with them, so a middleware that rebuilds the Response does not lose them).
// A server that can upgrade (frank's) completes the handshake and calls the hooks; any other
// server sends the 426, which is the right answer for a client that cannot upgrade either.
import { originalRequest } from "./request-state.js";

/** A message as a hook receives it: a string for a text frame, bytes for a binary one. */
export type WebSocketMessage = string | Uint8Array;

/** One open WebSocket, as the app's hooks see it; the server implements it. */
export interface WebSocketPeer {
  /** Sends a text (string) or binary message; false when the socket is no longer open. */
  send(data: string | ArrayBuffer | ArrayBufferView): boolean;
  /** Starts the closing handshake (default code 1000). */
  close(code?: number, reason?: string): void;
  /** Drops the connection without a closing handshake. */
  terminate(): void;
  /** 0 connecting, 1 open, 2 closing, 3 closed, as in the browser's WebSocket. */
  readonly readyState: number;
  /** The subprotocol chosen in the handshake, or "". */
  readonly protocol: string;
  /** Bytes queued but not yet sent: watch it to slow a producer down. */
  readonly bufferedAmount: number;
  /** The upgrade request (URL, headers, cookies). */
  readonly request: Request;
  readonly remoteAddress: string | undefined;
}

/** What happens on the socket; each hook may be async. An error thrown in a hook closes the socket with 1011. */
export interface WebSocketEvents {
  open?(ws: WebSocketPeer): unknown;
  message?(ws: WebSocketPeer, data: WebSocketMessage): unknown;
  /** The socket closed: 1000 normal, 1001 going away, 1006 dropped without a close frame, 1009 message too big… */
  close?(ws: WebSocketPeer, code: number, reason: string): unknown;
  error?(ws: WebSocketPeer, error: Error): unknown;
}

/** The hooks and the limits of one socket, as the server reads them from the upgrade answer. */
export interface WebSocketHooks extends WebSocketEvents {
  /** Largest message accepted; a bigger one closes the socket with 1009. */
  maxMessageBytes?: number;
  /** How often the server pings; a peer that has not answered the previous ping is dropped. 0: never. */
  pingIntervalMs?: number;
  /** Subprotocols the app speaks, in order of preference. */
  protocols?: readonly string[];
}

const HOOKS: unique symbol = Symbol.for("frank.websocket.hooks");

type Marked = { [HOOKS]?: WebSocketHooks };

/** A GET whose Upgrade header names websocket (RFC 6455 §4.1). */
export function isWebSocketUpgrade(req: Request): boolean {
  if (req.method !== "GET") return false;
  const upgrade = req.headers.get("upgrade");
  return upgrade !== null && upgrade.trim().toLowerCase() === "websocket";
}

/** The answer that asks the server to upgrade `req` to a WebSocket driven by `hooks`. */
export function upgradeResponse(req: Request, hooks: WebSocketHooks): Response {
  (originalRequest(req) as Request & Marked)[HOOKS] = hooks;
  const response = new Response("Upgrade Required: this resource speaks WebSocket\n", {
    status: 426,
    headers: { "content-type": "text/plain;charset=utf-8", upgrade: "websocket" },
  }) as Response & Marked;
  response[HOOKS] = hooks;
  return response;
}

/** The hooks of an upgrade answer (426 with hooks on the response or on its request), else undefined. */
export function webSocketHooksOf(response: Response, req: Request): WebSocketHooks | undefined {
  if (response.status !== 426) return undefined;
  return (response as Response & Marked)[HOOKS] ?? (originalRequest(req) as Request & Marked)[HOOKS];
}
