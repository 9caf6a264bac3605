import { test } from "node:test";
import assert from "node:assert/strict";
import { brotliDecompressSync, createGunzip, gunzipSync } from "node:zlib";
import { Hono } from "hono";
import { compression, negotiate } from "./compression.js";

const bigText = "frank says hello. ".repeat(200); // 3,600 bytes
const textResponse = (body: BodyInit | null = bigText, headers: Record<string, string> = {}, status = 200) =>
  new Response(body, { status, headers: { "content-type": "text/html;charset=utf-8", ...headers } });
const request = (acceptEncoding?: string, method = "GET", extra: Record<string, string> = {}) =>
  new Request("http://localhost/", {
    method,
    headers: { ...(acceptEncoding ? { "accept-encoding": acceptEncoding } : {}), ...extra },
  });
const bytes = async (res: Response) => Buffer.from(await res.arrayBuffer());

test("gzip: compressed body, Content-Encoding, Vary, no Content-Length, weak ETag", async () => {
  const h = compression()(() =>
    textResponse(bigText, { "content-length": String(bigText.length), etag: '"abc"', "accept-ranges": "bytes" }),
  );
  const res = await h(request("gzip, deflate"));
  assert.equal(res.headers.get("content-encoding"), "gzip");
  assert.equal(res.headers.get("vary"), "Accept-Encoding");
  assert.equal(res.headers.get("content-length"), null);
  assert.equal(res.headers.get("accept-ranges"), null);
  assert.equal(res.headers.get("etag"), 'W/"abc"');
  const body = await bytes(res);
  assert.ok(body.length < bigText.length / 10, `compressed to ${body.length}`);
  assert.equal(gunzipSync(body).toString(), bigText);
});

test("brotli is preferred on a tie and decodes back", async () => {
  const h = compression()(() => textResponse());
  const res = await h(request("gzip, deflate, br, zstd"));
  assert.equal(res.headers.get("content-encoding"), "br");
  assert.equal(brotliDecompressSync(await bytes(res)).toString(), bigText);
});

test("q-values decide; q=0 refuses; * covers the unnamed", () => {
  const both = ["br", "gzip"] as const;
  assert.equal(negotiate("br;q=0.5, gzip;q=0.9", both), "gzip");
  assert.equal(negotiate("br;q=0, gzip", both), "gzip");
  assert.equal(negotiate("*", both), "br");
  assert.equal(negotiate("*;q=0.2, br;q=0", both), "gzip");
  assert.equal(negotiate("identity", both), undefined);
  assert.equal(negotiate("gzip;q=0, br;q=0", both), undefined);
  assert.equal(negotiate("x-gzip", both), "gzip");
  assert.equal(negotiate("GZIP;Q=1", both), "gzip");
  assert.equal(negotiate("", both), undefined);
  assert.equal(negotiate(null, both), undefined);
  assert.equal(negotiate("br, gzip", ["gzip", "br"]), "gzip");
});

test("the public folder's rule: any coding with q > 0 beats an unnamed identity; identity by its q when named", () => {
  const both = ["br", "gzip"] as const;
  const cases: [string | null, string | undefined][] = [
    ["gzip;q=0.9", "gzip"],
    ["br;q=0.5", "br"],
    ["br;q=0.5, gzip;q=0.9", "gzip"],
    ["gzip;q=0.7, br;q=0.7", "br"],
    ["gzip;q=0.5, identity", undefined],
    ["gzip;q=0.5, identity;q=0.5", "gzip"],
    ["gzip;q=0.5, identity;q=0.4", "gzip"],
    ["identity;q=0", undefined],
    ["identity;q=0, gzip;q=0.2", "gzip"],
    ["*;q=0", undefined],
    ["*;q=0.4", "br"],
    ["*;q=0, identity", undefined],
    ["zstd, deflate", undefined],
    ["zstd;q=1, gzip;q=0.1", "gzip"],
    [" GZIP ; Q=0.3 ", "gzip"],
    ["gzip;q=abc", undefined],
    ["gzip;q=2", undefined],
    ["gzip;q=0.5000", undefined],
    ["gzip;q=abc, br;q=0.1", "br"],
  ];
  for (const [header, expected] of cases) assert.equal(negotiate(header, both), expected, String(header));
  assert.equal(negotiate("br;q=0.5, gzip;q=0.9", ["br"]), "br");
});

test("a q below 1 compresses, and Vary is Accept-Encoding once whatever was chosen", async () => {
  const h = compression()(() => textResponse(bigText, { vary: "Accept" }));
  const gzip = await h(request("br;q=0.5, gzip;q=0.9"));
  assert.equal(gzip.headers.get("content-encoding"), "gzip");
  assert.equal(gzip.headers.get("vary"), "Accept, Accept-Encoding");
  assert.equal(gunzipSync(await bytes(gzip)).toString(), bigText);
  const br = await h(request("br;q=0.2"));
  assert.equal(br.headers.get("content-encoding"), "br");
  assert.equal(brotliDecompressSync(await bytes(br)).toString(), bigText);
  for (const header of ["identity;q=0", "*;q=0", "gzip;q=0.5, identity", "zstd"]) {
    const plain = await h(request(header));
    assert.equal(plain.status, 200, header);
    assert.equal(plain.headers.get("content-encoding"), null, header);
    assert.equal(plain.headers.get("vary"), "Accept, Accept-Encoding", header);
    assert.equal(await plain.text(), bigText, header);
  }
  const already = await compression()(() => textResponse(bigText, { vary: "accept-encoding" }))(request("gzip"));
  assert.equal(already.headers.get("vary"), "accept-encoding");
});

