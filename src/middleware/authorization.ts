/**
 * What the auth middleware share: reading the credentials of an `Authorization` header, comparing
 * secrets in constant time, and the 401 answer with its `WWW-Authenticate` challenge.
 */
import { createHash, timingSafeEqual } from "node:crypto";

/**
 * The token68 credentials of `Authorization: <scheme> <credentials>` (RFC 9110 §11.6.2), or
 * undefined when the header is missing, names another scheme, or is malformed. The scheme is
 * case-insensitive. One pass over the header, no backtracking: its cost is linear in its length.
 */
export function credentialsFor(header: string | null, scheme: string): string | undefined {
  if (header === null || header.length <= scheme.length + 1) return undefined;
  if (header.slice(0, scheme.length).toLowerCase() !== scheme.toLowerCase()) return undefined;
  let start = scheme.length;
  if (header.charCodeAt(start) !== 32 /* " " */) return undefined;
  while (header.charCodeAt(start) === 32) start++;
  let end = header.length;
  while (end > start && header.charCodeAt(end - 1) === 32) end--;
  // token68 = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
  let i = start;
  while (i < end && isToken68Char(header.charCodeAt(i))) i++;
  if (i === start) return undefined;
  while (i < end && header.charCodeAt(i) === 61 /* "=" */) i++;
  return i === end ? header.slice(start, end) : undefined;
}

function isToken68Char(code: number): boolean {
  return (
    (code >= 65 && code <= 90) || // A-Z
    (code >= 97 && code <= 122) || // a-z
    (code >= 48 && code <= 57) || // 0-9
    code === 45 || // -
    code === 46 || // .
    code === 95 || // _
    code === 126 || // ~
    code === 43 || // +
    code === 47 // /
  );
}

/**
 * Compares two secrets in time that depends on neither: both are hashed first, so even their
 * lengths stay hidden from a client timing the answers.
 */
export function safeEqual(given: string, expected: string): boolean {
  return timingSafeEqual(sha256(given), sha256(expected));
}

function sha256(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

/** A quoted-string for an auth-param (RFC 9110 §5.6.4). */
export function quoted(value: string): string {
  return `"${value.replace(/["\\]/g, "\\$&")}"`;
}

/** A realm is sent in a header: no control characters, checked once when the middleware is made. */
export function checkRealm(realm: string, what: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f]/.test(realm)) throw new TypeError(`${what}: the realm must not hold control characters`);
  return realm;
}

/** 401 with the challenge the client should answer. */
export function unauthorized(challenge: string, status = 401): Response {
  return new Response(status === 401 ? "Unauthorized" : "Bad Request", {
    status,
    headers: { "content-type": "text/plain;charset=utf-8", "www-authenticate": challenge },
  });
}
