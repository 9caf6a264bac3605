import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { environmentFromProcess } from "../http/environment.js";
import type { Middleware } from "../http/types.js";
import { editHeaders } from "./response-headers.js";
import { RequestState } from "../http/request-state.js";

/**
 * The session: a plain object of JSON values, changed in place by the handler.
 * `session.clear()` (Sinatra's `session.clear`) empties it; the cookie is then removed.
 */
export type Session = Record<string, unknown> & { clear(): void };

/** `clear` is not a key of the session: it is neither stored nor listed. */
function withClear(data: Record<string, unknown>): Session {
  Object.defineProperty(data, "clear", {
    value() {
      for (const key of Object.keys(data)) delete data[key];
    },
    enumerable: false,
  });
  return data as Session;
}

export interface CookieSessionOptions {
  /**
   * One secret or a list for rotation: the first encrypts, every one decrypts.
   * Default: SESSION_SECRET, comma-separated. At least 32 characters each.
   */
  secret?: string | readonly string[];
  /** Cookie name. Default `frank.session`. */
  name?: string;
  /** Lifetime in seconds; enforced inside the encrypted cookie too. Default: until the browser closes. */
  maxAge?: number;
  /** Send only over HTTPS. Default: when the request URL is https. */
  secure?: boolean;
  sameSite?: "Lax" | "Strict" | "None";
  path?: string;
  domain?: string;
  /** Decides secret handling. Default APP_ENV > RACK_ENV > NODE_ENV > development. */
  environment?: string;
  /** Where the development warning goes. Default console. */
  logger?: { warn(message: string): void };
  /**
   * The secret to use in development when none is given, so sessions survive a restart (the App
   * passes the app folder's, see development-secret.ts). Without it a random one is used.
   */
  developmentSecret?: string;
}

const MIN_SECRET_LENGTH = 32;
// Browsers drop a cookie whose name and value exceed 4096 bytes; failing loudly beats a
// session that silently never sticks.
const MAX_COOKIE_BYTES = 4096;
const IV_BYTES = 12;
const TAG_BYTES = 16;

interface SessionState {
  session: Session;
  /** The request brought a valid session cookie (what a forged cross-site request would ride on). */
  fromCookie: boolean;
}
const sessions = new RequestState<SessionState>();

/**
 * Cookie sessions, encrypted and authenticated with AES-256-GCM: the client can
 * neither read nor forge them. Each secret gives its own key through HKDF; the cookie
 * name is bound in as associated data. A cookie that does not decrypt (tampered,
 * garbage, old secret, expired) is an empty session, never an error. Set-Cookie is
 * written only when the session changed.
 */
export function cookieSession(options: CookieSessionOptions = {}): Middleware {
  const name = options.name ?? "frank.session";
  const keys = resolveSecrets(options).map(deriveKey);
  const aad = Buffer.from(name);

  return (next) => async (req) => {
    // An App used as middleware in front of another shares the request's one session.
    if (sessions.get(req) !== undefined) return next(req);
    const incoming = readCookie(req.headers.get("cookie"), name);
    const decoded = incoming === undefined ? undefined : open(incoming, keys, aad);
    const session: Session = withClear(decoded ?? {});
    const before = JSON.stringify(session);
    sessions.set(req, { session, fromCookie: decoded !== undefined });

    const res = await next(req);

    const changed = JSON.stringify(session) !== before;
    const empty = Object.keys(session).length === 0;
    let cookie: string | undefined;
    if (changed && !empty) cookie = seal(session, keys[0], aad, name, options, req);
    // A cleared session, or a cookie we cannot read, is removed from the browser.
    else if (empty && incoming !== undefined && (changed || decoded === undefined)) cookie = expire(name, options);
    if (cookie === undefined) return res;
    const setCookie = cookie;
    return editHeaders(res, (headers) => headers.append("set-cookie", setCookie));
  };
}

/** The session of this request; throws when cookieSession() is not in front of the handler. */
export function getSession(req: Request): Session {
  const state = sessions.get(req);
  if (!state)
    throw new Error('no session for this request: turn sessions on (app.enable("sessions") or use cookieSession())');
  return state.session;
}

