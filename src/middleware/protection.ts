import { randomBytes, timingSafeEqual } from "node:crypto";
import type { Middleware } from "../http/types.js";
import { carriesSessionCookie, findSession, getSession } from "./cookie-session.js";
import { editHeaders } from "./response-headers.js";

export interface HstsOptions {
  /** Seconds. Default one year. */
  maxAge?: number;
  includeSubDomains?: boolean;
  preload?: boolean;
}

export interface ProtectionOptions {
  /** X-Frame-Options. Default SAMEORIGIN; false leaves it out. */
  frameOptions?: "SAMEORIGIN" | "DENY" | false;
  /** Referrer-Policy. Default strict-origin-when-cross-origin; false leaves it out. */
  referrerPolicy?: string | false;
  /** A Content-Security-Policy value. Off by default: a wrong policy breaks pages. */
  contentSecurityPolicy?: string;
  /** Strict-Transport-Security. Off by default: turn it on only for sites served over HTTPS. */
  hsts?: boolean | HstsOptions;
  /** Check authenticity tokens on unsafe requests when sessions are on (see protection()). Default true. */
  authenticityToken?: boolean;
  /**
   * While sessions are on, refuse an unsafe request that a browser says comes from another
   * origin (its Origin header, else Sec-Fetch-Site), as Rack::Protection's HttpOrigin does. Default true.
   */
  originCheck?: boolean;
  /** Origins besides this server's own that may send unsafe requests with the session, e.g. "https://app.example". */
  allowedOrigins?: readonly string[];
}

/** The form field and the header an authenticity token may arrive in. */
export const AUTHENTICITY_TOKEN_FIELD = "authenticity_token";
export const AUTHENTICITY_TOKEN_HEADER = "X-CSRF-Token";

const SESSION_KEY = "_csrf";
const TOKEN_BYTES = 32;
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS", "TRACE"]);
// The content types a form on another site can send: such a submission always needs a token.
// (A body of no type, which a no-cors fetch sends, needs one too unless the browser vouches for
// its origin; other types need a CORS preflight, which only the app's own CORS policy can pass.)
const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data|text\/plain)\b/i;
const READABLE_FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i;

/**
 * Security headers on every response (never overriding one the handler set), and the
 * cross-site request forgery guard while sessions are on (a session middleware in front of this
 * one; `app.enable("sessions")` always puts it there). An unsafe request (POST, PUT, PATCH,
 * DELETE…) gets 403 when:
 * - its Origin, or without one its Sec-Fetch-Site, names another origin (`originCheck`);
 * - it is a form submission (urlencoded, multipart, text/plain: what any page can send) without
 *   the token from authenticityToken(req), as the `authenticity_token` field or the X-CSRF-Token
 *   header;
 * - it has no body type or another one, carries the session cookie, has no valid token, and
 *   neither Origin nor Sec-Fetch-Site shows it comes from this origin: `fetch(url, { method:
 *   "POST", mode: "no-cors", credentials: "include" })` from another page sends no type at all.
 * This server's origin is the request URL's (from the Host header); a request that arrives as
 * http also accepts Origin https://<the same host>, the page behind a proxy that ends TLS.
 */
export function protection(options: ProtectionOptions = {}): Middleware {
  const securityHeaders = headerList(options);
  const guard: ForgeryGuard = {
    checkTokens: options.authenticityToken ?? true,
    checkOrigin: options.originCheck ?? true,
    allowedOrigins: new Set(options.allowedOrigins ?? []),
  };

  return (next) => async (req) => {
    const refusal =
      SAFE_METHODS.has(req.method) || findSession(req) === undefined ? undefined : await refuse(req, guard);
    if (refusal !== undefined) {
      return new Response(`Forbidden: ${refusal}\n`, {
        status: 403,
        headers: {
          "content-type": "text/plain;charset=utf-8",
          "cache-control": "no-store",
          ...Object.fromEntries(securityHeaders),
        },
      });
    }
    const res = await next(req);
    return editHeaders(res, (headers) => {
      for (const [name, value] of securityHeaders) if (!headers.has(name)) headers.set(name, value);
    });
  };
}

interface ForgeryGuard {
  checkTokens: boolean;
  checkOrigin: boolean;
  allowedOrigins: ReadonlySet<string>;
}

