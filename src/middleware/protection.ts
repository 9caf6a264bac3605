import { randomBytes, timingSafeEqual } from "node:crypto";
import type { Middleware } from "../http/types.js";
import { findSession, getSession } from "./cookie-session.js";
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
  /** Check authenticity tokens on unsafe form submissions when sessions are on. Default true. */
  authenticityToken?: boolean;
}

/** The form field and the header an authenticity token may arrive in. */
export const AUTHENTICITY_TOKEN_FIELD = "authenticity_token";
export const AUTHENTICITY_TOKEN_HEADER = "X-CSRF-Token";

const SESSION_KEY = "_csrf";
const TOKEN_BYTES = 32;
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS", "TRACE"]);
// The content types a page on another site can POST without a CORS preflight: only
// these can carry a cross-site forgery, so only these need a token.
const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data|text\/plain)\b/i;
const READABLE_FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i;

/**
 * Security headers on every response (never overriding one the handler set), and the
 * cross-site request forgery guard: while sessions are on, an unsafe form submission
 * (POST/PUT/PATCH/DELETE… with a form content type) must carry the token from
 * authenticityToken(req), as the `authenticity_token` field or the X-CSRF-Token header,
 * or it gets 403.
 */
export function protection(options: ProtectionOptions = {}): Middleware {
  const securityHeaders = headerList(options);
  const checkTokens = options.authenticityToken ?? true;

  return (next) => async (req) => {
    if (checkTokens && needsToken(req) && !(await hasValidToken(req))) {
      return new Response(
        "Forbidden: this form submission has a missing or wrong authenticity token. Put authenticityToken(req) in the form as authenticity_token.\n",
        {
          status: 403,
          headers: {
            "content-type": "text/plain;charset=utf-8",
            "cache-control": "no-store",
            ...Object.fromEntries(securityHeaders),
          },
        },
      );
    }
    const res = await next(req);
    return editHeaders(res, (headers) => {
      for (const [name, value] of securityHeaders) if (!headers.has(name)) headers.set(name, value);
    });
  };
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

function needsToken(req: Request): boolean {
  return (
    !SAFE_METHODS.has(req.method) &&
    findSession(req) !== undefined &&
    FORM_TYPES.test(req.headers.get("content-type") ?? "")
  );
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
