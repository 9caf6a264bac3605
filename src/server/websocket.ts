// Completes a WebSocket upgrade the app asked for (http/websocket.ts) with the `ws` package (an
// optional peer dependency, loaded the first time a socket is opened, or before listening when
// the app says it has WebSocket routes), and drives the app's hooks: messages in order, a ping
// every interval with a peer that missed the last pong dropped, a 1009 close for a message over
// the route's limit, and a 1001 close when the server drains.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { WebSocket as WsWebSocket, WebSocketServer as WsServer } from "ws";
import { onFirstUse } from "../http/on-first-use.js";
import { responseSent } from "../http/response-sent.js";
import type { WebSocketHooks, WebSocketMessage, WebSocketPeer } from "../http/websocket.js";

type WsModule = typeof import("ws");

const loadWs = onFirstUse<WsModule>("ws");

export const WS_MISSING =
  "WebSocket routes need the ws package, which is not installed: npm install ws (frank loads it only for apps with WebSockets)";

/** The `ws` package, or an Error that says to install it. */
export function requireWs(): WsModule {
  try {
    return loadWs();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "MODULE_NOT_FOUND") throw new Error(WS_MISSING, { cause: error });
    throw error;
  }
}

export interface WebSocketServing {
  /** Called with each open socket and what asks it to go (GracefulShutdown.trackUpgrade). */
  track?(socket: Socket, goAway: () => void): void;
  /** Errors thrown by a hook (the socket is closed with 1011). */
  onError(error: unknown, request: Request): void;
  /**
   * The upgrade request is over: 101 once the handshake is done, or the status of a refused
   * handshake (for the request observers: metrics count the upgrade, not the socket's lifetime).
   */
  handshakeEnded?(status: number, aborted: boolean): void;
}

/** Reasons under 123 bytes (the close frame's limit). */
const GOING_AWAY = "server shutting down";

/** Response headers that belong to the handshake, not to the app. */
const HANDSHAKE_HEADERS = new Set([
  "connection",
  "content-length",
  "content-type",
  "keep-alive",
  "transfer-encoding",
  "upgrade",
]);

/** What the handshake of one request needs from the answer; read by the shared WebSocketServer's hooks. */
interface Pending {
  protocols: readonly string[] | undefined;
  headers: string[];
  refused?: (status: number) => void;
}

const kPending = Symbol("frank.websocketPending");
type PendingRequest = IncomingMessage & { [kPending]?: Pending };

/** One ws server per message limit (ws takes it per server); no HTTP server of its own. */
const servers = new Map<number, WsServer>();

