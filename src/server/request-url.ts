import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";
import { rawHeaderValue } from "./node-headers.js";

/**
 * The absolute URL of a Node request, as `new URL()` would write it, or undefined when the
 * request line and Host header cannot form one.
 *
 * Most requests are a plain path on a plain host: for those the URL is the three strings
 * joined, and proving that costs one scan of each. Parsing with `new URL()` (about a
 * quarter of the adapter's own time) is kept for everything else, because it also
 * normalises: dot segments, percent-encoding, default ports, IPv4 and IDN hosts.
 */
export function requestUrl(req: IncomingMessage): string | undefined {
  const target = req.url ?? "/";
  if (target.charCodeAt(0) !== 47 /* "/" */) {
    // absolute-form, as sent to proxies; "*" (OPTIONS *) and authority-form (CONNECT) are not for handlers
    return /^https?:\/\//i.test(target) ? parsedUrl(target) : undefined;
  }
  const https = (req.socket as TLSSocket).encrypted === true;
  const host = hostHeader(req);
  if (host && isPlainAuthority(host, https) && isPlainTarget(target))
    return (https ? "https://" : "http://") + host + target;
  // A Host with a path, user info or spaces in it would silently change the URL.
  if (host && AUTHORITY_BREAKERS.test(host)) return undefined;
  return parsedUrl((https ? "https://" : "http://") + (host || localAuthority(req)) + target);
}

const AUTHORITY_BREAKERS = /[/?#@\\\s]/;

function parsedUrl(candidate: string): string | undefined {
  try {
    const url = new URL(candidate);
    return url.host === "" ? undefined : url.href;
  } catch {
    return undefined;
  }
}

/**
 * The Host header, read from rawHeaders so Node does not build `req.headers` for it. Two Host
 * headers come back joined ("a, b"), which no URL accepts: a 400, as RFC 9112 asks.
 */
function hostHeader(req: IncomingMessage): string | undefined {
  return rawHeaderValue(req.rawHeaders, "host") ?? (req.headers[":authority"] as string | undefined);
}

/** The address the request came in on, for a request without Host (HTTP/1.0). */
function localAuthority(req: IncomingMessage): string {
  const { localAddress, localPort } = req.socket;
  if (!localAddress) return "localhost";
  return (localAddress.includes(":") ? `[${localAddress}]` : localAddress) + ":" + localPort;
}

/**
 * Characters that `new URL()` would percent-encode or treat specially somewhere in a path or
 * query of an http(s) URL, indexed by char code (printable ASCII only; the rest is never plain).
 */
const NOT_PLAIN = new Uint8Array(128);
for (const ch of "\"#'<>\\^`{|}") NOT_PLAIN[ch.charCodeAt(0)] = 1;

/**
 * Is this origin-form target (starting with "/") already what `new URL()` would make of it?
 * Printable ASCII without the characters above, no dot segment ("/." starts one) and no
 * encoded dot ("%2e", which the parser also treats as a dot segment).
 */
export function isPlainTarget(target: string): boolean {
  for (let i = 0; i < target.length; i++) {
    const code = target.charCodeAt(i);
    if (code <= 0x20 || code >= 0x7f || NOT_PLAIN[code] === 1) return false;
    if (code === 46 /* "." */ && target.charCodeAt(i - 1) === 47 /* "/" */) return false;
    if (
      code === 37 /* "%" */ &&
      target.charCodeAt(i + 1) === 50 /* "2" */ &&
      (target.charCodeAt(i + 2) | 0x20) === 101 /* "e" */
    )
      return false;
  }
  return true;
}

/**
 * Is this Host header already what `new URL()` would make of it? Lower-case letters, digits and
 * inner hyphens in non-empty labels, no punycode label and no name that ends in a number (the
 * parser reads those as IPv4) except a dotted quad already in canonical form; then an optional
 * port without leading zeros that is not the scheme's default (the parser drops those).
 */
export function isPlainAuthority(authority: string, https: boolean): boolean {
  // Clients send the same Host again and again: remember the last plain one per scheme.
  if (authority === lastPlainAuthority[https ? 1 : 0]) return true;
  if (!checkAuthority(authority, https)) return false;
  lastPlainAuthority[https ? 1 : 0] = authority;
  return true;
}

const lastPlainAuthority: [http: string | undefined, https: string | undefined] = [undefined, undefined];

function checkAuthority(authority: string, https: boolean): boolean {
  const colon = authority.indexOf(":");
  const hostname = colon === -1 ? authority : authority.slice(0, colon);
  if (!isPlainHostname(hostname)) return false;
  if (colon === -1) return true;
  const port = authority.slice(colon + 1);
  if (port.length === 0 || port.length > 5 || port.charCodeAt(0) === 48 /* "0" */) return false;
  for (let i = 0; i < port.length; i++) {
    const code = port.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  const number = Number(port);
  return number <= 65535 && number !== (https ? 443 : 80);
}

function isPlainHostname(hostname: string): boolean {
  if (hostname.length === 0) return false;
  let labelStart = 0;
  let labelDigitsOnly = true;
  for (let i = 0; i <= hostname.length; i++) {
    const code = i === hostname.length ? 46 /* the end closes the last label */ : hostname.charCodeAt(i);
    if (code === 46 /* "." */) {
      if (i === labelStart) return false; // an empty label, or a trailing dot
      if (hostname.startsWith("xn--", labelStart)) return false;
      if (i === hostname.length) {
        // A last label of digits, or "0x…", is a number: the parser reads the name as IPv4.
        return labelDigitsOnly ? isCanonicalIpv4(hostname) : !hostname.startsWith("0x", labelStart);
      }
      labelStart = i + 1;
      labelDigitsOnly = true;
      continue;
    }
    const digit = code >= 48 && code <= 57;
    if (!digit) labelDigitsOnly = false;
    if (!((digit || (code >= 97 && code <= 122) || code === 45) /* "-" */)) return false;
  }
  return false; // not reached: the end always closes a label
}

/** Four decimal parts of 0-255 without leading zeros: what the parser would write back unchanged. */
function isCanonicalIpv4(hostname: string): boolean {
  let parts = 1;
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= hostname.length; i++) {
    const code = i === hostname.length ? 46 : hostname.charCodeAt(i);
    if (code === 46 /* "." */) {
      if (digits === 0 || value > 255) return false;
      if (i < hostname.length) parts++;
      value = 0;
      digits = 0;
    } else {
      if (code < 48 || code > 57) return false;
      if (digits > 0 && value === 0) return false; // a leading zero
      value = value * 10 + (code - 48);
      digits++;
    }
  }
  return parts === 4;
}