/** The session of this request, or undefined when sessions are off. */
export function findSession(req: Request): Session | undefined {
  return sessions.get(req)?.session;
}

/** Whether the request brought a valid session cookie; false when it brought none or sessions are off. */
export function carriesSessionCookie(req: Request): boolean {
  return sessions.get(req)?.fromCookie === true;
}

function resolveSecrets(options: CookieSessionOptions): string[] {
  const given = options.secret ?? process.env.SESSION_SECRET;
  const secrets = (typeof given === "string" ? given.split(",") : [...(given ?? [])])
    .map((s) => s.trim())
    .filter(Boolean);
  if (secrets.length > 0) {
    for (const secret of secrets) {
      if (secret.length < MIN_SECRET_LENGTH) {
        throw new Error(
          `session secret too short (${secret.length} characters, need ${MIN_SECRET_LENGTH}); make one with: openssl rand -hex 32`,
        );
      }
    }
    return secrets;
  }
  const environment = options.environment ?? environmentFromProcess();
  if (environment !== "development" && environment !== "test") {
    throw new Error(
      `sessions need SESSION_SECRET in ${environment}: without it every restart and every replica would reject the others' cookies. Make one with: openssl rand -hex 32`,
    );
  }
  if (environment === "development" && options.developmentSecret) return [options.developmentSecret];
  if (environment === "development") {
    (options.logger ?? console).warn(
      "frank: SESSION_SECRET is not set; using a random secret, so sessions end when the process restarts",
    );
  }
  return [randomBytes(32).toString("hex")];
}

function deriveKey(secret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, "frank cookie session", "aes-256-gcm key", 32));
}

function seal(
  session: Session,
  key: Buffer,
  aad: Buffer,
  name: string,
  options: CookieSessionOptions,
  req: Request,
): string {
  const payload: { d: Session; e?: number } = { d: session };
  if (options.maxAge !== undefined) payload.e = Date.now() + options.maxAge * 1000;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv).setAAD(aad);
  const sealed = Buffer.concat([
    iv,
    cipher.update(JSON.stringify(payload), "utf8"),
    cipher.final(),
    cipher.getAuthTag(),
  ]);
  const cookie = serialize(name, sealed.toString("base64url"), options, req, options.maxAge);
  if (Buffer.byteLength(cookie) > MAX_COOKIE_BYTES) {
    throw new Error(
      `the session cookie would be ${Buffer.byteLength(cookie)} bytes, over the ${MAX_COOKIE_BYTES} browsers keep; store less in the session`,
    );
  }
  return cookie;
}

function open(value: string, keys: Buffer[], aad: Buffer): Session | undefined {
  const sealed = Buffer.from(value, "base64url");
  if (sealed.length < IV_BYTES + TAG_BYTES) return undefined;
  const iv = sealed.subarray(0, IV_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  const ciphertext = sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES);
  for (const key of keys) {
    try {
      const decipher = createDecipheriv("aes-256-gcm", key, iv).setAAD(aad).setAuthTag(tag);
      const payload = JSON.parse(Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString("utf8"));
      if (typeof payload?.e === "number" && payload.e < Date.now()) return undefined;
      return payload?.d && typeof payload.d === "object" && !Array.isArray(payload.d) ? payload.d : undefined;
    } catch {
      // wrong key or tampered: try the next secret
    }
  }
  return undefined;
}

function expire(name: string, options: CookieSessionOptions): string {
  return serialize(name, "", options, undefined, 0);
}

function serialize(
  name: string,
  value: string,
  options: CookieSessionOptions,
  req: Request | undefined,
  maxAge: number | undefined,
): string {
  let cookie = `${name}=${value}; Path=${options.path ?? "/"}; HttpOnly; SameSite=${options.sameSite ?? "Lax"}`;
  if (options.domain) cookie += `; Domain=${options.domain}`;
  if (maxAge !== undefined) cookie += `; Max-Age=${maxAge}`;
  const secure = options.secure ?? req?.url.startsWith("https:");
  if (secure || options.sameSite === "None") cookie += "; Secure";
  return cookie;
}

function readCookie(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const pair of header.split(";")) {
    const eq = pair.indexOf("=");
    if (eq !== -1 && pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim();
  }
  return undefined;
}
