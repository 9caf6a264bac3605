import { test } from "node:test";
import assert from "node:assert/strict";
import { contentTypeFor, mimeTypeFor, namesCharset, withCharset } from "./mime.js";

test("contentTypeFor gives text types a utf-8 charset, and JSON none (RFC 8259 defines no charset for it)", () => {
  assert.equal(contentTypeFor("a.html"), "text/html;charset=utf-8");
  assert.equal(contentTypeFor("/x/y/style.CSS"), "text/css;charset=utf-8");
  assert.equal(contentTypeFor("app.js"), "text/javascript;charset=utf-8");
  assert.equal(contentTypeFor("feed.xml"), "application/xml;charset=utf-8");
  assert.equal(contentTypeFor("logo.svg"), "image/svg+xml;charset=utf-8");
  assert.equal(contentTypeFor("data.json"), "application/json");
  assert.equal(contentTypeFor("site.webmanifest"), "application/manifest+json");
});

test("contentTypeFor leaves binary types alone and accepts bare extensions", () => {
  assert.equal(contentTypeFor("photo.png"), "image/png");
  assert.equal(contentTypeFor("png"), "image/png");
  assert.equal(contentTypeFor(".wasm"), "application/wasm");
  assert.equal(contentTypeFor("archive.tar.gz"), "application/gzip");
});

test("contentTypeFor answers undefined for unknown or missing extensions", () => {
  assert.equal(contentTypeFor("file.nosuchext"), undefined);
  assert.equal(contentTypeFor("dir.d/README"), undefined);
});

test("mimeTypeFor maps short names to bare media types", () => {
  assert.equal(mimeTypeFor("json"), "application/json");
  assert.equal(mimeTypeFor("html"), "text/html");
  assert.equal(mimeTypeFor("txt"), "text/plain");
  assert.equal(mimeTypeFor("application/vnd.frank+json"), "application/vnd.frank+json");
  assert.equal(mimeTypeFor("nosuchname"), undefined);
});

test("withCharset adds a charset only to types that name one and have none", () => {
  assert.equal(withCharset("text/plain"), "text/plain;charset=utf-8");
  assert.equal(withCharset("text/plain; charset=latin1"), "text/plain; charset=latin1");
  assert.equal(withCharset("text/html;level=1"), "text/html;level=1;charset=utf-8");
  assert.equal(withCharset("image/png"), "image/png");
  assert.equal(withCharset("application/json"), "application/json");
  assert.equal(namesCharset("application/atom+xml"), true);
  assert.equal(namesCharset("application/ld+json"), false);
  assert.equal(namesCharset("application/octet-stream"), false);
});

test("types beyond the standard set come from the full database, and both sets agree", async () => {
  assert.equal(contentTypeFor("favicon.ico"), "image/vnd.microsoft.icon");
  assert.equal(contentTypeFor("report.xlsx"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  const { default: standard } = await import("mime/types/standard.js");
  const { default: full } = await import("mime");
  for (const extensions of Object.values(standard as Record<string, string[]>)) {
    for (const extension of extensions.map((e) => e.replace(/^\*/, ""))) {
      assert.equal(mimeTypeFor(extension), full.getType(extension) ?? undefined, extension);
    }
  }
});
