// jwtAuth against tokens signed by jose itself, and a JSON Web Key Set served on loopback by a
// real HTTP server (the remote-set code path, with its fetches counted).
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT } from "jose";
import { getJwtPayload, jwtAuth } from "./jwt-auth.js";

const SECRET = "a-secret-of-at-least-thirty-two-bytes!";
const now = () => Math.floor(Date.now() / 1000);

function signed(claims: Record<string, unknown>, options: { alg?: string; secret?: string } = {}) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: options.alg ?? "HS256" })
    .sign(new TextEncoder().encode(options.secret ?? SECRET));
}

const bearer = (token: string) =>
  new Request("http://localhost/api", { headers: { authorization: `Bearer ${token}` } });
const echo = (req: Request) => Response.json(getJwtPayload(req) ?? null);

describe("jwtAuth with a secret", () => {
  const handler = jwtAuth({
    secret: SECRET,
    algorithms: ["HS256"],
    issuer: "https://id.example",
    audience: "shop",
    clockTolerance: 5,
  })(echo);
  const valid = { iss: "https://id.example", aud: "shop", sub: "ada" };

  it("lets a valid token in and gives the handler its claims", async () => {
    const res = await handler(bearer(await signed({ ...valid, exp: now() + 60 })));
    assert.equal(res.status, 200);
    assert.equal((await res.json()).sub, "ada");
  });

  it("refuses, with the reason in WWW-Authenticate, every token that fails a check", async () => {
    const cases: Array<[string, Promise<string> | string, RegExp]> = [
      ["expired", signed({ ...valid, exp: now() - 60 }), /exp claim timestamp check failed/],
      ["not yet valid", signed({ ...valid, exp: now() + 60, nbf: now() + 60 }), /nbf claim timestamp check failed/],
      ["wrong issuer", signed({ ...valid, iss: "https://evil.example", exp: now() + 60 }), /iss claim/],
      ["wrong audience", signed({ ...valid, aud: "other", exp: now() + 60 }), /aud claim/],
      ["no expiry", signed(valid), /missing required exp claim/],
      [
        "another secret",
        signed({ ...valid, exp: now() + 60 }, { secret: `${SECRET}?` }),
        /signature verification failed/,
      ],
      [
        "an algorithm not allowed",
        signed({ ...valid, exp: now() + 60 }, { alg: "HS512" }),
        /alg \(Algorithm\) Header Parameter value not allowed/,
      ],
      ["unsigned", new UnsecuredJWT({ ...valid, exp: now() + 60 }).encode(), /./],
      ["garbage", "not.a.token", /./],
    ];
    for (const [what, token, reason] of cases) {
      const res = await handler(bearer(await token));
      assert.equal(res.status, 401, what);
      const challenge = res.headers.get("www-authenticate") ?? "";
      assert.match(challenge, /^Bearer realm="frank", error="invalid_token", error_description="/, what);
      assert.match(challenge, reason, what);
    }
  });

  it("allows clockTolerance seconds of clock difference", async () => {
    const justExpired = await signed({ ...valid, exp: now() - 2 });
    assert.equal((await handler(bearer(justExpired))).status, 200);
  });

  it("answers a request without a token with the bare challenge", async () => {
    const res = await handler(new Request("http://localhost/api"));
    assert.equal(res.status, 401);
    assert.equal(res.headers.get("www-authenticate"), 'Bearer realm="frank"');
  });

  it("refuses options that would accept forged tokens, when it is made", () => {
    assert.throws(() => jwtAuth({ secret: SECRET } as never), /algorithms is required/);
    assert.throws(() => jwtAuth({ secret: SECRET, algorithms: ["none"] }), /"none" is not an algorithm/);
    assert.throws(() => jwtAuth({ secret: "short", algorithms: ["HS256"] }), /at least 32 bytes/);
    assert.throws(() => jwtAuth({ secret: SECRET, algorithms: ["RS256"] }), /HS256, HS384 or HS512 only/);
    assert.throws(() => jwtAuth({ algorithms: ["RS256"] }), /exactly one of secret, key or jwks/);
  });
});

describe("jwtAuth with a public key or a key set", () => {
  let server: Server;
  let jwksUrl: string;
  let fetches = 0;
  let keys: Array<Record<string, unknown>> = [];
  let serving = true;
  let signer: CryptoKey;
  let publicJwk: Record<string, unknown>;

  before(async () => {
    const pair = await generateKeyPair("ES256");
    signer = pair.privateKey;
    publicJwk = { ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "ES256", use: "sig" };
    keys = [publicJwk];
    server = createServer((_req, res) => {
      fetches++;
      if (!serving) {
        res.writeHead(503).end();
        return;
      }
      res.writeHead(200, { "content-type": "application/jwk-set+json" }).end(JSON.stringify({ keys }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const es256 = (claims: Record<string, unknown>, kid = "k1") =>
    new SignJWT(claims).setProtectedHeader({ alg: "ES256", kid }).setExpirationTime("1m").sign(signer);

  it("verifies with a JWK given directly", async () => {
    const handler = jwtAuth({ key: publicJwk, algorithms: ["ES256"] })(echo);
    const res = await handler(bearer(await es256({ sub: "key" })));
    assert.equal((await res.json()).sub, "key");
  });

  it("fetches the key set once and reuses it", async () => {
    fetches = 0;
    const handler = jwtAuth({ jwks: jwksUrl, algorithms: ["ES256"] })(echo);
    for (const sub of ["a", "b", "c"]) {
      const res = await handler(bearer(await es256({ sub })));
      assert.equal((await res.json()).sub, sub);
    }
    assert.equal(fetches, 1);
  });

  it("refuses a token whose kid the set does not hold, and an HS256 token made with the public key", async () => {
    const handler = jwtAuth({ jwks: jwksUrl, algorithms: ["ES256"] })(echo);
    const unknownKid = await handler(bearer(await es256({ sub: "x" }, "k2")));
    assert.equal(unknownKid.status, 401);
    assert.match(unknownKid.headers.get("www-authenticate") ?? "", /no applicable key found/);
    // Algorithm confusion: the public key's bytes used as an HMAC secret.
    const confused = await signed({ sub: "x", exp: now() + 60 }, { secret: JSON.stringify(publicJwk) });
    assert.equal((await handler(bearer(confused))).status, 401);
  });

  it("lets a key set that cannot be fetched fail as an error, not as a refused token", async () => {
    serving = false;
    try {
      const handler = jwtAuth({ jwks: jwksUrl, algorithms: ["ES256"] })(echo);
      await assert.rejects(async () => handler(bearer(await es256({ sub: "x" }))));
    } finally {
      serving = true;
    }
  });
});
