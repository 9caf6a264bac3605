import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { bufferedParts, bufferedResponse } from "./buffered-response.js";

describe("bufferedResponse", () => {
  const make = () =>
    bufferedResponse({
      status: 201,
      headers: { "content-type": "text/plain", "x-a": "1" },
      setCookies: ["a=1", "b=2"],
      body: "héllo",
    });

  it("is a Response in every way a reader can tell", async () => {
    const response = make();
    assert.ok(response instanceof Response);
    assert.equal(response.status, 201);
    assert.equal(response.ok, true);
    assert.equal(response.headers.get("x-a"), "1");
    assert.deepEqual(response.headers.getSetCookie(), ["a=1", "b=2"]);
    assert.equal(await response.clone().text(), "héllo");
    assert.equal(await response.text(), "héllo");
    assert.equal(response.bodyUsed, true);
  });

  it("hands its plain parts to a server until someone made a real Response of it", () => {
    const response = make();
    assert.deepEqual(bufferedParts(response)?.setCookies, ["a=1", "b=2"]);
    void response.headers;
    assert.equal(bufferedParts(response), undefined, "after materializing, the real Response is the truth");
    assert.equal(bufferedParts(new Response("x")), undefined);
  });

  it("carries bytes and no body", async () => {
    const bytes = bufferedResponse({ status: 200, headers: {}, setCookies: [], body: new Uint8Array([1, 2]) });
    assert.deepEqual([...new Uint8Array(await bytes.arrayBuffer())], [1, 2]);
    const empty = bufferedResponse({ status: 204, headers: {}, setCookies: [], body: null });
    assert.equal(empty.body, null);
  });
});
