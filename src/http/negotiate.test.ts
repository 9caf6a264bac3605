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

test("negotiateEncoding: any coding listed with q > 0 beats an unnamed identity", () => {
  const siblings = ["br", "gzip", "identity"];
  assert.equal(negotiateEncoding("gzip;q=0.9", siblings), "gzip");
  assert.equal(negotiateEncoding("br;q=0.5", siblings), "br");
  assert.equal(negotiateEncoding("gzip;q=0.001", siblings), "gzip");
  assert.equal(negotiateEncoding("br;q=0.5, gzip;q=0.9", siblings), "gzip");
  assert.equal(negotiateEncoding("br;q=0.5, gzip;q=0.9", ["br", "identity"]), "br");
  assert.equal(negotiateEncoding("gzip;q=0.9", ["br", "identity"]), "identity");
  // the server's order (br first) breaks a tie between codings, whatever order the client lists them in
  assert.equal(negotiateEncoding("gzip;q=0.7, br;q=0.7", siblings), "br");
});

test("negotiateEncoding: identity named with a q competes by its q and loses ties", () => {
  const siblings = ["br", "gzip", "identity"];
  assert.equal(negotiateEncoding("gzip;q=0.5, identity", siblings), "identity");
  assert.equal(negotiateEncoding("gzip;q=0.5, identity;q=0.8", siblings), "identity");
  assert.equal(negotiateEncoding("gzip;q=0.8, identity;q=0.8", siblings), "gzip");
  assert.equal(negotiateEncoding("identity;q=0.1, gzip;q=0.2", siblings), "gzip");
  // the compressed coding wins a tie even when the server lists identity first
  assert.equal(negotiateEncoding("identity, gzip", ["identity", "gzip"]), "gzip");
  assert.equal(negotiateEncoding("identity;q=0", ["br", "identity"]), undefined);
  assert.equal(negotiateEncoding("identity;q=0, gzip;q=0.3", siblings), "gzip");
});

test("negotiateEncoding: * with and without q=0", () => {
  const siblings = ["br", "gzip", "identity"];
  assert.equal(negotiateEncoding("*", siblings), "br");
  assert.equal(negotiateEncoding("*;q=0.5", siblings), "br", "identity gets *'s q and loses the tie");
  assert.equal(negotiateEncoding("*;q=0.5", ["identity"]), "identity");
  assert.equal(negotiateEncoding("*;q=0.5, br;q=0.2", siblings), "gzip");
  assert.equal(negotiateEncoding("*;q=0.5, identity;q=0.9", siblings), "identity");
  assert.equal(negotiateEncoding("*;q=0", siblings), undefined);
  assert.equal(negotiateEncoding("*;q=0, gzip;q=0.4", siblings), "gzip");
  assert.equal(negotiateEncoding("*;q=0, identity;q=0.1", siblings), "identity");
  assert.equal(negotiateEncoding("gzip;q=0, br;q=0, *", siblings), "identity");
});

test("negotiateEncoding: unknown codings are ignored", () => {
  const siblings = ["br", "gzip", "identity"];
  assert.equal(negotiateEncoding("zstd, compress, deflate", siblings), "identity");
  assert.equal(negotiateEncoding("zstd, gzip;q=0.1", siblings), "gzip");
  assert.equal(negotiateEncoding("zstd", ["br", "gzip"]), undefined);
  assert.equal(negotiateEncoding("x-gzip;q=0.4", siblings), "gzip");
});

test("negotiateEncoding: whitespace and case do not matter", () => {
  const siblings = ["br", "gzip", "identity"];
  for (const header of [
    "GZIP;Q=0.9",
    " gzip ; q=0.9 ",
    "\tgzip;\tq=0.9\t",
    "gzip;q = 0.9",
    "Gzip;q=0.900, BR;q=0.1",
    ",, gzip;q=0.9 ,,",
  ]) {
    assert.equal(negotiateEncoding(header, siblings), "gzip", JSON.stringify(header));
  }
  assert.equal(negotiateEncoding("  ", siblings), "identity");
  assert.equal(negotiateEncoding(" , ;, ;q=1 ", siblings), "identity");
});