/** Why an unsafe request with a session is refused, or undefined when it may pass. */
async function refuse(req: Request, guard: ForgeryGuard): Promise<string | undefined> {
  const origin = originOf(req, guard.allowedOrigins);
  if (guard.checkOrigin && origin.verdict === "other") {
    return `this request comes from another origin (${origin.named}), not from ${ownOrigin(req)}. A page of this site behind a proxy needs the Host header passed on, or its origin in protection({ allowedOrigins }).`;
  }
  if (!guard.checkTokens) return undefined;
  if (FORM_TYPES.test(req.headers.get("content-type") ?? "")) {
    if (await hasValidToken(req)) return undefined;
    return "this form submission has a missing or wrong authenticity token. Put authenticityToken(req) in the form as authenticity_token.";
  }
  if (!carriesSessionCookie(req) || origin.verdict === "own" || (await hasValidToken(req))) return undefined;
  return "this request carries the session cookie but no authenticity token, and no Origin or Sec-Fetch-Site header shows it comes from this site. Send authenticityToken(req) in the X-CSRF-Token header.";
}

/**
 * What the browser says about where a request comes from: "own" (this origin or an allowed
 * one), "other", or "unknown" (neither Origin nor Sec-Fetch-Site: an old browser or not a browser).
 */
function originOf(req: Request, allowed: ReadonlySet<string>): { verdict: "own" | "other" | "unknown"; named: string } {
  const origin = req.headers.get("origin");
  if (origin !== null) {
    const own = origin === ownOrigin(req) || allowed.has(origin) || origin === tlsOrigin(req);
    return { verdict: own ? "own" : "other", named: `Origin: ${origin}` };
  }
  const site = req.headers.get("sec-fetch-site");
  if (site === "same-origin") return { verdict: "own", named: "Sec-Fetch-Site: same-origin" };
  if (site === "same-site" || site === "cross-site") return { verdict: "other", named: `Sec-Fetch-Site: ${site}` };
  return { verdict: "unknown", named: "no Origin" };
}

function ownOrigin(req: Request): string {
  return new URL(req.url).origin;
}

/** For a request that arrived as http: the same host as an https origin (TLS ended by a proxy in front). */
function tlsOrigin(req: Request): string | undefined {
  const url = new URL(req.url);
  return url.protocol === "http:" ? `https://${url.host}` : undefined;
}

/**
 * The token to embed in this request's forms: `<input type="hidden"
 * name="authenticity_token" value="…">`. A fresh random mask each call (so the page never
 * repeats the same bytes, against BREACH-style compression attacks) over a per-session
 * secret. Needs sessions.
 */
export function authenticityToken(req: Request): string {
  const session = getSession(req);
  let secret =
    typeof session[SESSION_KEY] === "string" ? Buffer.from(session[SESSION_KEY] as string, "base64url") : undefined;
  if (secret?.length !== TOKEN_BYTES) {
    secret = randomBytes(TOKEN_BYTES);
    session[SESSION_KEY] = secret.toString("base64url");
  }
  const mask = randomBytes(TOKEN_BYTES);
  return Buffer.concat([mask, xor(mask, secret)]).toString("base64url");
}

async function hasValidToken(req: Request): Promise<boolean> {
  const secretValue = findSession(req)?.[SESSION_KEY];
  if (typeof secretValue !== "string") return false;
  const token = req.headers.get(AUTHENTICITY_TOKEN_HEADER) ?? (await formToken(req));
  if (!token) return false;
  const bytes = Buffer.from(token, "base64url");
  const secret = Buffer.from(secretValue, "base64url");
  if (bytes.length !== TOKEN_BYTES * 2 || secret.length !== TOKEN_BYTES) return false;
  return timingSafeEqual(xor(bytes.subarray(0, TOKEN_BYTES), bytes.subarray(TOKEN_BYTES)), secret);
}

async function formToken(req: Request): Promise<string | undefined> {
  if (req.body === null || !READABLE_FORM_TYPES.test(req.headers.get("content-type") ?? "")) return undefined;
  try {
    const value = (await req.clone().formData()).get(AUTHENTICITY_TOKEN_FIELD);
    return typeof value === "string" ? value : undefined;
  } catch {
    return undefined;
  }
}

function xor(a: Buffer, b: Buffer): Buffer {
  const out = Buffer.alloc(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] ^ b[i];
  return out;
}

function headerList(options: ProtectionOptions): Array<[string, string]> {
  const list: Array<[string, string]> = [["x-content-type-options", "nosniff"]];
  const frame = options.frameOptions ?? "SAMEORIGIN";
  if (frame) list.push(["x-frame-options", frame]);
  const referrer = options.referrerPolicy ?? "strict-origin-when-cross-origin";
  if (referrer) list.push(["referrer-policy", referrer]);
  if (options.contentSecurityPolicy) list.push(["content-security-policy", options.contentSecurityPolicy]);
  if (options.hsts) {
    const hsts = options.hsts === true ? {} : options.hsts;
    let value = `max-age=${hsts.maxAge ?? 31_536_000}`;
    if (hsts.includeSubDomains) value += "; includeSubDomains";
    if (hsts.preload) value += "; preload";
    list.push(["strict-transport-security", value]);
  }
  return list;
}
