import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { basicAuth, getBasicAuthUser } from "./basic-auth.js";

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`, "utf8").toString("base64")}`;
const withAuth = (authorization?: string) =>
  new Request("http://localhost/admin", authorization ? { headers: { authorization } } : {});

describe("basicAuth", () => {
  const handler = basicAuth({ users: { ada: "lovelace", jürgen: "pässwörd" }, realm: "Admin area" })(
    (req) => new Response(`hello ${getBasicAuthUser(req)}`),
  );

  it("lets a known user in and tells the handler who it is", async () => {
    const res = await handler(withAuth(basic("ada", "lovelace")));
    assert.equal(res.status, 200);
    assert.equal(await res.text(), "hello ada");
    assert.equal(await (await handler(withAuth(basic("jürgen", "pässwörd")))).text(), "hello jürgen");
  });

  it("answers 401 with the challenge for no, wrong or malformed credentials", async () => {
    for (const header of [
      undefined,
      basic("ada", "wrong"),
      basic("eve", "lovelace"),
      "Basic !!!",
      "Basic bm9jb2xvbg==",
    ]) {
      const res = await handler(withAuth(header));
      assert.equal(res.status, 401, String(header));
      assert.equal(res.headers.get("www-authenticate"), 'Basic realm="Admin area", charset="UTF-8"');
    }
  });

  it("takes a verify function instead, and refuses unusable options when it is made", async () => {
    const verified = basicAuth({ verify: async (user, password) => user === "x" && password === "y" })(
      () => new Response("in"),
    );
    assert.equal((await verified(withAuth(basic("x", "y")))).status, 200);
    assert.equal((await verified(withAuth(basic("x", "z")))).status, 401);
    assert.throws(() => basicAuth({}), /either users or verify/);
    assert.throws(() => basicAuth({ users: {} }), /nobody could log in/);
    assert.throws(() => basicAuth({ users: { a: "b" }, realm: "bad\r\nrealm" }), /control characters/);
  });
});
