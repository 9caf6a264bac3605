import type { IncomingMessage, ServerResponse } from "node:http";
import { CLIENT_ADDRESS } from "../http/client-address.js";
import { ClientClosedRequest } from "../http/client-closed.js";
import { HTTP_VERSION } from "../http/connection-info.js";
import { DRAIN_SIGNAL } from "../http/drain-signal.js";
import { lazyPrototype } from "../http/lazy-prototype.js";
import { REPORTS_RESPONSE_SENT } from "../http/response-sent.js";
import { MATCHED_ROUTE } from "../http/route-record.js";
import { initExchangeFields } from "./exchange-end.js";
import { createHeaders, rawHeaderValue, realHeaders } from "./node-headers.js";

/**
 * A Web `Request` for a Node request, built lazily: `method` and `url` are plain fields,
 * `headers` is filled from `rawHeaders` on first use, the abort signal exists only once
 * somebody asks for it, and a real `Request` (with the streamed body) is created only when
 * a property outside those four is touched. Most requests never need more than
 * method + url + a header or two, and building a full undici Request costs more than
 * the rest of the adapter together.
 *
 * `instanceof Request` holds. The one thing that does not work is passing it as the
 * *first* argument of `new Request(req)` or `fetch(req)` (undici checks its private brand);
 * copy the fields instead, as `derivedRequest` in http/ does.
 */

const kIncoming = Symbol("frank.incoming");
const kUrl = Symbol("frank.url");
const kHeaders = Symbol("frank.headers");
const kResponse = Symbol("frank.response");
const kController = Symbol("frank.abortController");
const kReal = Symbol("frank.realRequest");
const kBodyRead = Symbol("frank.bodyRead");

interface LazyRequest extends Request {
  [kIncoming]: IncomingMessage;
  [kUrl]: string;
  [kHeaders]: Headers | undefined;
  [kResponse]: ServerResponse;
  [kController]: AbortController | undefined;
  [kReal]: Request | undefined;
  /** The body was read whole by text()/json()/arrayBuffer() without a Web stream. */
  [kBodyRead]: boolean;
  [DRAIN_SIGNAL]: AbortSignal | undefined;
}

/** Bytes of request body buffered in the Web stream before the socket is paused. */
const BODY_HIGH_WATER_MARK = 64 * 1024;

function headersOf(lazy: LazyRequest): Headers {
  if (lazy[kReal]) return lazy[kReal].headers;
  lazy[kHeaders] ??= createHeaders(lazy[kIncoming]);
  return lazy[kHeaders];
}

/**
 * `req.signal` aborts when the client goes away before the response is complete. Only
 * requests whose signal is asked for (streams, long polls, a full Request) pay for
 * listening to the response's close.
 */
function signalOf(lazy: LazyRequest): AbortSignal {
  let controller = lazy[kController];
  if (controller === undefined) {
    const aborter = new AbortController();
    const res = lazy[kResponse];
    const abortUnlessFinished = () => {
      if (!res.writableFinished) aborter.abort();
    };
    if (res.closed) abortUnlessFinished();
    else res.once("close", abortUnlessFinished);
    lazy[kController] = controller = aborter;
  }
  return controller.signal;
}

function hasBody(incoming: IncomingMessage): boolean {
  const method = incoming.method;
  if (method === "GET" || method === "HEAD") return false;
  // From the raw list: `incoming.headers` would build Node's header object just for this.
  const raw = incoming.rawHeaders;
  const length = rawHeaderValue(raw, "content-length");
  return rawHeaderValue(raw, "transfer-encoding") !== null || (length !== null && length !== "0");
}

/**
 * The request body as a Web stream that pauses the socket while the consumer is behind
 * (Readable.toWeb on Node 20 counts chunks, not bytes, so it hardly ever pushes back).
 */
function bodyStream(incoming: IncomingMessage): ReadableStream<Uint8Array> {
  let onData: (chunk: Buffer) => void = () => {};
  let stop: () => void = () => {};
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        // Once the stream is settled (ended, errored or cancelled) nothing may enqueue again:
        // a late chunk on a closed controller throws from an event listener and kills the process.
        let settled = false;
        onData = (chunk: Buffer) => {
          if (settled) return;
          controller.enqueue(chunk);
          if ((controller.desiredSize ?? 1) <= 0) incoming.pause();
        };
        incoming.on("data", onData);
        incoming.once("end", () => {
          if (settled) return;
          settled = true;
          controller.close();
        });
        // A client that goes away mid-upload ends the stream with an error, not silence.
        incoming.once("close", () => {
          if (settled || incoming.complete) return;
          settled = true;
          controller.error(new ClientClosedRequest());
        });
        stop = () => {
          settled = true;
        };
      },
      pull() {
        incoming.resume();
      },
      cancel() {
        // Nobody wants the rest: let Node discard it so the connection can be reused.
        stop();
        incoming.off("data", onData);
        incoming.resume();
      },
    },
    { highWaterMark: BODY_HIGH_WATER_MARK, size: (chunk) => chunk.byteLength },
  );
}

function realOf(lazy: LazyRequest): Request {
  let real = lazy[kReal];
  if (real === undefined) {
    const incoming = lazy[kIncoming];
    const init: RequestInit & { duplex?: "half" } = {
      method: incoming.method,
      headers: realHeaders(headersOf(lazy)),
      signal: signalOf(lazy),
    };
    if (hasBody(incoming) && !lazy[kBodyRead]) {
      init.body = bodyStream(incoming);
      init.duplex = "half";
    }
    real = new Request(lazy[kUrl], init);
    lazy[kReal] = real;
  }
  return real;
}

