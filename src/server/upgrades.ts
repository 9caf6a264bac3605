// Upgrade requests go through the same listener as every other request: Node hands them to the
// 'upgrade' event with the raw socket, and a ServerResponse is put on that socket so the handler
// (probes, access log, body limit, the app's filters and routes) answers them as usual. Only
// when the answer asks for a WebSocket (http/websocket.ts) does websocket.ts take the socket over.
import { type IncomingMessage, type Server, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";

const kUpgradeHead = Symbol("frank.upgradeHead");

type UpgradeRequest = IncomingMessage & { [kUpgradeHead]?: Buffer };

/** The bytes that came after an upgrade request's head, for a request that arrived as an upgrade; else undefined. */
export function upgradeHead(req: IncomingMessage): Buffer | undefined {
  return (req as UpgradeRequest)[kUpgradeHead];
}

function refuse(socket: Duplex, status: string, message: string): void {
  const body = `${message}\n`;
  socket.end(
    `HTTP/1.1 ${status}\r\nContent-Type: text/plain;charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/**
 * Answers every upgrade request through `listener`, on a response that closes the connection
 * afterwards. A request asking for another protocol (h2c) is answered as a plain request, as
 * if the Upgrade header were not there (RFC 9110 §7.8 lets a server ignore it) — unless it has
 * a body, which Node no longer parses once it has handed over the socket: that is a 400.
 */
export function answerUpgrades(server: Server, listener: (req: IncomingMessage, res: ServerResponse) => void): void {
  server.on("upgrade", (req: UpgradeRequest, socket: Duplex, head: Buffer) => {
    // Node took its own error listener off the socket; until a WebSocket owns it, a reset is ours to absorb.
    socket.on("error", () => socket.destroy());
    const websocket = (req.headers.upgrade ?? "").trim().toLowerCase() === "websocket";
    const hasBody =
      req.headers["transfer-encoding"] !== undefined ||
      (req.headers["content-length"] !== undefined && req.headers["content-length"] !== "0");
    if (!websocket && hasBody) {
      refuse(socket, "400 Bad Request", "Bad Request: send a request with a body without an Upgrade header");
      return;
    }
    req[kUpgradeHead] = head;
    const res = new ServerResponse(req);
    res.shouldKeepAlive = false;
    res.assignSocket(socket as never);
    res.once("finish", () => {
      res.detachSocket(socket as never);
      (socket as Duplex & { destroySoon?: () => void }).destroySoon?.() ?? socket.end();
    });
    listener(req, res);
  });
}