function serverFor(maxPayload: number): WsServer {
  let server = servers.get(maxPayload);
  if (server === undefined) {
    const ws = requireWs();
    server = new ws.WebSocketServer({
      noServer: true,
      clientTracking: false,
      // Compression is off: it costs CPU and memory per socket, and compressed frames can hide a bomb.
      perMessageDeflate: false,
      maxPayload,
      handleProtocols: (offered: Set<string>, req: PendingRequest) => {
        for (const protocol of req[kPending]?.protocols ?? []) if (offered.has(protocol)) return protocol;
        return false;
      },
    });
    server.on("headers", (headers: string[], req: PendingRequest) => {
      const extra = req[kPending]?.headers ?? [];
      for (let i = 0; i < extra.length; i += 2) headers.push(`${extra[i]}: ${extra[i + 1]}`);
    });
    server.on("wsClientError", (error: Error, socket: Socket, req: PendingRequest) => {
      const status = /method/i.test(error.message) ? 405 : 400;
      const body = `Bad Request: ${error.message}\n`;
      if (socket.writable) {
        socket.end(
          `HTTP/1.1 ${status} ${status === 405 ? "Method Not Allowed" : "Bad Request"}\r\n` +
            `Content-Type: text/plain;charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
            `Sec-WebSocket-Version: 13\r\nConnection: close\r\n\r\n${body}`,
        );
      }
      socket.destroy();
      req[kPending]?.refused?.(status);
    });
    servers.set(maxPayload, server);
  }
  return server;
}

/** The app's headers that go on the 101 answer (Set-Cookie, X-Request-Id…), as name/value pairs. */
function extraHeaders(response: Response): string[] {
  const pairs: string[] = [];
  response.headers.forEach((value, name) => {
    if (!HANDSHAKE_HEADERS.has(name) && !name.startsWith("sec-websocket-") && name !== "set-cookie")
      pairs.push(name, value);
  });
  for (const cookie of response.headers.getSetCookie()) pairs.push("set-cookie", cookie);
  return pairs;
}

class Peer implements WebSocketPeer {
  readonly #ws: WsWebSocket;
  readonly request: Request;
  readonly remoteAddress: string | undefined;

  constructor(ws: WsWebSocket, request: Request, remoteAddress: string | undefined) {
    this.#ws = ws;
    this.request = request;
    this.remoteAddress = remoteAddress;
  }

  send(data: string | ArrayBuffer | ArrayBufferView): boolean {
    if (this.#ws.readyState !== 1) return false;
    this.#ws.send(data);
    return true;
  }

  close(code?: number, reason?: string): void {
    this.#ws.close(code, reason);
  }

  terminate(): void {
    this.#ws.terminate();
  }

  get readyState(): number {
    return this.#ws.readyState;
  }

  get protocol(): string {
    return this.#ws.protocol;
  }

  get bufferedAmount(): number {
    return this.#ws.bufferedAmount;
  }
}

/**
 * Runs the hooks one after another: while an async hook runs, the socket is paused, so
 * messages are handled in order and a slow handler slows the client down instead of queueing
 * its messages in memory. A hook that throws or rejects is logged and closes the socket with 1011.
 */
function hookRunner(ws: WsWebSocket, fail: (error: unknown) => void) {
  const waiting: Array<() => unknown> = [];
  let busy = false;
  const invoke = (call: () => unknown): Promise<void> | undefined => {
    try {
      const result = call();
      if (result instanceof Promise) return result.then(() => undefined, fail);
    } catch (error) {
      fail(error);
    }
    return undefined;
  };
  const drain = async () => {
    for (let next = waiting.shift(); next !== undefined; next = waiting.shift()) await invoke(next);
    busy = false;
    ws.resume();
  };
  return (call: () => unknown) => {
    if (busy) {
      waiting.push(call);
      return;
    }
    const running = invoke(call);
    if (running === undefined) return;
    busy = true;
    ws.pause();
    void running.then(drain);
  };
}

/**
 * Takes the socket of `req` over for a WebSocket: the handshake answers 101 (with the app's
 * headers), then the hooks run. The access log gets its line when the socket closes (status 101,
 * the bytes written after the handshake). Throws when `ws` is not installed.
 */
export function acceptWebSocket(
  req: IncomingMessage,
  res: ServerResponse,
  head: Buffer,
  request: Request,
  response: Response,
  hooks: WebSocketHooks,
  serving: WebSocketServing,
): void {
  const server = serverFor(hooks.maxMessageBytes ?? 100 * 1024 * 1024);
  const socket = req.socket;
  const pending: Pending = {
    protocols: hooks.protocols,
    headers: extraHeaders(response),
    refused: (status) => {
      (req as PendingRequest)[kPending] = undefined;
      responseSent(response, 0, true, status);
      serving.handshakeEnded?.(status, true);
    },
  };
  (req as PendingRequest)[kPending] = pending;
  // The socket is the WebSocket's now; the HTTP response that was to be written there never will be.
  res.detachSocket(socket);
  socket.setTimeout(0);
  const bytesBefore = socket.bytesWritten;

  server.handleUpgrade(req, socket, head, (ws: WsWebSocket) => {
    (req as PendingRequest)[kPending] = undefined;
    serving.handshakeEnded?.(101, false);
    const peer = new Peer(ws, request, socket.remoteAddress);
    const run = hookRunner(ws, (error) => {
      serving.onError(error, request);
      if (ws.readyState === 1) ws.close(1011, "internal error");
    });

    let timer: NodeJS.Timeout | undefined;
    if (hooks.pingIntervalMs && hooks.pingIntervalMs > 0) {
      let answered = true;
      ws.on("pong", () => {
        answered = true;
      });
      timer = setInterval(() => {
        // No pong since the last ping: the peer (or the network to it) is gone.
        if (!answered) {
          ws.terminate();
          return;
        }
        answered = false;
        ws.ping();
      }, hooks.pingIntervalMs);
      timer.unref();
    }

    ws.on("message", (data: Buffer, isBinary: boolean) => {
      if (!hooks.message) return;
      const message: WebSocketMessage = isBinary
        ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
        : data.toString();
      run(() => hooks.message!(peer, message));
    });
    ws.on("error", (error: Error) => {
      if (hooks.error) run(() => hooks.error!(peer, error));
    });
    ws.once("close", (code: number, reason: Buffer) => {
      clearInterval(timer);
      if (hooks.close) run(() => hooks.close!(peer, code, reason.toString()));
      responseSent(response, socket.bytesWritten - bytesBefore, false, 101);
    });
    serving.track?.(socket, () => {
      if (ws.readyState === 1) ws.close(1001, GOING_AWAY);
    });
    if (hooks.open) run(() => hooks.open!(peer));
  });
  // ws completes the handshake synchronously, or refuses it (above); a client that went away
  // while the app decided (its FIN already in) is dropped without either. The upgrade request is
  // over all the same: not left in flight in the metrics, and its access-log line is written.
  if ((req as PendingRequest)[kPending] === pending) pending.refused?.(101);
}