test("negotiateEncoding: an element with a malformed q is ignored, never guessed at", () => {
  const siblings = ["br", "gzip", "identity"];
  for (const weight of [
    "q=abc",
    "q=2",
    "q=1.0001",
    "q=0.5000",
    "q=",
    "q",
    "q=-1",
    "q=.5",
    "q=1e0",
    "q=0x1",
    "q=0.5;x=1",
  ]) {
    assert.equal(negotiateEncoding(`gzip;${weight}`, siblings), "identity", weight);
    assert.equal(negotiateEncoding(`gzip;${weight}, br;q=0.1`, siblings), "br", weight);
  }
  // a malformed identity entry leaves identity as acceptable as an unnamed one
  assert.equal(negotiateEncoding("identity;q=zero", siblings), "identity");
  assert.equal(negotiateEncoding("identity;q=zero, gzip;q=0.2", siblings), "gzip");
  // the grammar's edge cases are q-values
  assert.equal(negotiateEncoding("gzip;q=1.000", siblings), "gzip");
  assert.equal(negotiateEncoding("gzip;q=0.", ["gzip", "identity"]), "identity");
  assert.equal(negotiateEncoding("gzip;q=1.", siblings), "gzip");
});

test("negotiateEncoding: a coding named twice keeps its highest q", () => {
  assert.equal(negotiateEncoding("gzip;q=0, gzip;q=0.5", ["gzip", "identity"]), "gzip");
  assert.equal(negotiateEncoding("identity;q=0.9, identity;q=0", ["gzip", "identity"]), "identity");
});

test("negotiateEncoding is linear: 1 MiB of adversarial Accept-Encoding is parsed well under a second", () => {
  const MIB = 1024 * 1024;
  const fill = (piece: string) => piece.repeat(Math.ceil(MIB / piece.length)).slice(0, MIB);
  const siblings = ["br", "gzip", "identity"];
  const cases: [string, string, string | undefined][] = [
    ["commas", fill(",") + "gzip;q=0.5", "gzip"],
    ["semicolons", fill(";") + ", gzip;q=0.5", "gzip"],
    ["q= fragments", fill("q=") + ", gzip;q=0.5", "gzip"],
    ["';q=' fragments", "gzip" + fill(";q="), "identity"],
    ["'gzip;q=0.' without commas", fill("gzip;q=0."), "identity"],
    ["spaces around a q", "gzip;" + fill(" ") + "q" + fill(" ") + "=" + fill(" ") + "x", "identity"],
    ["tabs before an unfinished q", "gzip;" + fill("\t") + "q", "identity"],
    ["one long token", fill("a") + ", br;q=0.1", "br"],
    ["many elements", fill("gzip;q=0.001,") + ",br;q=0.002", "br"],
    ["many unknown codings", fill("c,x-,a1,") + ",gzip", "gzip"],
    ["many refusals", fill("*;q=0,identity;q=0,"), undefined],
    ["blank elements", fill(" ,") + "gzip", "gzip"],
    ["a q of many zeros", "gzip;q=0." + fill("0"), "identity"],
  ];
  for (const [name, header, expected] of cases) {
    // The faster of two runs, so a busy machine does not fail a linear parser; a quadratic one
    // (about 10^12 steps for 1 MiB) fails both.
    let ms = Number.POSITIVE_INFINITY;
    for (let run = 0; run < 2; run++) {
      const started = performance.now();
      assert.equal(negotiateEncoding(header, siblings), expected, name);
      ms = Math.min(ms, performance.now() - started);
    }
    assert.ok(ms < 1000, `${name}: ${header.length} bytes took ${ms.toFixed(0)} ms`);
  }
});
