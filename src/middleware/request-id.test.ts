import { test } from "node:test";
import assert from "node:assert/strict";
import { requestId, getRequestId } from "./request-id.js";
import { deriveRequest } from "../http/request-state.js";

const echo = requestId()((req) => new Response(getRequestId(req) ?? "none"));

test("generates a UUID, gives it to the handler and echoes it", async () => {
  const res = await echo(new Request("http://localhost/"));
  const id = res.headers.get("x-request-id");
  assert.match(id ?? "", /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(await res.text(), id);
});

test("keeps a sane incoming id", async () => {
  const res = await echo(new Request("http://localhost/", { headers: { "x-request-id": "abc-123_nginx.9" } }));
  assert.equal(res.headers.get("x-request-id"), "abc-123_nginx.9");
  assert.equal(await res.text(), "abc-123_nginx.9");
});

test("replaces an id that is too long or carries odd characters", async () => {
  for (const bad of ["x".repeat(129), "a b", "<script>", 'a"b']) {
    const res = await echo(new Request("http://localhost/", { headers: { "x-request-id": bad } }));
    assert.notEqual(res.headers.get("x-request-id"), bad);
    assert.equal(res.headers.get("x-request-id")?.length, 36);
  }
});

test("works on immutable responses, with another header name, and through derived requests", async () => {
  const handler = requestId({ header: "X-Trace", generate: () => "fixed" })((req) => {
    const inner = deriveRequest(req, new Request(req.url, { method: "PUT" }));
    return Response.redirect(`http://localhost/${getRequestId(inner)}`, 302);
  });
  const res = await handler(new Request("http://localhost/"));
  assert.equal(res.headers.get("x-trace"), "fixed");
  assert.equal(res.headers.get("location"), "http://localhost/fixed");
});

test("getRequestId is undefined when the middleware is not in use", () => {
  assert.equal(getRequestId(new Request("http://localhost/")), undefined);
});
