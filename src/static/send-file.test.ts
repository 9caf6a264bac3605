import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sendFile } from "./send-file.js";

let dir: string;
let root: string;
const text = "0123456789abcdefghij"; // 20 bytes
const mtime = new Date("2024-03-01T12:00:00Z");

before(() => {
  dir = mkdtempSync(join(tmpdir(), "frank-sendfile-"));
  root = join(dir, "files");
  mkdirSync(join(root, "sub"), { recursive: true });
  writeFileSync(join(root, "data.txt"), text);
  utimesSync(join(root, "data.txt"), mtime, mtime);
  writeFileSync(join(root, "sub", "page.html"), "<p>hi</p>");
  writeFileSync(join(root, "blob.unknownext"), "x");
  writeFileSync(join(root, "empty.txt"), "");
  writeFileSync(join(root, ".env"), "X=1");
  mkdirSync(join(root, "sub", ".git"));
  writeFileSync(join(root, "sub", ".git", "config"), "[core]");
  mkdirSync(join(root, ".well-known"));
  writeFileSync(join(root, ".well-known", "a.txt"), "known");
  writeFileSync(join(root, "app.js"), "console.log('identity')");
  writeFileSync(join(root, "app.js.br"), "BR!");
  writeFileSync(join(root, "app.js.gz"), "GZIP!");
  writeFileSync(join(dir, "secret.txt"), "TOP SECRET");
  symlinkSync(join(dir, "secret.txt"), join(root, "escape.txt"));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const get = (headers: Record<string, string> = {}, method = "GET") =>
  new Request("http://frank.test/f", { method, headers });

test("sends a file with type, length, validators and Accept-Ranges", async () => {
  const res = await sendFile(get(), "data.txt", { root });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "text/plain;charset=utf-8");
  assert.equal(res.headers.get("content-length"), "20");
  assert.equal(res.headers.get("accept-ranges"), "bytes");
  assert.equal(res.headers.get("last-modified"), mtime.toUTCString());
  assert.match(res.headers.get("etag")!, /^W\/"14-[0-9a-f]+"$/);
  assert.equal(await res.text(), text);
});

test("an absolute path without root, and unknown types as octet-stream", async () => {
  const res = await sendFile(get(), join(root, "blob.unknownext"));
  assert.equal(res.headers.get("content-type"), "application/octet-stream");
  assert.equal(await res.text(), "x");
});

test("a missing file and a directory are 404", async () => {
  assert.equal((await sendFile(get(), "nope.txt", { root })).status, 404);
  assert.equal((await sendFile(get(), "sub", { root })).status, 404);
  assert.equal((await sendFile(get(), join(root, "nope"))).status, 404);
});

test("paths outside root are refused with 404, symlinks leading out included", async () => {
  for (const path of [
    "../secret.txt",
    join(dir, "secret.txt"),
    "sub/../../secret.txt",
    "escape.txt",
    "data.txt\0.png",
  ]) {
    const res = await sendFile(get(), path, { root });
    assert.equal(res.status, 404, path);
    assert.doesNotMatch(await res.text(), /TOP SECRET/);
  }
});

test("with root, hidden files are refused unless allowed; .well-known is fine", async () => {
  assert.equal((await sendFile(get(), ".env", { root })).status, 404);
  assert.equal((await sendFile(get(), "sub/.git/config", { root })).status, 404);
  assert.equal(await (await sendFile(get(), ".env", { root, allowDotfiles: true })).text(), "X=1");
  assert.equal(await (await sendFile(get(), ".well-known/a.txt", { root })).text(), "known");
});

test("type option takes short names and media types", async () => {
  assert.equal(
    (await sendFile(get(), "data.txt", { root, type: "json" })).headers.get("content-type"),
    "application/json",
  );
  assert.equal(
    (await sendFile(get(), "data.txt", { root, type: "image/png" })).headers.get("content-type"),
    "image/png",
  );
});

test("filename implies an attachment; disposition inline keeps the name", async () => {
  const attached = await sendFile(get(), "data.txt", { root, filename: "Résumé.txt" });
  assert.equal(
    attached.headers.get("content-disposition"),
    `attachment; filename="R_sum_.txt"; filename*=UTF-8''R%C3%A9sum%C3%A9.txt`,
  );
  const inline = await sendFile(get(), "data.txt", { root, disposition: "inline" });
  assert.equal(inline.headers.get("content-disposition"), 'inline; filename="data.txt"');
  assert.equal((await sendFile(get(), "data.txt", { root })).headers.get("content-disposition"), null);
});

test("lastModified option replaces or removes Last-Modified", async () => {
  const when = new Date("2020-01-01T00:00:00Z");
  const replaced = await sendFile(get(), "data.txt", { root, lastModified: when });
  assert.equal(replaced.headers.get("last-modified"), when.toUTCString());
  const none = await sendFile(get({ "if-modified-since": new Date().toUTCString() }), "data.txt", {
    root,
    lastModified: false,
  });
  assert.equal(none.headers.get("last-modified"), null);
  assert.equal(none.status, 200);
});

test("conditional GET: 304 for If-None-Match and If-Modified-Since, 412 for If-Match", async () => {
  const first = await sendFile(get(), "data.txt", { root, cacheControl: "public, max-age=60" });
  const etag = first.headers.get("etag")!;
  const byTag = await sendFile(get({ "if-none-match": etag }), "data.txt", {
    root,
    cacheControl: "public, max-age=60",
  });
  assert.equal(byTag.status, 304);
  assert.equal(byTag.headers.get("etag"), etag);
  assert.equal(byTag.headers.get("cache-control"), "public, max-age=60");
  assert.equal(await byTag.text(), "");
  const byDate = await sendFile(get({ "if-modified-since": mtime.toUTCString() }), "data.txt", { root });
  assert.equal(byDate.status, 304);
  const failed = await sendFile(get({ "if-match": '"something-else"' }), "data.txt", { root });
  assert.equal(failed.status, 412);
});

test("Range: single, suffix, open-ended, unsatisfiable, multiple", async () => {
  const single = await sendFile(get({ range: "bytes=2-5" }), "data.txt", { root });
  assert.equal(single.status, 206);
  assert.equal(single.headers.get("content-range"), "bytes 2-5/20");
  assert.equal(single.headers.get("content-length"), "4");
  assert.equal(await single.text(), "2345");
  const suffix = await sendFile(get({ range: "bytes=-3" }), "data.txt", { root });
  assert.equal(await suffix.text(), "hij");
  assert.equal(suffix.headers.get("content-range"), "bytes 17-19/20");
  const open = await sendFile(get({ range: "bytes=15-" }), "data.txt", { root });
  assert.equal(await open.text(), "fghij");
  const unsatisfiable = await sendFile(get({ range: "bytes=20-" }), "data.txt", { root });
  assert.equal(unsatisfiable.status, 416);
  assert.equal(unsatisfiable.headers.get("content-range"), "bytes */20");
  const multiple = await sendFile(get({ range: "bytes=0-1,5-6" }), "data.txt", { root });
  assert.equal(multiple.status, 200, "several ranges are answered with the whole file");
  assert.equal(await multiple.text(), text);
  const garbage = await sendFile(get({ range: "bytes=x-y" }), "data.txt", { root });
  assert.equal(garbage.status, 200);
});

test("If-Range: a matching date honours Range, a weak ETag or an old date sends everything", async () => {
  const etag = (await sendFile(get(), "data.txt", { root })).headers.get("etag")!;
  const byDate = await sendFile(get({ range: "bytes=0-1", "if-range": mtime.toUTCString() }), "data.txt", { root });
  assert.equal(byDate.status, 206);
  const byWeakTag = await sendFile(get({ range: "bytes=0-1", "if-range": etag }), "data.txt", { root });
  assert.equal(byWeakTag.status, 200);
  assert.equal(await byWeakTag.text(), text);
  const oldDate = await sendFile(get({ range: "bytes=0-1", "if-range": "Mon, 01 Jan 2001 00:00:00 GMT" }), "data.txt", {
    root,
  });
  assert.equal(oldDate.status, 200);
});

test("HEAD sends the same headers and no body; Range is GET-only", async () => {
  const full = await sendFile(get(), "data.txt", { root });
  const head = await sendFile(get({ range: "bytes=0-1" }, "HEAD"), "data.txt", { root });
  assert.equal(head.status, 200);
  assert.equal(head.body, null);
  for (const name of ["content-type", "content-length", "etag", "last-modified", "accept-ranges"]) {
    assert.equal(head.headers.get(name), full.headers.get(name), name);
  }
});

test("status option sends the file as is, without conditionals or ranges", async () => {
  const res = await sendFile(get({ range: "bytes=0-1", "if-none-match": "*" }), "sub/page.html", { root, status: 404 });
  assert.equal(res.status, 404);
  assert.equal(await res.text(), "<p>hi</p>");
});

test("extra headers and cache control", async () => {
  const res = await sendFile(get(), "data.txt", { root, cacheControl: "no-cache", headers: { "x-frank": "yes" } });
  assert.equal(res.headers.get("cache-control"), "no-cache");
  assert.equal(res.headers.get("x-frank"), "yes");
});

test("an empty file is 200 with length 0", async () => {
  const res = await sendFile(get(), "empty.txt", { root });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-length"), "0");
  assert.equal(await res.text(), "");
});

test("precompressed siblings only when asked for", async () => {
  const plain = await sendFile(get({ "accept-encoding": "br" }), "app.js", { root });
  assert.equal(plain.headers.get("content-encoding"), null);
  assert.equal(plain.headers.get("vary"), null);
  const br = await sendFile(get({ "accept-encoding": "gzip, br" }), "app.js", { root, precompressed: true });
  assert.equal(br.headers.get("content-encoding"), "br");
  assert.equal(br.headers.get("vary"), "Accept-Encoding");
  assert.equal(br.headers.get("content-type"), "text/javascript;charset=utf-8");
  assert.equal(br.headers.get("content-length"), "3");
  const gzip = await sendFile(get({ "accept-encoding": "br;q=0.5, gzip;q=0.9" }), "app.js", {
    root,
    precompressed: true,
  });
  assert.equal(gzip.headers.get("content-encoding"), "gzip");
  assert.equal(gzip.headers.get("vary"), "Accept-Encoding");
  assert.equal(await gzip.text(), "GZIP!");
  const lowQ = await sendFile(get({ "accept-encoding": "gzip;q=0.9" }), "app.js", { root, precompressed: true });
  assert.equal(lowQ.headers.get("content-encoding"), "gzip");
  const refused = await sendFile(get({ "accept-encoding": "identity;q=0" }), "app.js", { root, precompressed: true });
  assert.equal(refused.status, 200);
  assert.equal(refused.headers.get("content-encoding"), null);
  assert.equal(await refused.text(), "console.log('identity')");
});
