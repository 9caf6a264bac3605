import { RequestState } from "../http/request-state.js";
import type { Middleware } from "../http/types.js";
import { checkRealm, credentialsFor, quoted, safeEqual, unauthorized } from "./authorization.js";

export interface BasicAuthOptions {
  /** user name → password. Every entry is compared on every request, in constant time. */
  users?: Record<string, string>;
  /** Or decide yourself (compare secrets with `safeEqual` from frank/middleware). */
  verify?: (user: string, password: string, req: Request) => boolean | Promise<boolean>;
  /** Shown by browsers in the login prompt. Default "frank". */
  realm?: string;
}

const users = new RequestState<string>();

/**
 * HTTP Basic authentication (RFC 7617): requests without the right user and password get a 401
 * with `WWW-Authenticate: Basic realm="…", charset="UTF-8"`. Only over HTTPS (the Ingress's TLS
 * counts): the password travels with every request. The handler reads the user with
 * `getBasicAuthUser(req)`.
 */
export function basicAuth(options: BasicAuthOptions): Middleware {
  const verify = verifierOf(options);
  const challenge = `Basic realm=${quoted(checkRealm(options.realm ?? "frank", "basicAuth"))}, charset="UTF-8"`;
  return (next) => async (req) => {
    const credentials = decode(credentialsFor(req.headers.get("authorization"), "Basic"));
    if (credentials === undefined || !(await verify(credentials.user, credentials.password, req))) {
      return unauthorized(challenge);
    }
    users.set(req, credentials.user);
    return next(req);
  };
}

/** The user basicAuth() let in (undefined when it is not in use). */
export function getBasicAuthUser(req: Request): string | undefined {
  return users.get(req);
}

function verifierOf(options: BasicAuthOptions): NonNullable<BasicAuthOptions["verify"]> {
  if ((options.users === undefined) === (options.verify === undefined)) {
    throw new TypeError("basicAuth: give either users or verify");
  }
  if (options.verify) return options.verify;
  const entries = Object.entries(options.users!);
  if (entries.length === 0) throw new TypeError("basicAuth: users is empty, so nobody could log in");
  return (user, password) => {
    // No early exit: the time taken does not tell which user names exist.
    let found = false;
    for (const [name, secret] of entries) {
      const userMatches = safeEqual(user, name);
      const passwordMatches = safeEqual(password, secret);
      found = found || (userMatches && passwordMatches);
    }
    return found;
  };
}

function decode(token: string | undefined): { user: string; password: string } | undefined {
  if (token === undefined) return undefined;
  const text = new TextDecoder("utf-8", { fatal: false }).decode(Buffer.from(token, "base64"));
  const colon = text.indexOf(":");
  if (colon < 0) return undefined;
  return { user: text.slice(0, colon), password: text.slice(colon + 1) };
}
