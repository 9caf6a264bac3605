import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { bearerAuth, getBearerToken } from "./bearer-auth.js";

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`, "utf8").toString("base64")}`;
const withAuth = (authorization?: string) =>
  new Request("http://localhost/admin", authorization ? { headers: { authorization } } : {});

describe("bearerAuth", () => {
  const handler = bearerAuth({ tokens: ["key-one", "key-two"] })((req) => new Response(`token ${getBearerToken(req)}`));

  it("lets an accepted token in", async () => {
    const res = await handler(withAuth("Bearer key-two"));
    assert.equal(await res.text(), "token key-two");
  });

  it("follows RFC 6750: no token, a wrong token, a malformed header", async () => {
    const none = await handler(withAuth());
    assert.equal(none.status, 401);
    assert.equal(none.headers.get("www-authenticate"), 'Bearer realm="frank"');
    const wrong = await handler(withAuth("Bearer key-three"));
    assert.equal(wrong.status, 401);
    assert.equal(wrong.headers.get("www-authenticate"), 'Bearer realm="frank", error="invalid_token"');
    const malformed = await handler(withAuth("Bearer two words"));
    assert.equal(malformed.status, 400);
    assert.equal(malformed.headers.get("www-authenticate"), 'Bearer realm="frank", error="invalid_request"');
    assert.equal((await handler(withAuth(basic("a", "b")))).status, 401);
  });
});
