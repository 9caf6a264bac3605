import { test } from "node:test";
import assert from "node:assert/strict";
import { negotiateEncoding, negotiateMediaType } from "./negotiate.js";

const offers = ["text/html", "application/json", "text/plain"] as const;

test("negotiateMediaType: no or empty Accept takes the first offer", () => {
  assert.equal(negotiateMediaType(null, offers), "text/html");
  assert.equal(negotiateMediaType("", offers), "text/html");
  assert.equal(negotiateMediaType("text/html", []), undefined);
});

test("negotiateMediaType: q-values decide", () => {
  assert.equal(negotiateMediaType("application/json", offers), "application/json");
  assert.equal(negotiateMediaType("text/html;q=0.5, application/json", offers), "application/json");
  assert.equal(negotiateMediaType("text/plain;q=0.9, text/html;q=0.1", offers), "text/plain");
  assert.equal(negotiateMediaType("image/png", offers), undefined);
});

test("negotiateMediaType: wildcards and specificity", () => {
  assert.equal(negotiateMediaType("*/*", offers), "text/html");
  assert.equal(negotiateMediaType("text/*", ["application/json", "text/plain"]), "text/plain");
  // the most specific range sets the q of an offer: text/html is excluded, text/plain is not
  assert.equal(negotiateMediaType("text/*;q=0.8, text/html;q=0", offers), "text/plain");
  assert.equal(negotiateMediaType("*/*;q=0.1, application/json;q=0.5", offers), "application/json");
  // equal q: the more specific match wins over the server's order
  assert.equal(negotiateMediaType("*/*, application/json", offers), "application/json");
});

test("negotiateMediaType: a browser's Accept prefers html", () => {
  const browser = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";
  assert.equal(negotiateMediaType(browser, ["application/json", "text/html"]), "text/html");
});

test("negotiateMediaType: media type parameters must match; the offer comes back as given", () => {
  assert.equal(negotiateMediaType("text/html;level=1", ["text/html", "text/html; level=1"]), "text/html; level=1");
  assert.equal(negotiateMediaType("text/plain;format=flowed", ["text/plain"]), undefined);
});

test("negotiateMediaType: malformed entries are skipped", () => {
  assert.equal(negotiateMediaType("garbage, */json, application/json;q=2, text/plain", offers), "text/plain");
});

test("negotiateEncoding: q-values and server order", () => {
  const offered = ["br", "gzip", "identity"];
  assert.equal(negotiateEncoding("gzip, deflate, br", offered), "br");
  assert.equal(negotiateEncoding("gzip, br;q=0.5", offered), "gzip");
  assert.equal(negotiateEncoding("x-gzip", offered), "gzip");
  assert.equal(negotiateEncoding("deflate", offered), "identity");
  assert.equal(negotiateEncoding("*", offered), "br");
  assert.equal(negotiateEncoding("br;q=0, *;q=0.3", offered), "gzip");
});

test("negotiateEncoding: identity rules", () => {
  const offered = ["br", "identity"];
  assert.equal(negotiateEncoding(null, offered), "identity");
  assert.equal(negotiateEncoding("", offered), "identity");
  assert.equal(negotiateEncoding("identity;q=0, br;q=0.1", offered), "br");
  assert.equal(negotiateEncoding("*;q=0", offered), undefined);
  assert.equal(negotiateEncoding("*;q=0, identity", offered), "identity");
  assert.equal(negotiateEncoding("identity;q=0", ["identity"]), undefined);
  assert.equal(negotiateEncoding(null, ["gzip"]), "gzip");
});
