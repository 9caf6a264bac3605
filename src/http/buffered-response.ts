/**
 * A Response whose body is already whole (a string, bytes or nothing), built lazily.
 *
 * On Node 20, `new Response(string)` wraps the body in a ReadableStream and validates every
 * header: most of the cost of a small handler. A buffered response keeps status, headers and
 * body as plain values; a server that knows `bufferedParts()` writes them straight to the
 * socket, and anything else (`.body`, `.text()`, `.headers`, `clone()`) gets a real Response,
 * created on first use. `instanceof Response` holds.
 */

import { lazyPrototype } from "./lazy-prototype.js";

// Registered symbols: an app that loads frank's source and a launcher running its build are two
// copies of this module, and both must recognise the same buffered response.
const kParts = Symbol.for("frank.bufferedParts");
const kReal = Symbol.for("frank.realResponse");

export type HeaderRecord = Record<string, string>;

export interface BufferedParts {
  status: number;
  /** Lower-case names; Set-Cookie values are kept apart in `setCookies`. */
  headers: HeaderRecord;
  setCookies: readonly string[];
  body: string | Uint8Array | null;
}

interface BufferedResponse extends Response {
  [kParts]: BufferedParts;
  [kReal]: Response | undefined;
}

function realOf(lazy: BufferedResponse): Response {
  let real = lazy[kReal];
  if (real === undefined) {
    const { status, headers, setCookies, body } = lazy[kParts];
    const init = new Headers(headers);
    for (const cookie of setCookies) init.append("set-cookie", cookie);
    real = new Response(body as BodyInit | null, { status, headers: init });
    lazy[kReal] = real;
  }
  return real;
}

// Status is read on every response; everything else is answered by the real Response.
const bufferedResponsePrototype = lazyPrototype<BufferedResponse>(
  Response.prototype,
  {
    status: {
      get(this: BufferedResponse) {
        return this[kParts].status;
      },
    },
    ok: {
      get(this: BufferedResponse) {
        const { status } = this[kParts];
        return status >= 200 && status < 300;
      },
    },
  },
  realOf,
);

export function bufferedResponse(parts: BufferedParts): Response {
  const lazy = Object.create(bufferedResponsePrototype) as BufferedResponse;
  lazy[kParts] = parts;
  lazy[kReal] = undefined;
  return lazy;
}

/** The plain parts of a buffered response not yet turned into a real one, else undefined. */
export function bufferedParts(response: Response): BufferedParts | undefined {
  const lazy = response as Partial<BufferedResponse>;
  return lazy[kReal] === undefined ? lazy[kParts] : undefined;
}

/**
 * Sets a header on a buffered response without making it a real one; false when `response`
 * is not (or no longer) buffered, and the caller edits `response.headers` instead.
 * `lowerCaseName` must be a valid header name in lower case; Set-Cookie is not set this way.
 */
export function setBufferedHeader(response: Response, lowerCaseName: string, value: string): boolean {
  const parts = bufferedParts(response);
  if (parts === undefined) return false;
  parts.headers[lowerCaseName] = value;
  return true;
}
