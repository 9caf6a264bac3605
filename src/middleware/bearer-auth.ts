import { RequestState } from "../http/request-state.js";
import type { Middleware } from "../http/types.js";
import { checkRealm, credentialsFor, quoted, safeEqual, unauthorized } from "./authorization.js";

export interface BearerAuthOptions {
  /** The accepted tokens (API keys). Every one is compared on every request, in constant time. */
  tokens?: readonly string[];
  /** Or decide yourself (compare secrets with `safeEqual` from frank/middleware). */
  verify?: (token: string, req: Request) => boolean | Promise<boolean>;
  /** Default "frank". */
  realm?: string;
}

const tokens = new RequestState<string>();

/**
 * Bearer tokens (RFC 6750): `Authorization: Bearer <token>`. No token is a 401 with
 * `WWW-Authenticate: Bearer realm="…"`; a wrong one adds `error="invalid_token"`; a malformed
 * header is a 400 with `error="invalid_request"`. The handler reads the token with
 * `getBearerToken(req)`. For signed tokens (JWT), see jwtAuth.
 */
export function bearerAuth(options: BearerAuthOptions): Middleware {
  const verify = verifierOf(options);
  const realm = `realm=${quoted(checkRealm(options.realm ?? "frank", "bearerAuth"))}`;
  return (next) => async (req) => {
    const header = req.headers.get("authorization");
    const token = credentialsFor(header, "Bearer");
    if (token === undefined) {
      if (header !== null && /^bearer(\s|$)/i.test(header)) {
        return unauthorized(`Bearer ${realm}, error="invalid_request"`, 400);
      }
      return unauthorized(`Bearer ${realm}`);
    }
    if (!(await verify(token, req))) return unauthorized(`Bearer ${realm}, error="invalid_token"`);
    tokens.set(req, token);
    return next(req);
  };
}

/** The token bearerAuth() accepted (undefined when it is not in use). */
export function getBearerToken(req: Request): string | undefined {
  return tokens.get(req);
}

function verifierOf(options: BearerAuthOptions): NonNullable<BearerAuthOptions["verify"]> {
  if ((options.tokens === undefined) === (options.verify === undefined)) {
    throw new TypeError("bearerAuth: give either tokens or verify");
  }
  if (options.verify) return options.verify;
  const accepted = [...options.tokens!];
  if (accepted.length === 0) throw new TypeError("bearerAuth: tokens is empty, so no request could pass");
  return (token) => {
    let found = false;
    for (const candidate of accepted) found = safeEqual(token, candidate) || found; // no early exit
    return found;
  };
}
