import assert from "node:assert/strict";
import { test } from "node:test";
import { isLocalUrl, resolveReference } from "./location.js";

test("isLocalUrl: paths, queries and fragments are local; anything a browser reads as another host is not", () => {
  for (const local of ["/", "/a/b?c=d#e", "a/b", "../x", "?q=1", "#top", "", "/%2F%2Fevil", "/caf\u00e9"]) {
    assert.equal(isLocalUrl(local), true, JSON.stringify(local));
  }
  for (const other of [
    "//evil",
    "\\\\evil",
    "\\/evil",
    "/\\evil",
    " //evil",
    "\u0000//evil",
    "/\t/evil",
    "/\n/evil",
    "/\r\nSet-Cookie: a=1",
    "http://evil/",
    "http:evil",
    "https:evil",
    "HTTPS://evil",
    "javascript:alert(1)",
    "data:text/html,x",
    "mailto:a@b",
    "http://[",
  ]) {
    assert.equal(isLocalUrl(other), false, JSON.stringify(other));
  }
});

test("resolveReference reads a target with a scheme as absolute, even on a page of that scheme", () => {
  const page = new URL("http://shop.example/cart");
  assert.equal(resolveReference("http:evil", page).href, "http://evil/");
  assert.equal(resolveReference("/a b", page).href, "http://shop.example/a%20b");
  assert.equal(resolveReference("\\\\evil\\x", page).href, "http://evil/x");
  assert.throws(() => resolveReference("http:", page), TypeError);
});
