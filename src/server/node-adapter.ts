import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { Handler } from "../http/types.js";
import { statusOf } from "../http/error-status.js";
import { webSocketHooksOf } from "../http/websocket.js";
import { HttpError, statusText } from "../http/http-error.js";
import { responseSent } from "../http/response-sent.js";
import { exchangeEnded } from "./exchange-end.js";
import { createRequest } from "./node-request.js";
import { requestUrl } from "./request-url.js";
import { upgradeHead } from "./upgrades.js";
import { acceptWebSocket } from "./websocket.js";
import { writeResponse } from "./write-response.js";

export interface NodeListenerOptions {
  /** Called with every error the handler throws or a response body raises; default: console.error. */
  onError?: (error: unknown, request: Request) => void;
  /** Longest request target (path + query) accepted; longer ones get 414. Default 8192. */
  maxUrlLength?: number;
  /** Aborts when the server starts draining; requests carry it (http/drain-signal.ts). */
  drainSignal?: AbortSignal;
  /** Follows each WebSocket with what asks it to go (GracefulShutdown.trackUpgrade). */
  trackUpgrade?: (socket: Socket, goAway: () => void) => void;
}

export const DEFAULT_MAX_URL_LENGTH = 8192;

function defaultOnError(error: unknown, request: Request): void {
  console.error(`frank: error while handling ${request.method} ${request.url}:`, error);
}

function sendPlain(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = message + "\n";
  res.writeHead(status, {
    "content-type": "text/plain;charset=utf-8",
    "content-length": Buffer.byteLength(body),
  });
  res.end(body);
}

/** Bad input thrown from deep inside an app still answers 4xx, not 500 (the status rule all layers share). */
function errorStatus(error: unknown): { status: number; message: string } {
  const status = statusOf(error);
  if (error instanceof HttpError && error.expose) return { status, message: error.message };
  if (error instanceof URIError) return { status, message: "Bad Request: malformed percent-encoding in the URL" };
  return { status, message: statusText(status) };
}

/**
 * Turns any Web-standard handler into a node:http request listener: the hot path.
 * Request bodies stream in (the socket pauses while the handler is behind), response bodies
 * stream out (waiting for 'drain'), and a client that goes away aborts `req.signal` and
 * cancels the response body.
 */
export function toNodeListener(
  handler: Handler,
  options: NodeListenerOptions = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  const onError = options.onError ?? defaultOnError;
  const maxUrlLength = options.maxUrlLength ?? DEFAULT_MAX_URL_LENGTH;
  const drainSignal = options.drainSignal;

  function fail(res: ServerResponse, request: Request, error: unknown): void {
    const { status, message } = errorStatus(error);
    if (status >= 500 || res.headersSent) onError(error, request);
    const cut = res.headersSent;
    const sentStatus = cut ? res.statusCode : status;
    if (cut)
      res.destroy(); // the client must see a cut-off body, not a clean end
    else if (!res.destroyed) sendPlain(res, status, message);
    exchangeEnded(request, sentStatus, cut || !res.writableEnded, error);
  }

  function respond(res: ServerResponse, request: Request, response: unknown): void {
    if (!(response instanceof Response)) {
      fail(res, request, new TypeError(`the handler returned ${describe(response)} instead of a Response`));
      return;
    }
    // A request that came as an upgrade (see upgrades.ts) whose answer asks for a WebSocket.
    const head = upgradeHead(res.req);
    if (head !== undefined) {
      const hooks = webSocketHooksOf(response, request);
      if (hooks !== undefined) {
        try {
          acceptWebSocket(res.req, res, head, request, response, hooks, {
            track: options.trackUpgrade,
            onError,
            handshakeEnded: (status, aborted) => exchangeEnded(request, status, aborted),
          });
        } catch (error) {
          writeFailed(res, request, response, error);
        }
        return;
      }
    }
    let written: number | Promise<number>;
    try {
      written = writeResponse(res, response, request.method);
    } catch (error) {
      writeFailed(res, request, response, error);
      return;
    }
    // A whole body was written at once (a number); a streamed one reports when it is done.
    if (typeof written === "number") sent(res, request, response, written);
    else {
      written.then(
        (bytes) => sent(res, request, response, bytes),
        (error) => writeFailed(res, request, response, error),
      );
    }
  }

  function sent(res: ServerResponse, request: Request, response: Response, bytes: number): void {
    const aborted = !res.writableEnded;
    responseSent(response, bytes, aborted);
    exchangeEnded(request, response.status, aborted);
  }

  /** Writing failed (an invalid header, a body stream that errored): the response is abandoned. */
  function writeFailed(res: ServerResponse, request: Request, response: Response, error: unknown): void {
    responseSent(response, 0, true);
    fail(res, request, error);
  }

  return (req, res) => {
    if ((req.url?.length ?? 0) > maxUrlLength) {
      sendPlain(res, 414, `URI Too Long: the request target is longer than ${maxUrlLength} characters`);
      return;
    }
    const url = requestUrl(req);
    if (url === undefined) {
      sendPlain(res, 400, "Bad Request: the request target and Host header do not form a valid URL");
      return;
    }
    const request = createRequest(req, url, res, drainSignal);

    let result: Response | Promise<Response>;
    try {
      result = handler(request);
    } catch (error) {
      fail(res, request, error);
      return;
    }
    if (typeof (result as Promise<Response>).then === "function") {
      (result as Promise<Response>).then(
        (response) => respond(res, request, response),
        (error) => fail(res, request, error),
      );
    } else {
      respond(res, request, result);
    }
  };
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (typeof value === "object") return `an object (${value.constructor?.name ?? "Object"})`;
  return `a ${typeof value} (${String(value).slice(0, 40)})`;
}
