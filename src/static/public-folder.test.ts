import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { createPublicFolder } from "./public-folder.js";

let dir: string;
let folder: string;
const big = Buffer.alloc(400 * 1024, "abcdefghijklmnopqrstuvwxyz"); // streamed, not cached in memory
const mtime = new Date("2024-03-01T12:00:00Z");

before(() => {
  dir = mkdtempSync(join(tmpdir(), "frank-public-"));
  folder = join(dir, "public");
  mkdirSync(join(folder, "css"), { recursive: true });
  mkdirSync(join(folder, "docs"));
  mkdirSync(join(folder, "empty-dir"));
  mkdirSync(join(folder, ".well-known"));
  mkdirSync(join(folder, "dir.txt"));
  writeFileSync(join(folder, "index.html"), "<h1>home</h1>");
  writeFileSync(join(folder, "hello.txt"), "hello world");
  utimesSync(join(folder, "hello.txt"), mtime, mtime);
  writeFileSync(join(folder, "big.bin"), big);
  writeFileSync(join(folder, "css", "app.css"), "body{}");
  writeFileSync(join(folder, "css", ".hidden"), "hidden");
  writeFileSync(join(folder, "docs", "index.html"), "<h1>docs</h1>");
  writeFileSync(join(folder, ".env"), "SECRET=1");
  writeFileSync(join(folder, ".well-known", "security.txt"), "Contact: mailto:x@example.org");
  writeFileSync(join(folder, "app.js"), "console.log('identity version')");
  writeFileSync(join(folder, "app.js.br"), "br-bytes");
  writeFileSync(join(folder, "app.js.gz"), "gzip-bytes!");
  writeFileSync(join(folder, "only-br.js"), "only-br identity");
  writeFileSync(join(folder, "only-br.js.br"), "only-br br");
  writeFileSync(join(folder, "only-gz.js"), "only-gz identity");
  writeFileSync(join(folder, "only-gz.js.gz"), "only-gz gzip");
  writeFileSync(join(dir, "secret.txt"), "TOP SECRET");
  symlinkSync(join(dir, "secret.txt"), join(folder, "outside-link.txt"));
  symlinkSync(join(folder, "hello.txt"), join(folder, "inside-link.txt"));
  symlinkSync(dir, join(folder, "outside-dir"));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const req = (path: string, headers: Record<string, string> = {}, method = "GET") =>
  new Request(`http://frank.test${path}`, { method, headers });

test("serves a file with content type, length, validators and Accept-Ranges", async () => {
  const serve = createPublicFolder({ folder });
  const res = (await serve(req("/hello.txt")))!;
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "text/plain;charset=utf-8");
  assert.equal(res.headers.get("content-length"), "11");
  assert.equal(res.headers.get("accept-ranges"), "bytes");
  assert.match(res.headers.get("etag")!, /^W\/"b-[0-9a-f]+"$/);
  assert.equal(res.headers.get("last-modified"), mtime.toUTCString());
  assert.equal(await res.text(), "hello world");
  assert.equal(await (await serve(req("/css/app.css?v=3")))!.text(), "body{}");
});

test("a large file is streamed whole, and by range", async () => {
  const serve = createPublicFolder({ folder });
  const res = (await serve(req("/big.bin")))!;
  assert.ok(res.body instanceof ReadableStream);
  assert.equal(res.headers.get("content-length"), String(big.length));
  assert.deepEqual(Buffer.from(await res.arrayBuffer()), big);
  const part = (await serve(req("/big.bin", { range: "bytes=100000-100009" })))!;
  assert.equal(part.status, 206);
  assert.equal(part.headers.get("content-range"), `bytes 100000-100009/${big.length}`);
  assert.deepEqual(Buffer.from(await part.arrayBuffer()), big.subarray(100000, 100010));
});

test("anything that is not a static file is undefined, so routes run", async () => {
  const serve = createPublicFolder({ folder });
  for (const path of [
    "/hello",
    "/user/42",
    "/css/missing.css",
    "/css/",
    "/empty-dir/",
    "/docs",
    "/docs/",
    "/dir.txt",
    "/hello.txt/",
    "/",
  ]) {
    assert.equal(await serve(req(path)), undefined, path);
  }
  assert.equal(await serve(req("/hello.txt", {}, "POST")), undefined);
  assert.equal(await serve(req("/hello.txt", {}, "DELETE")), undefined);
});

test("dotfiles are never served, except under .well-known", async () => {
  const serve = createPublicFolder({ folder });
  assert.equal(await serve(req("/.env")), undefined);
  assert.equal(await serve(req("/css/.hidden")), undefined);
  assert.equal(await (await serve(req("/.well-known/security.txt")))!.text(), "Contact: mailto:x@example.org");
});

test("malformed encodings are a 400", async () => {
  const serve = createPublicFolder({ folder });
  for (const path of ["/%E0%A4%A", "/hello.txt%00", "/%c0%ae%c0%ae/secret.txt"]) {
    assert.equal((await serve(req(path)))?.status, 400, path);
  }
});

test("the index option serves index.html for directories and redirects to the slash", async () => {
  const serve = createPublicFolder({ folder, index: true });
  assert.equal(await (await serve(req("/")))!.text(), "<h1>home</h1>");
  assert.equal(await (await serve(req("/docs/")))!.text(), "<h1>docs</h1>");
  const redirect = (await serve(req("/docs?page=2")))!;
  assert.equal(redirect.status, 301);
  assert.equal(redirect.headers.get("location"), "/docs/?page=2");
  assert.equal(await serve(req("/empty-dir/")), undefined, "no index.html, no listing");
  assert.equal(await serve(req("/empty-dir")), undefined);
});

test("symlinks inside the folder are served; leading out only when allowed", async () => {
  const serve = createPublicFolder({ folder });
  assert.equal(await (await serve(req("/inside-link.txt")))!.text(), "hello world");
  assert.equal(await serve(req("/outside-link.txt")), undefined);
  assert.equal(await serve(req("/outside-dir/secret.txt")), undefined);
  const permissive = createPublicFolder({ folder, allowSymlinksOutside: true });
  assert.equal(await (await permissive(req("/outside-link.txt")))!.text(), "TOP SECRET");
});

test("conditional GET: 304 by ETag and by date, with cache headers; 412 by If-Match", async () => {
  const serve = createPublicFolder({ folder, cacheControl: "public, max-age=300" });
  const etag = (await serve(req("/hello.txt")))!.headers.get("etag")!;
  const byTag = (await serve(req("/hello.txt", { "if-none-match": etag })))!;
  assert.equal(byTag.status, 304);
  assert.equal(byTag.headers.get("etag"), etag);
  assert.equal(byTag.headers.get("cache-control"), "public, max-age=300");
  assert.equal(byTag.body, null);
  assert.equal((await serve(req("/hello.txt", { "if-modified-since": mtime.toUTCString() })))!.status, 304);
  assert.equal((await serve(req("/hello.txt", { "if-modified-since": "Mon, 01 Jan 2001 00:00:00 GMT" })))!.status, 200);
  assert.equal((await serve(req("/hello.txt", { "if-match": '"nope"' })))!.status, 412);
});

test("ranges: single, suffix, If-Range, unsatisfiable, several", async () => {
  const serve = createPublicFolder({ folder });
  const single = (await serve(req("/hello.txt", { range: "bytes=0-4" })))!;
  assert.equal(single.status, 206);
  assert.equal(single.headers.get("content-range"), "bytes 0-4/11");
  assert.equal(await single.text(), "hello");
  assert.equal(await (await serve(req("/hello.txt", { range: "bytes=-5" })))!.text(), "world");
  const ifRange = (await serve(req("/hello.txt", { range: "bytes=0-4", "if-range": mtime.toUTCString() })))!;
  assert.equal(ifRange.status, 206);
  const stale = (await serve(req("/hello.txt", { range: "bytes=0-4", "if-range": 'W/"old"' })))!;
  assert.equal(stale.status, 200);
  const none = (await serve(req("/hello.txt", { range: "bytes=11-" })))!;
  assert.equal(none.status, 416);
  assert.equal(none.headers.get("content-range"), "bytes */11");
  const several = (await serve(req("/hello.txt", { range: "bytes=0-1,3-4" })))!;
  assert.equal(several.status, 200);
  assert.equal(await several.text(), "hello world");
});

test("precompressed siblings by Accept-Encoding q-values, with their own length and ETag", async () => {
  const serve = createPublicFolder({ folder });
  const identity = (await serve(req("/app.js")))!;
  assert.equal(identity.headers.get("content-encoding"), null);
  assert.equal(identity.headers.get("vary"), "Accept-Encoding");
  assert.equal(await identity.text(), "console.log('identity version')");

  const br = (await serve(req("/app.js", { "accept-encoding": "gzip, deflate, br" })))!;
  assert.equal(br.headers.get("content-encoding"), "br");
  assert.equal(br.headers.get("content-type"), "text/javascript;charset=utf-8");
  assert.equal(br.headers.get("content-length"), "8");
  assert.equal(br.headers.get("vary"), "Accept-Encoding");
  assert.equal(await br.text(), "br-bytes");

  const gzip = (await serve(req("/app.js", { "accept-encoding": "br;q=0.5, gzip" })))!;
  assert.equal(gzip.headers.get("content-encoding"), "gzip");
  assert.equal(gzip.headers.get("content-length"), "11");
  const tags = new Set([identity, br, gzip].map((res) => res.headers.get("etag")));
  assert.equal(tags.size, 3, "every variant has its own ETag");

  const refused = (await serve(req("/app.js", { "accept-encoding": "br;q=0, gzip;q=0" })))!;
  assert.equal(refused.headers.get("content-encoding"), null);
  const notModified = (await serve(
    req("/app.js", { "accept-encoding": "br", "if-none-match": br.headers.get("etag")! }),
  ))!;
  assert.equal(notModified.status, 304);
  assert.equal(notModified.headers.get("vary"), "Accept-Encoding");
  assert.equal((await serve(req("/hello.txt", { "accept-encoding": "br" })))!.headers.get("vary"), null);
  assert.equal(
    (await createPublicFolder({ folder, precompressed: false })(
      req("/app.js", { "accept-encoding": "br" }),
    ))!.headers.get("content-encoding"),
    null,
  );
});

test("a sibling is sent for any coding listed with q > 0; identity only when the client prefers or refuses all", async () => {
  const serve = createPublicFolder({ folder });
  // [file, Accept-Encoding, the coding expected (null: the file itself)]
  const cases: [string, string, string | null][] = [
    ["/app.js", "gzip", "gzip"],
    ["/app.js", "gzip;q=0.9", "gzip"],
    ["/app.js", "br;q=0.5", "br"],
    ["/app.js", "br;q=0.5, gzip;q=0.9", "gzip"],
    ["/app.js", "gzip;q=0.9, br;q=0.9", "br"],
    ["/only-br.js", "br;q=0.5, gzip;q=0.9", "br"],
    ["/only-gz.js", "br;q=0.5, gzip;q=0.9", "gzip"],
    ["/only-gz.js", "br", null],
    // identity named with a q competes by it, and loses a tie
    ["/app.js", "gzip;q=0.5, identity", null],
    ["/app.js", "gzip;q=0.5, identity;q=0.4", "gzip"],
    ["/app.js", "gzip;q=0.5, identity;q=0.5", "gzip"],
    ["/app.js", "identity;q=0, gzip;q=0.1", "gzip"],
    // * with and without q=0
    ["/app.js", "*", "br"],
    ["/only-gz.js", "*;q=0.3", "gzip"],
    ["/app.js", "*;q=0.3, br;q=0", "gzip"],
    ["/app.js", "*;q=0, gzip;q=0.2", "gzip"],
    ["/app.js", "*;q=0, identity", null],
    // nothing acceptable: the file as it is, not a 406 (see chooseVariant)
    ["/app.js", "*;q=0", null],
    ["/app.js", "identity;q=0", null],
    ["/app.js", "br;q=0, gzip;q=0", null],
    // unknown codings, whitespace and case, malformed q-values
    ["/app.js", "zstd, deflate", null],
    ["/app.js", "zstd, gzip;q=0.2", "gzip"],
    ["/app.js", " GZip ;\tQ=0.25 ", "gzip"],
    ["/app.js", "X-GZIP;q=0.7", "gzip"],
    ["/app.js", "gzip;q=2", null],
    ["/app.js", "gzip;q=abc, br;q=0.1", "br"],
    ["/app.js", "gzip;q=0.0001", null],
    ["/app.js", "", null],
  ];
  const bodies: Record<string, string> = {
    "/app.js": "console.log('identity version')",
    "/app.js br": "br-bytes",
    "/app.js gzip": "gzip-bytes!",
    "/only-br.js": "only-br identity",
    "/only-br.js br": "only-br br",
    "/only-gz.js": "only-gz identity",
    "/only-gz.js gzip": "only-gz gzip",
  };
  for (const [path, acceptEncoding, coding] of cases) {
    for (const method of ["GET", "HEAD"]) {
      const label = `${method} ${path} with ${JSON.stringify(acceptEncoding)}`;
      const res = (await serve(req(path, { "accept-encoding": acceptEncoding }, method)))!;
      assert.equal(res.status, 200, label);
      assert.equal(res.headers.get("content-encoding"), coding, label);
      assert.equal(res.headers.get("vary"), "Accept-Encoding", label);
      const body = bodies[coding === null ? path : `${path} ${coding}`];
      assert.equal(res.headers.get("content-length"), String(body.length), label);
      assert.equal(await res.text(), method === "GET" ? body : "", label);
    }
  }
});

test("cacheControl and extra headers", async () => {
  const serve = createPublicFolder({
    folder,
    cacheControl: "public, max-age=31536000, immutable",
    headers: { "x-content-type-options": "nosniff" },
  });
  const res = (await serve(req("/css/app.css")))!;
  assert.equal(res.headers.get("cache-control"), "public, max-age=31536000, immutable");
  assert.equal(res.headers.get("x-content-type-options"), "nosniff");
});

test("HEAD: the same headers, no body", async () => {
  const serve = createPublicFolder({ folder });
  for (const path of ["/hello.txt", "/big.bin"]) {
    const full = (await serve(req(path)))!;
    const head = (await serve(req(path, {}, "HEAD")))!;
    assert.equal(head.status, 200);
    assert.equal(head.body, null);
    for (const name of ["content-type", "content-length", "etag", "last-modified", "accept-ranges"]) {
      assert.equal(head.headers.get(name), full.headers.get(name), `${path} ${name}`);
    }
    await full.body?.cancel();
  }
});

test("the cache follows the disk: changed and removed files", async () => {
  const serve = createPublicFolder({ folder });
  const path = join(folder, "changing.txt");
  writeFileSync(path, "one");
  assert.equal(await (await serve(req("/changing.txt")))!.text(), "one");
  writeFileSync(path, "two, longer");
  assert.equal(await (await serve(req("/changing.txt")))!.text(), "two, longer");
  unlinkSync(path);
  assert.equal(await serve(req("/changing.txt")), undefined);
});

async function eventually(check: () => Promise<boolean>, withinMs: number): Promise<number> {
  const started = performance.now();
  while (!(await check())) {
    if (performance.now() - started > withinMs) assert.fail(`not true within ${withinMs} ms`);
    await sleep(10);
  }
  return performance.now() - started;
}

test("a file created after a miss is found promptly, at the top and below", async () => {
  const serve = createPublicFolder({ folder });
  assert.equal(await serve(req("/fresh.txt")), undefined);
  assert.equal(await serve(req("/css/fresh.css")), undefined);
  writeFileSync(join(folder, "fresh.txt"), "new");
  writeFileSync(join(folder, "css", "fresh.css"), "new css");
  await eventually(async () => (await serve(req("/fresh.txt")))?.status === 200, 1500);
  await eventually(async () => (await serve(req("/css/fresh.css")))?.status === 200, 1500);
  unlinkSync(join(folder, "fresh.txt"));
  unlinkSync(join(folder, "css", "fresh.css"));
});

test("a folder that does not exist serves nothing, and is picked up once created", async () => {
  const later = join(dir, "later");
  const serve = createPublicFolder({ folder: later });
  assert.equal(await serve(req("/a.txt")), undefined);
  mkdirSync(later);
  writeFileSync(join(later, "a.txt"), "arrived");
  await eventually(async () => (await serve(req("/a.txt")))?.status === 200, 1500);
});
