import type { ServerResponse } from "node:http";
import { bufferedParts, type BufferedParts } from "../http/buffered-response.js";
import { drainOrClose } from "../http/drain-or-close.js";

/** Statuses whose responses never carry a body (RFC 9110 §6.4.1). */
function bodyless(status: number, method: string | undefined): boolean {
  return method === "HEAD" || status === 204 || status === 304 || status < 200;
}

/** Header pairs as the flat [name, value, name, value] list `writeHead` takes; keeps every Set-Cookie apart. */
function flatHeaders(headers: Headers): string[] {
  const flat: string[] = [];
  headers.forEach((value, name) => {
    if (name !== "set-cookie") flat.push(name, value);
  });
  for (const cookie of headers.getSetCookie()) flat.push("set-cookie", cookie);
  return flat;
}

function byteLength(chunk: Uint8Array | string): number {
  return typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.byteLength;
}

/**
 * Node's Response (undici) keeps the string or bytes it was made from next to the stream it
 * would read them through. Reading that stream costs more than the rest of a small request,
 * so when the source is there (and nobody touched the body) it is written directly.
 * Where a runtime keeps no such record, every body takes the stream path.
 */
const undiciState = Object.getOwnPropertySymbols(new Response("")).find((symbol) => symbol.description === "state");

function bodySource(response: Response): string | Uint8Array | undefined {
  if (undiciState === undefined || response.bodyUsed) return undefined;
  const body = (
    response as unknown as Record<symbol, { body?: { source?: unknown; stream?: ReadableStream } } | undefined>
  )[undiciState]?.body;
  if (!body || body.stream?.locked) return undefined;
  const source = body.source;
  return typeof source === "string" || source instanceof Uint8Array ? source : undefined;
}

/** A buffered response: plain headers and a whole body, one write. Returns the body bytes written. */
function writeBuffered(
  res: ServerResponse,
  { status, headers, setCookies, body }: BufferedParts,
  method: string | undefined,
): number {
  const flat: string[] = [];
  for (const name in headers) flat.push(name, headers[name]);
  for (const cookie of setCookies) flat.push("set-cookie", cookie);
  if (body === null || bodyless(status, method)) {
    res.writeHead(status, flat);
    res.end();
    return 0;
  }
  const length = byteLength(body);
  if (headers["content-length"] === undefined) flat.push("content-length", String(length));
  res.writeHead(status, flat);
  res.end(body);
  return length;
}

const STILL_STREAMING = Symbol("still streaming");

/**
 * The second read of a body that came from a string or bytes settles within a few
 * microtasks; a real stream (SSE, a file) usually does not. Waiting one turn of the
 * event loop tells the two apart without delaying a live stream noticeably.
 */
function settlesThisTurn<T>(promise: Promise<T>): Promise<T | typeof STILL_STREAMING> {
  return new Promise((resolve, reject) => {
    const timer = setImmediate(resolve, STILL_STREAMING);
    promise.then(
      (value) => {
        clearImmediate(timer);
        resolve(value);
      },
      (error) => {
        clearImmediate(timer);
        reject(error);
      },
    );
  });
}

/**
 * Sends a Web Response through a Node ServerResponse and tells how many body bytes went out.
 * A buffered response (a frank App's usual answer) is written at once and the count returned
 * as a number, without a promise; may throw (an invalid header value, say). Anything else
 * resolves to the count once written (see writeStreamable).
 */
export function writeResponse(
  res: ServerResponse,
  response: Response,
  method: string | undefined,
): number | Promise<number> {
  const buffered = bufferedParts(response);
  if (buffered !== undefined) return writeBuffered(res, buffered, method);
  return writeStreamable(res, response, method);
}

/**
 * A body that arrives as one chunk (what `new Response(string | bytes)` gives) goes out with
 * Content-Length in one write; anything longer is streamed chunk by chunk, waiting for 'drain'
 * when the socket is full. When the client goes away the body stream is cancelled, so its
 * producer can stop.
 */
async function writeStreamable(res: ServerResponse, response: Response, method: string | undefined): Promise<number> {
  const status = response.status;
  const headers = flatHeaders(response.headers);
  const body = response.body;

  if (body === null || bodyless(status, method)) {
    if (body !== null) body.cancel().catch(() => {});
    res.writeHead(status, response.statusText || undefined, headers);
    res.end();
    return 0;
  }

  const source = bodySource(response);
  if (source !== undefined) {
    if (!response.headers.has("content-length")) headers.push("content-length", String(byteLength(source)));
    res.writeHead(status, response.statusText || undefined, headers);
    res.end(source);
    return byteLength(source);
  }

  const reader = body.getReader();
  let bytes = 0;
  const onClose = () => {
    if (!res.writableFinished) reader.cancel(new Error("the client closed the connection")).catch(() => {});
  };
  res.once("close", onClose);
  try {
    const statusText = response.statusText || undefined;
    const first = await reader.read();
    if (first.done) {
      if (!response.headers.has("content-length")) headers.push("content-length", "0");
      res.writeHead(status, statusText, headers);
      res.end();
      return 0;
    }
    let pending: ReadableStreamReadResult<Uint8Array> | undefined;
    if (!response.headers.has("content-length")) {
      const secondRead = reader.read();
      const second = await settlesThisTurn(secondRead);
      if (second !== STILL_STREAMING && second.done) {
        // The whole body is one chunk: send it with a Content-Length in one write.
        headers.push("content-length", String(byteLength(first.value)));
        res.writeHead(status, statusText, headers);
        res.end(first.value);
        return byteLength(first.value);
      }
      res.writeHead(status, statusText, headers);
      bytes += byteLength(first.value);
      if (!res.write(first.value)) await drainOrClose(res);
      pending = second === STILL_STREAMING ? await secondRead : second;
    } else {
      res.writeHead(status, statusText, headers);
      bytes += byteLength(first.value);
      if (!res.write(first.value)) await drainOrClose(res);
      pending = await reader.read();
    }
    for (let chunk = pending; !chunk.done && !res.destroyed; chunk = await reader.read()) {
      bytes += byteLength(chunk.value);
      if (!res.write(chunk.value)) await drainOrClose(res);
    }
    if (!res.destroyed) res.end();
    return bytes;
  } finally {
    res.off("close", onClose);
  }
}