test("small bodies are left alone, with or without Content-Length", async () => {
  const h = compression()(() => textResponse("<p>short</p>"));
  const res = await h(request("gzip, br"));
  assert.equal(res.headers.get("content-encoding"), null);
  assert.equal(res.headers.get("content-length"), "12");
  assert.equal(res.headers.get("vary"), "Accept-Encoding");
  assert.equal(await res.text(), "<p>short</p>");
  const declared = await compression()(() => textResponse("x".repeat(500), { "content-length": "500" }))(
    request("gzip"),
  );
  assert.equal(declared.headers.get("content-encoding"), null);
  const custom = await compression({ threshold: 5 })(() => textResponse("<p>short</p>"))(request("gzip"));
  assert.equal(custom.headers.get("content-encoding"), "gzip");
});

test("no double compression: encoded responses and compressed types pass untouched", async () => {
  const cases: Array<Record<string, string>> = [
    { "content-encoding": "gzip" },
    { "content-type": "image/png" },
    { "content-type": "video/mp4" },
    { "content-type": "application/zip" },
    { "content-type": "application/gzip" },
    { "content-type": "font/woff2" },
    { "content-type": "application/octet-stream" },
    { "cache-control": "public, no-transform" },
  ];
  for (const headers of cases) {
    const res = await compression()(() => textResponse(bigText, headers))(request("gzip, br"));
    assert.equal(res.headers.get("content-encoding"), headers["content-encoding"] ?? null, JSON.stringify(headers));
    assert.equal((await res.text()).length, bigText.length);
  }
  const json = await compression()(() => textResponse(bigText, { "content-type": "application/problem+json" }))(
    request("gzip"),
  );
  assert.equal(json.headers.get("content-encoding"), "gzip");
  const svg = await compression()(() => textResponse(bigText, { "content-type": "image/svg+xml" }))(request("gzip"));
  assert.equal(svg.headers.get("content-encoding"), "gzip");
});

test("HEAD, 204, 304, 206 and no Accept-Encoding are not compressed", async () => {
  const h = compression()(() => textResponse());
  assert.equal((await h(request("gzip", "HEAD"))).headers.get("content-encoding"), null);
  assert.equal((await h(request())).headers.get("content-encoding"), null);
  assert.equal((await h(request())).headers.get("vary"), "Accept-Encoding");
  for (const status of [204, 304]) {
    const res = await compression()(() => textResponse(null, {}, status))(request("gzip"));
    assert.equal(res.headers.get("content-encoding"), null);
  }
  const partial = await compression()(() => textResponse(bigText, { "content-range": "bytes 0-3599/9000" }, 206))(
    request("gzip", "GET", { range: "bytes=0-3599" }),
  );
  assert.equal(partial.headers.get("content-encoding"), null);
  assert.equal(partial.status, 206);
});

test("streams: each chunk arrives compressed before the handler produces the next", async () => {
  const encoder = new TextEncoder();
  let release!: () => void;
  const secondMayGo = new Promise<void>((resolve) => (release = resolve));
  const h = compression()(
    () =>
      new Response(
        new ReadableStream<Uint8Array>({
          async start(controller) {
            controller.enqueue(encoder.encode("data: first\n\n"));
            await secondMayGo;
            controller.enqueue(encoder.encode("data: second\n\n"));
            controller.close();
          },
        }),
        { headers: { "content-type": "text/event-stream" } },
      ),
  );
  const res = await h(request("gzip"));
  assert.equal(res.headers.get("content-encoding"), "gzip");
  const gunzip = createGunzip();
  const decoded: string[] = [];
  gunzip.on("data", (chunk: Buffer) => decoded.push(chunk.toString()));
  const reader = res.body!.getReader();
  while (!decoded.join("").includes("first")) {
    const { value, done } = await reader.read();
    assert.equal(done, false, "the stream ended before the first event was decodable");
    await new Promise<void>((resolve) => gunzip.write(value, () => setImmediate(resolve)));
  }
  assert.equal(decoded.join(""), "data: first\n\n");
  release();
  for (let r = await reader.read(); !r.done; r = await reader.read()) gunzip.write(r.value);
  gunzip.end();
  await new Promise((resolve) => gunzip.on("end", resolve));
  assert.equal(decoded.join(""), "data: first\n\ndata: second\n\n");
});

test("a client going away cancels the handler's stream", async () => {
  let cancelled: unknown;
  const h = compression()(
    () =>
      new Response(
        new ReadableStream<Uint8Array>({
          pull(controller) {
            controller.enqueue(new TextEncoder().encode(bigText));
            return new Promise((resolve) => setTimeout(resolve, 5));
          },
          cancel(reason) {
            cancelled = reason ?? "cancelled";
          },
        }),
        { headers: { "content-type": "text/plain" } },
      ),
  );
  const res = await h(request("br"));
  const reader = res.body!.getReader();
  await reader.read();
  await reader.cancel("client gone");
  assert.equal(cancelled, "client gone");
});

test("compresses a Hono app's JSON", async () => {
  const hono = new Hono().get("/", (c) =>
    c.json({ items: Array.from({ length: 200 }, (_, i) => ({ id: i, name: `item ${i}` })) }),
  );
  const res = await compression()(hono.fetch)(request("gzip"));
  assert.equal(res.headers.get("content-encoding"), "gzip");
  assert.equal(JSON.parse(gunzipSync(await bytes(res)).toString()).items.length, 200);
});
