/**
 * Conditional requests (RFC 9110 §13): entity tags, dates and the order in which a server
 * evaluates If-Match, If-Unmodified-Since, If-None-Match and If-Modified-Since (§13.2.2).
 */

export type PreconditionResult = "ok" | "not-modified" | "precondition-failed";

export interface Validators {
  /** A complete entity tag as sent in `ETag`, e.g. `W/"1a-2b"` or `"abc"`. */
  etag?: string;
  lastModified?: Date;
}

/** Characters allowed inside the quotes of an entity tag (etagc, RFC 9110 §8.8.3). */
const ETAG_CHARS = /^[\x21\x23-\x7e\x80-\xff]*$/;

/** `formatETag("abc")` -> `"abc"`, `formatETag("abc", true)` -> `W/"abc"`. An already quoted tag is kept. */
export function formatETag(value: string, weak = false): string {
  if (/^(W\/)?"[^"]*"$/.test(value)) return value;
  if (!ETAG_CHARS.test(value)) throw new TypeError(`an entity tag may not contain ${JSON.stringify(value)}`);
  return `${weak ? "W/" : ""}"${value}"`;
}

/** Splits an If-Match/If-None-Match value into its entity tags ("*" is returned as is). */
export function parseETagList(header: string): string[] {
  const tags: string[] = [];
  // An entity tag is `W/"..."` or `"..."`; commas may only appear between tags.
  const pattern = /\s*(\*|(?:W\/)?"[^"]*")\s*(?:,|$)/gy;
  let match: RegExpExecArray | null;
  while (pattern.lastIndex < header.length && (match = pattern.exec(header)) !== null) tags.push(match[1]);
  return tags;
}

const opaque = (tag: string) => (tag.startsWith("W/") ? tag.slice(2) : tag);

/** Weak comparison: the opaque parts match, whatever the W/ prefixes say. */
export function weakMatch(a: string, b: string): boolean {
  return opaque(a) === opaque(b);
}

/** Strong comparison: both tags are strong and identical. */
export function strongMatch(a: string, b: string): boolean {
  return !a.startsWith("W/") && !b.startsWith("W/") && a === b;
}

/** An HTTP-date as a number of whole seconds, or undefined when it does not parse. */
export function parseHttpDateSeconds(value: string | null): number | undefined {
  if (value === null) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

/**
 * Evaluates the request's preconditions against the current representation's validators.
 * "not-modified" is only answered for GET and HEAD; other methods get "precondition-failed".
 */
export function evaluatePreconditions(req: Request, validators: Validators): PreconditionResult {
  const headers = req.headers;
  const safe = req.method === "GET" || req.method === "HEAD";
  const { etag, lastModified } = validators;

  // 1. If-Match: at least one listed tag must strongly match ("*" matches any current representation).
  const ifMatch = headers.get("if-match");
  if (ifMatch !== null) {
    const tags = parseETagList(ifMatch);
    const matched = tags.some((tag) => tag === "*" || (etag !== undefined && strongMatch(tag, etag)));
    if (!matched) return "precondition-failed";
  } else if (lastModified !== undefined) {
    // 2. If-Unmodified-Since, only when If-Match is absent.
    const since = parseHttpDateSeconds(headers.get("if-unmodified-since"));
    if (since !== undefined && seconds(lastModified) > since) return "precondition-failed";
  }

  // 3. If-None-Match: any weakly matching tag means the client's copy is current.
  const ifNoneMatch = headers.get("if-none-match");
  if (ifNoneMatch !== null) {
    const tags = parseETagList(ifNoneMatch);
    const matched = tags.some((tag) => tag === "*" || (etag !== undefined && weakMatch(tag, etag)));
    if (matched) return safe ? "not-modified" : "precondition-failed";
  } else if (safe && lastModified !== undefined) {
    // 4. If-Modified-Since, only for GET/HEAD and only when If-None-Match is absent.
    const since = parseHttpDateSeconds(headers.get("if-modified-since"));
    if (since !== undefined && seconds(lastModified) <= since) return "not-modified";
  }
  return "ok";
}

/**
 * If-Range (RFC 9110 §13.1.5): whether a Range header may be honoured. An entity tag must
 * match strongly (so a weak tag never does); a date must equal Last-Modified exactly.
 */
export function ifRangeAllows(req: Request, validators: Validators): boolean {
  const ifRange = req.headers.get("if-range");
  if (ifRange === null) return true;
  const value = ifRange.trim();
  if (value.startsWith('"') || value.startsWith("W/")) {
    return validators.etag !== undefined && strongMatch(value, validators.etag);
  }
  const date = parseHttpDateSeconds(value);
  return date !== undefined && validators.lastModified !== undefined && seconds(validators.lastModified) === date;
}
