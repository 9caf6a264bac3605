import type { IncomingMessage } from "node:http";
import { lazyPrototype } from "../http/lazy-prototype.js";

/**
 * `req.headers` for a Node request, built lazily: `get` and `has` read Node's raw header list
 * directly, and a real `Headers` (one `append` per header, the costliest part of reading one
 * header) is built only when something else is asked of it: iteration, `set`, `entries()`...
 * A POST with a body reads two or three headers on its way (the body limit, the content type);
 * that is what this saves. `instanceof Headers` holds.
 */

const kIncoming = Symbol("frank.incoming");
const kReal = Symbol("frank.realHeaders");

interface LazyHeaders extends Headers {
  [kIncoming]: IncomingMessage;
  [kReal]: Headers | undefined;
}

/** A header name as the Fetch standard accepts it; anything else goes to the real Headers, which throws as it should. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function realOf(lazy: LazyHeaders): Headers {
  let real = lazy[kReal];
  if (real === undefined) {
    real = new Headers();
    const raw = lazy[kIncoming].rawHeaders;
    for (let i = 0; i < raw.length; i += 2) {
      const name = raw[i];
      // HTTP/2 pseudo-headers (":path") are not header fields in the Fetch sense.
      if (name.charCodeAt(0) !== 58) real.append(name, raw[i + 1]);
    }
    lazy[kReal] = real;
  }
  return real;
}

/**
 * The values of one header in Node's raw list, joined as `Headers.get` joins them, or null:
 * with ", ", except Cookie lines, joined with "; " (a comma would glue the second line's first
 * cookie onto the first line's last value).
 */
export function rawHeaderValue(raw: readonly string[], name: string): string | null {
  return rawValueOf(raw, name.toLowerCase());
}

/** rawHeaderValue for a name already in lower case. */
function rawValueOf(raw: readonly string[], key: string): string | null {
  const separator = key === "cookie" ? "; " : ", ";
  let value: string | null = null;
  for (let i = 0; i < raw.length; i += 2) {
    const candidate = raw[i];
    if (candidate.length === key.length && candidate.toLowerCase() === key)
      value = value === null ? raw[i + 1] : value + separator + raw[i + 1];
  }
  return value;
}

/**
 * Names asked for before, in lower case. An app asks for the same few names on every request
 * (the access log alone for three); a lookup here costs less than checking and lower-casing
 * the name each time. Bounded, in case names come from input.
 */
const checkedNames = new Map<string, string>();
const MAX_CHECKED_NAMES = 256;

/** `name` in lower case when it is a valid header name, else undefined. */
function validLowerCaseName(name: string): string | undefined {
  let key = checkedNames.get(name);
  if (key !== undefined) return key;
  if (!TOKEN.test(name)) return undefined;
  key = name.toLowerCase();
  if (checkedNames.size < MAX_CHECKED_NAMES) checkedNames.set(name, key);
  return key;
}

function lazyGet(this: LazyHeaders, name: string): string | null {
  const real = this[kReal];
  const key = real === undefined && typeof name === "string" ? validLowerCaseName(name) : undefined;
  if (key === undefined) return (real ?? realOf(this)).get(name);
  return rawValueOf(this[kIncoming].rawHeaders, key);
}

const lazyHeadersPrototype = lazyPrototype<LazyHeaders>(
  Headers.prototype,
  {
    get: { value: lazyGet, writable: true, configurable: true },
    has: {
      value(this: LazyHeaders, name: string) {
        return this[kReal] !== undefined ? this[kReal].has(name) : lazyGet.call(this, name) !== null;
      },
      writable: true,
      configurable: true,
    },
  },
  realOf,
);

export function createHeaders(incoming: IncomingMessage): Headers {
  const lazy = Object.create(lazyHeadersPrototype) as LazyHeaders;
  lazy[kIncoming] = incoming;
  lazy[kReal] = undefined;
  return lazy;
}

/** The real Headers behind a lazy one (for `new Request(url, { headers })`), or the Headers itself. */
export function realHeaders(headers: Headers): Headers {
  return kIncoming in headers ? realOf(headers as LazyHeaders) : headers;
}
