// The JSON API example on a real socket, served by the `frank` command, asked as curl would ask:
// every answer is JSON, errors included, each from the handler for its kind.
import assert from "node:assert/strict";
import { test } from "node:test";
import { frank, printed, stop } from "../support/launcher.js";

test("the JSON API answers in JSON, its error handlers included", async (t) => {
  const running = frank(["examples/json-api/app.ts", "-E", "production", "-o", "127.0.0.1", "-p", "0"]);
  t.after(() => stop(running));
  const base = await running.url;
  assert.ok(base, running.output());
  const call = async (path: string, init?: RequestInit) => {
    const res = await fetch(base + path.slice(1), init);
    const text = await res.text();
    return { status: res.status, type: res.headers.get("content-type"), body: text ? JSON.parse(text) : null, res };
  };
  const json = (method: string, body: string): RequestInit => ({
    method,
    headers: { "content-type": "application/json" },
    body,
  });

  const list = await call("/books");
  assert.equal(list.type, "application/json");
  assert.equal(list.body.books[0].author, "Ursula K. Le Guin");

  const created = await call("/books", json("POST", '{"title":"Dune","author":"Frank Herbert"}'));
  assert.equal(created.status, 201);
  assert.equal(created.res.headers.get("location"), `${base}books/2`);
  assert.deepEqual(created.body, { id: 2, title: "Dune", author: "Frank Herbert" });
  assert.equal((await call("/books/2")).body.title, "Dune");

  // curl -d '{…}' without a type: curl says urlencoded, frank says how to send JSON.
  const curlForm = await call("/books", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: '{"title":"x","author":"y"}',
  });
  assert.equal(curlForm.status, 415);
  assert.match(curlForm.body.error, /curl --json/);
  // No Content-Type at all reads as JSON.
  const untyped = await call("/books", {
    method: "POST",
    body: new TextEncoder().encode('{"title":"Emma","author":"Austen"}'),
  });
  assert.equal(untyped.status, 201);

  const invalid = await call("/books", json("POST", "{nope"));
  assert.equal(invalid.status, 400);
  assert.match(invalid.body.error, /Invalid JSON body/);
  const incomplete = await call("/books", json("POST", '{"title":"No author"}'));
  assert.deepEqual([incomplete.status, incomplete.body], [422, { error: "author is required", field: "author" }]);

  assert.deepEqual(await call("/books/99").then((r) => [r.status, r.type, r.body]), [
    404,
    "application/json",
    { error: "no book 99" },
  ]);
  assert.deepEqual(await call("/nowhere").then((r) => [r.status, r.type, r.body]), [
    404,
    "application/json",
    { error: "Not Found" },
  ]);

  const crashed = await call("/books/1/export");
  assert.deepEqual(
    [crashed.status, crashed.type, crashed.body],
    [500, "application/json", { error: "internal error" }],
  );
  // Log lines are written in batches: wait for it.
  await printed(running, /"message":"request failed".*exports are not written yet/);

  const updated = await call("/books/2", json("PUT", '{"title":"Dune Messiah","author":"Frank Herbert"}'));
  assert.equal(updated.body.title, "Dune Messiah");
  assert.equal((await call("/books/2", { method: "DELETE" })).status, 204);
  assert.equal((await call("/books/2")).status, 404);
});
