import type { Server, ServerOptions } from "node:http";
import type { Duplex } from "node:stream";
import type { Handler } from "../http/types.js";
import { HttpError } from "../http/http-error.js";
import { derivedRequest } from "../http/derived-request.js";

/** Connection timeouts and request size limits of every listener frank opens. */
export interface ServerLimits {
  /** How long an idle keep-alive connection stays open. */
  keepAliveTimeoutMs: number;
  /** How long a client may take to send the request line and headers. */
  headersTimeoutMs: number;
  /** How long a client may take to send the whole request, body included. */
  requestTimeoutMs: number;
  /** Largest request head (request line + headers) in bytes; larger ones get 431. */
  maxHeaderBytes: number;
  /** Largest request body in bytes; larger ones get 413. */
  maxBodyBytes: number;
}

/**
 * nginx's upstream keepalive_timeout and the common cloud load balancers close idle
 * connections after 60 s. The server must wait longer than they do: if it closes first,
 * a proxy can send a request on the connection at the very moment it closes, and that
 * request becomes a 502. Node's own default is 5 s.
 */
export const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 65_000;
/** A second above keep-alive, so a slow first byte on a reused connection is never cut first. */
export const DEFAULT_HEADERS_TIMEOUT_MS = DEFAULT_KEEP_ALIVE_TIMEOUT_MS + 1_000;
/** Node's default; uploads need minutes. Node requires it to be at least headersTimeout. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 300_000;
/** Node's default request head limit. */
export const DEFAULT_MAX_HEADER_BYTES = 16 * 1024;
/** Fastify's default body limit; large uploads should raise it on purpose. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export const DEFAULT_LIMITS: ServerLimits = {
  keepAliveTimeoutMs: DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
  headersTimeoutMs: DEFAULT_HEADERS_TIMEOUT_MS,
  requestTimeoutMs: DEFAULT_REQUEST_TIMEOUT_MS,
  maxHeaderBytes: DEFAULT_MAX_HEADER_BYTES,
  maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
};

/** `createServer` options for these limits (Node applies the timeouts per connection). */
export function serverOptions(limits: ServerLimits): ServerOptions {
  return {
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    headersTimeout: limits.headersTimeoutMs,
    // Node refuses a request timeout below the headers timeout; 0 turns it off.
    requestTimeout: limits.requestTimeoutMs === 0 ? 0 : Math.max(limits.requestTimeoutMs, limits.headersTimeoutMs),
    maxHeaderSize: limits.maxHeaderBytes,
  };
}

function plainAnswer(status: number, reason: string, message: string): string {
  const body = message + "\n";
  return (
    `HTTP/1.1 ${status} ${reason}\r\n` +
    "Content-Type: text/plain;charset=utf-8\r\n" +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    "Connection: close\r\n\r\n" +
    body
  );
}

/**
 * Answers what Node rejects before any handler runs: a request head over the limit (431),
 * a client too slow to send its request (408), and anything unparsable (400) — with a
 * body that says which limit it hit, where Node would send an empty answer.
 */
export function explainClientErrors(server: Server, limits: ServerLimits): void {
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (
      !socket.writable ||
      error.code === "ECONNRESET" ||
      (socket as Duplex & { _httpMessage?: unknown })._httpMessage
    ) {
      socket.destroy();
      return;
    }
    let answer: string;
    if (error.code === "HPE_HEADER_OVERFLOW") {
      answer = plainAnswer(
        431,
        "Request Header Fields Too Large",
        `Request Header Fields Too Large: the request line and headers exceed ${limits.maxHeaderBytes} bytes`,
      );
    } else if (error.code === "ERR_HTTP_REQUEST_TIMEOUT") {
      answer = plainAnswer(408, "Request Timeout", "Request Timeout: the request did not arrive in time");
    } else {
      answer = plainAnswer(400, "Bad Request", "Bad Request: the request is not valid HTTP/1.1");
    }
    socket.end(answer);
  });
}

function tooLargeMessage(maxBytes: number, declared?: number): string {
  const size = declared === undefined ? `more than ${maxBytes} bytes` : `${declared} bytes`;
  return `Content Too Large: the request body is ${size}; this server accepts at most ${maxBytes} bytes`;
}

function tooLarge(maxBytes: number, declared?: number): Response {
  // Connection: close, so the rest of the body is never read: Node closes the socket after this answer.
  return new Response(tooLargeMessage(maxBytes, declared) + "\n", {
    status: 413,
    headers: { "content-type": "text/plain;charset=utf-8", connection: "close" },
  });
}

/** A copy of the body stream that fails with 413 once more than the limit has passed; `raise` may lift the limit once. */
function limitedBody(
  body: ReadableStream<Uint8Array>,
  maxBytes: number,
  raise: () => number | undefined,
  onExceeded: (limit: number) => void,
): ReadableStream<Uint8Array> {
  let seen = 0;
  let limit = maxBytes;
  let asked = false;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > limit && !asked) {
          asked = true;
          limit = Math.max(limit, raise() ?? limit);
        }
        if (seen > limit) {
          onExceeded(limit);
          controller.error(new HttpError(413, tooLargeMessage(limit)));
          return;
        }
        controller.enqueue(chunk);
      },
    }),
  );
}

function withConnectionClose(response: Response): Response {
  try {
    response.headers.set("connection", "close");
    return response;
  } catch {
    const copy = new Response(response.body, response);
    copy.headers.set("connection", "close");
    return copy;
  }
}

/** The largest body the routes for a request accept, when they raise the server's limit (a frank App's `maxBodySize` route option). */
export type RouteBodyLimit = (req: Request) => number | undefined;

/**
 * Refuses request bodies over `maxBytes` with 413. A declared Content-Length over the limit
 * is refused before the handler runs, without reading a byte of the body; a chunked body is
 * counted as the handler reads it, and reading fails with a 413 HttpError at the limit.
 * Either way the connection closes after the answer, so the rest is never read.
 * `routeLimit` is asked only for a body over `maxBytes`: a route may let a larger one through.
 */
export function limitRequestBody(handler: Handler, maxBytes: number, routeLimit?: RouteBodyLimit): Handler {
  return (req) => {
    const method = req.method;
    if (method === "GET" || method === "HEAD") return handler(req);
    const headers = req.headers;
    const length = headers.get("content-length");
    if (length !== null) {
      const declared = Number(length);
      if (declared <= maxBytes) return handler(req);
      const limit = Math.max(maxBytes, routeLimit?.(req) ?? maxBytes);
      return declared > limit ? tooLarge(limit, declared) : handler(req);
    }
    if (!headers.has("transfer-encoding") || req.body === null) return handler(req);
    let exceeded: number | undefined;
    const body = limitedBody(
      req.body,
      maxBytes,
      () => routeLimit?.(req),
      (limit) => (exceeded = limit),
    );
    const limited = derivedRequest(req, { body });
    return Promise.resolve(handler(limited)).then(
      (response) => (exceeded !== undefined ? withConnectionClose(response) : response),
      (error: unknown) => {
        if (exceeded !== undefined) return tooLarge(exceeded);
        throw error;
      },
    );
  };
}
