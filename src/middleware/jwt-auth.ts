import type { JsonWebKey, KeyObject, webcrypto } from "node:crypto";
import { createRequire } from "node:module";
import { onFirstUse } from "../http/on-first-use.js";
import { RequestState } from "../http/request-state.js";
import type { Middleware } from "../http/types.js";
import { checkRealm, credentialsFor, quoted, unauthorized } from "./authorization.js";

/** The claims of a verified token. */
export type JwtPayload = Record<string, unknown> & {
  iss?: string;
  sub?: string;
  aud?: string | string[];
  exp?: number;
  nbf?: number;
  iat?: number;
  jti?: string;
};

export interface JwtAuthOptions {
  /** Which `alg` a token may name: required, so a token cannot choose a weaker one (or "none"). */
  algorithms: readonly string[];
  /** HMAC secret (HS256/384/512), at least 32 bytes. */
  secret?: string | Uint8Array;
  /** A public key (RS*, PS*, ES*, EdDSA): a CryptoKey, a KeyObject or a JWK. */
  key?: webcrypto.CryptoKey | KeyObject | JsonWebKey;
  /** A JSON Web Key Set URL (an identity provider's `jwks_uri`): fetched when needed, cached, refetched for unknown `kid`s. */
  jwks?: string | URL;
  /** Accepted `iss`. */
  issuer?: string | readonly string[];
  /** Accepted `aud` (the token must name one of them). */
  audience?: string | readonly string[];
  /** Seconds of clock difference allowed for `exp` and `nbf`. Default 5. */
  clockTolerance?: number;
  /** Claims that must be present (e.g. ["exp", "sub"]). Default ["exp"]: a token without an expiry lives forever. */
  requiredClaims?: readonly string[];
  /** Where the token is. Default: `Authorization: Bearer <token>`. */
  token?: (req: Request) => string | undefined;
  /** Default "frank". */
  realm?: string;
}

/** The few functions of `jose` used here (typed locally: frank's types must not need jose installed). */
interface Jose {
  jwtVerify(
    token: string,
    key: unknown,
    options: Record<string, unknown>,
  ): Promise<{ payload: JwtPayload; protectedHeader: Record<string, unknown> }>;
  createRemoteJWKSet(url: URL, options?: Record<string, unknown>): unknown;
}

const loadJose = onFirstUse<Jose>("jose");
const payloads = new RequestState<JwtPayload>();

/**
 * Verifies a JSON Web Token with `jose` (an optional peer dependency: `npm install jose`, loaded
 * when the first jwtAuth() is made). Checks the signature against `secret`, `key` or a `jwks`
 * URL, the `alg` against `algorithms`, `exp`/`nbf` with `clockTolerance`, and `issuer`/`audience`.
 * A missing token is a 401 with `WWW-Authenticate: Bearer realm="…"`; a token that fails any
 * check adds `error="invalid_token"` and jose's reason. A key set that cannot be fetched is an
 * error (a 500 in the log), not a 401. The handler reads the claims with `getJwtPayload(req)`.
 */
export function jwtAuth(options: JwtAuthOptions): Middleware {
  const jose = requireJose();
  const key = keyOf(options, jose);
  const verifyOptions = {
    algorithms: [...options.algorithms],
    issuer: options.issuer,
    audience: options.audience,
    clockTolerance: options.clockTolerance ?? 5,
    requiredClaims: [...(options.requiredClaims ?? ["exp"])],
  };
  const realm = `realm=${quoted(checkRealm(options.realm ?? "frank", "jwtAuth"))}`;
  const tokenOf = options.token ?? ((req: Request) => credentialsFor(req.headers.get("authorization"), "Bearer"));
  return (next) => async (req) => {
    const token = tokenOf(req);
    if (token === undefined) return unauthorized(`Bearer ${realm}`);
    let payload: JwtPayload;
    try {
      payload = (await jose.jwtVerify(token, key, verifyOptions)).payload;
    } catch (error) {
      const reason = rejection(error);
      if (reason === undefined) throw error;
      return unauthorized(`Bearer ${realm}, error="invalid_token", error_description=${quoted(reason)}`);
    }
    payloads.set(req, payload);
    return next(req);
  };
}

/** The claims jwtAuth() verified (undefined when it is not in use). */
export function getJwtPayload(req: Request): JwtPayload | undefined {
  return payloads.get(req);
}

function requireJose(): Jose {
  try {
    createRequire(import.meta.url).resolve("jose");
  } catch {
    throw new Error("jwtAuth needs the jose package, an optional dependency of frank: npm install jose");
  }
  return loadJose();
}

function keyOf(options: JwtAuthOptions, jose: Jose): unknown {
  const given = [options.secret, options.key, options.jwks].filter((value) => value !== undefined);
  if (given.length !== 1) throw new TypeError("jwtAuth: give exactly one of secret, key or jwks");
  if (!Array.isArray(options.algorithms) || options.algorithms.length === 0) {
    throw new TypeError('jwtAuth: algorithms is required, e.g. ["HS256"] or ["RS256", "ES256"]');
  }
  if (options.algorithms.some((alg) => alg.toLowerCase() === "none")) {
    throw new TypeError('jwtAuth: "none" is not an algorithm: unsigned tokens prove nothing');
  }
  if (options.secret !== undefined) {
    const secret = typeof options.secret === "string" ? new TextEncoder().encode(options.secret) : options.secret;
    if (secret.byteLength < 32) throw new TypeError("jwtAuth: an HMAC secret must be at least 32 bytes");
    if (!options.algorithms.every((alg) => alg.startsWith("HS"))) {
      throw new TypeError("jwtAuth: a secret verifies HS256, HS384 or HS512 only");
    }
    return secret;
  }
  if (options.jwks !== undefined) return jose.createRemoteJWKSet(new URL(options.jwks));
  return options.key;
}

/** jose's reason for refusing a token, or undefined for errors that are not the token's fault. */
function rejection(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== "string") return undefined;
  const tokenFault =
    code.startsWith("ERR_JWT_") ||
    code.startsWith("ERR_JWS_") ||
    code === "ERR_JOSE_ALG_NOT_ALLOWED" ||
    code === "ERR_JOSE_NOT_SUPPORTED" ||
    code === "ERR_JWKS_NO_MATCHING_KEY" ||
    code === "ERR_JWKS_MULTIPLE_MATCHING_KEYS";
  if (!tokenFault) return undefined;
  // jose's messages name the failed check ('"exp" claim timestamp check failed'). RFC 6750 allows
  // neither '"' nor '\\' in error_description, and one short line is enough.
  return String((error as Error).message)
    .replace(/[^\x20\x21\x23-\x5b\x5d-\x7e]/g, "")
    .slice(0, 200);
}