/**
 * The whole body as one Buffer, straight from the socket: what `c.json()` and `c.text()` need,
 * without a Web stream and a full Request (the costliest part of a small POST).
 */
function readWholeBody(lazy: LazyRequest): Promise<Buffer> {
  if (lazy[kBodyRead] || lazy[kReal]?.bodyUsed) {
    return Promise.reject(new TypeError("Body is unusable: the request body has already been read"));
  }
  lazy[kBodyRead] = true;
  const incoming = lazy[kIncoming];
  if (!hasBody(incoming)) return Promise.resolve(Buffer.alloc(0));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.once("end", () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    // A client that goes away mid-body: Node reports "aborted" (ECONNRESET), then the close.
    incoming.once("error", (error) => reject(incoming.complete ? error : new ClientClosedRequest({ cause: error })));
    incoming.once("close", () => {
      if (!incoming.complete) reject(new ClientClosedRequest());
    });
  });
}

/** Reads that take the fast path while no real Request exists yet. */
const wholeBodyReaders: Record<"text" | "json" | "arrayBuffer", (lazy: LazyRequest) => Promise<unknown>> = {
  text: async (lazy) => (await readWholeBody(lazy)).toString("utf8"),
  json: async (lazy) => JSON.parse((await readWholeBody(lazy)).toString("utf8")),
  arrayBuffer: async (lazy) => {
    const buffer = await readWholeBody(lazy);
    return buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength);
  },
};

/** A whole-body read: the fast path while no real Request exists, else the real one. */
function wholeBodyMethod(name: "text" | "json" | "arrayBuffer"): PropertyDescriptor {
  const fast = wholeBodyReaders[name];
  return {
    value(this: LazyRequest) {
      return this[kReal] === undefined ? fast(this) : realOf(this)[name]();
    },
    writable: true,
    configurable: true,
  };
}

// Everything not answered here (body, formData(), clone(), mode, ...) goes to the real Request.
const lazyRequestPrototype = lazyPrototype<LazyRequest>(
  Request.prototype,
  {
    method: {
      get(this: LazyRequest) {
        return this[kIncoming].method;
      },
    },
    url: {
      get(this: LazyRequest) {
        return this[kUrl];
      },
    },
    headers: {
      get(this: LazyRequest) {
        return headersOf(this);
      },
    },
    signal: {
      get(this: LazyRequest) {
        return signalOf(this);
      },
    },
    bodyUsed: {
      get(this: LazyRequest) {
        return this[kBodyRead] || (this[kReal]?.bodyUsed ?? false);
      },
    },
    text: wholeBodyMethod("text"),
    json: wholeBodyMethod("json"),
    arrayBuffer: wholeBodyMethod("arrayBuffer"),
    // frank's adapter tells middleware (the access log) when each response has been sent.
    [REPORTS_RESPONSE_SENT]: { value: true },
    // What only the socket knows: the client's address (c.ip, rate limiting) and the HTTP version
    // (Sinatra's HTTP/1.0 redirect rule); see http/client-address.ts and http/connection-info.ts.
    [CLIENT_ADDRESS]: {
      get(this: LazyRequest) {
        return socketAddress(this[kIncoming]);
      },
    },
    [HTTP_VERSION]: {
      get(this: LazyRequest) {
        return this[kIncoming].httpVersion;
      },
    },
    [Symbol.for("nodejs.util.inspect.custom")]: {
      value(this: LazyRequest) {
        return { method: this.method, url: this.url, headers: headersOf(this) };
      },
    },
  },
  realOf,
);

/**
 * The Request for a Node request; `response` is where its answer goes (its early close aborts
 * `signal`); `drainSignal` aborts when the server starts draining (see http/drain-signal.ts).
 */
export function createRequest(
  incoming: IncomingMessage,
  url: string,
  response: ServerResponse,
  drainSignal?: AbortSignal,
): Request {
  const lazy = Object.create(lazyRequestPrototype) as LazyRequest;
  lazy[kIncoming] = incoming;
  lazy[kUrl] = url;
  lazy[kHeaders] = undefined;
  lazy[kResponse] = response;
  lazy[kController] = undefined;
  lazy[kReal] = undefined;
  lazy[kBodyRead] = false;
  // Set later by the App and the observers; present from the start, every request has one shape.
  (lazy as Request & { [MATCHED_ROUTE]?: string })[MATCHED_ROUTE] = undefined;
  initExchangeFields(lazy);
  lazy[DRAIN_SIGNAL] = drainSignal;
  return lazy;
}

/** The Node request behind a request made by this adapter (else undefined). */
export function incomingOf(request: Request): IncomingMessage | undefined {
  return (request as Partial<LazyRequest>)[kIncoming];
}

/** The address of the client's socket, for requests made by this adapter (else undefined). */
export function clientAddress(request: Request): string | undefined {
  const incoming = (request as Partial<LazyRequest>)[kIncoming];
  return incoming === undefined ? undefined : socketAddress(incoming);
}

const kRemoteAddress = Symbol("frank.remoteAddress");

/**
 * The peer's address, kept on the socket: the access log asks on every request, and Node's
 * getter goes through the handle each time. Kept once known; a socket's peer never changes.
 */
function socketAddress(incoming: IncomingMessage): string | undefined {
  const socket = incoming.socket as IncomingMessage["socket"] & { [kRemoteAddress]?: string };
  return (socket[kRemoteAddress] ??= socket.remoteAddress);
}
