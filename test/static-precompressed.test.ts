// Test timeout: 60 s: curl and Node's clients against a launched server.
// Precompressed siblings as real clients get them: a frank App with a public folder holding
// .br/.gz siblings and the compression middleware, on a loopback socket, asked by curl (its own
// --compressed header and written ones, decoded by curl) and by headless Chromium (its own
// Accept-Encoding, decoded and run by the browser). Each sibling decodes to a different script,
// so what the client ends up with names the file that was sent.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { brotliCompressSync, gzipSync } from "node:zlib";
import { App } from "../src/index.js";
import { compression } from "../src/middleware/index.js";
import { serve, type RunningServer } from "../src/server/serve.js";
import { chromiumUnavailableReason, launchChromium } from "./support/chromium.js";
import { skipUnlessAvailable } from "./support/prerequisites.js";

const run = promisify(execFile);
const withCurl = {
  skip: skipUnlessAvailable(existsSync("/usr/bin/curl") ? undefined : "/usr/bin/curl is missing (Debian package curl)"),
};
const script = (coding: string) => `window.servedFrom = ${JSON.stringify(coding)};\n`;
const PLAIN_TEXT = "frank serves this text without a sibling. ".repeat(100); // over the 1 KiB threshold

let dir: string;
let server: RunningServer;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "frank-precompressed-"));
  const folder = join(dir, "public");
  mkdirSync(folder);
  writeFileSync(join(folder, "index.html"), '<!doctype html><title>siblings</title><script src="/app.js"></script>');
  writeFileSync(join(folder, "app.js"), script("identity"));
  writeFileSync(join(folder, "app.js.gz"), gzipSync(script("gzip")));
  writeFileSync(join(folder, "app.js.br"), brotliCompressSync(script("br")));
  writeFileSync(join(folder, "only-br.js"), script("identity"));
  writeFileSync(join(folder, "only-br.js.br"), brotliCompressSync(script("br")));
  writeFileSync(join(folder, "plain.txt"), PLAIN_TEXT);
  const app = new App();
  app.set({ environment: "test", publicFolder: folder });
  app.use(compression());
  // FRANK_CONTAINER=0: loopback is what this test wants, so no container warning.
  const processEnv = { ...process.env, FRANK_CONTAINER: "0" };
  server = await serve(app, { port: 0, host: "127.0.0.1", quiet: true, handleSignals: false, processEnv });
});
after(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface CurlResult {
  /** the Accept-Encoding curl sent, or undefined */
  sent: string | undefined;
  status: number;
  /** response header lines, names lowercased; a header sent twice has two entries */
  headers: [string, string][];
  /** the body as curl wrote it: decoded when --compressed */
  body: string;
}

async function curl(path: string, args: string[]): Promise<CurlResult> {
  const bodyFile = join(dir, "curl-body");
  const { stdout, stderr } = await run("curl", [
    "-sS",
    "-v",
    "-D",
    "-",
    "-o",
    bodyFile,
    ...args,
    server.localUrl + path.slice(1),
  ]);
  const sent = /^> accept-encoding: (.*?)\r?$/im.exec(stderr)?.[1];
  const [statusLine, ...lines] = stdout.trim().split(/\r?\n/);
  const headers = lines.map((line): [string, string] => {
    const colon = line.indexOf(":");
    return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()];
  });
  return { sent, status: Number(statusLine.split(" ")[1]), headers, body: readFileSync(bodyFile, "utf8") };
}

const header = (result: CurlResult, name: string) => result.headers.filter(([n]) => n === name).map(([, v]) => v);

test("curl --compressed with its own Accept-Encoding gets the brotli sibling and decodes it", withCurl, async () => {
  const result = await curl("/app.js", ["--compressed"]);
  assert.match(result.sent ?? "", /\bbr\b/, "this curl is built with brotli");
  assert.equal(result.status, 200);
  assert.deepEqual(header(result, "content-encoding"), ["br"]);
  assert.deepEqual(header(result, "vary"), ["Accept-Encoding"]);
  assert.equal(result.body, script("br"));
});

test("curl with written Accept-Encoding headers: q below 1, identity named, refusals", withCurl, async () => {
  // [path, Accept-Encoding, the script curl ends up with]
  const cases: [string, string, string][] = [
    ["/app.js", "gzip;q=0.9", "gzip"],
    ["/app.js", "br;q=0.5, gzip;q=0.9", "gzip"],
    ["/only-br.js", "br;q=0.5, gzip;q=0.9", "br"],
    ["/app.js", "GZIP ; Q=0.25, zstd", "gzip"],
    ["/app.js", "*;q=0.5", "br"],
    ["/app.js", "gzip;q=0.5, identity", "identity"],
    ["/app.js", "identity;q=0", "identity"],
    ["/app.js", "*;q=0", "identity"],
    ["/app.js", "gzip;q=abc", "identity"],
  ];
  for (const [path, acceptEncoding, coding] of cases) {
    const label = `${path} with ${acceptEncoding}`;
    const result = await curl(path, ["--compressed", "-H", `Accept-Encoding: ${acceptEncoding}`]);
    assert.equal(result.sent, acceptEncoding, "curl sends the written header instead of its own");
    assert.equal(result.status, 200, label);
    assert.deepEqual(header(result, "content-encoding"), coding === "identity" ? [] : [coding], label);
    assert.deepEqual(header(result, "vary"), ["Accept-Encoding"], label);
    assert.equal(result.body, script(coding), label);
  }
  const none = await curl("/app.js", []);
  assert.equal(none.sent, undefined);
  assert.deepEqual(header(none, "content-encoding"), []);
  assert.equal(none.body, script("identity"));
});

test(
  "the compression middleware follows the same rule for a file without siblings, with one Vary",
  withCurl,
  async () => {
    for (const [acceptEncoding, coding] of [
      ["gzip;q=0.9", "gzip"],
      ["br;q=0.5, gzip;q=0.4", "br"],
      ["gzip;q=0.5, identity", undefined],
      ["identity;q=0", undefined],
    ] as const) {
      const result = await curl("/plain.txt", ["--compressed", "-H", `Accept-Encoding: ${acceptEncoding}`]);
      assert.deepEqual(header(result, "content-encoding"), coding === undefined ? [] : [coding], acceptEncoding);
      assert.deepEqual(header(result, "vary"), ["Accept-Encoding"], acceptEncoding);
      assert.equal(result.body, PLAIN_TEXT, acceptEncoding);
    }
  },
);

test("Chromium's own Accept-Encoding gets a sibling, which it decodes and runs", {
  skip: skipUnlessAvailable(chromiumUnavailableReason()),
}, async (t) => {
  const browser = await launchChromium();
  t.after(() => browser.close());
  const page = await browser.newPage();
  const scriptResponse = page.waitForResponse((response) => response.url().endsWith("/app.js"));
  await page.goto(server.localUrl + "index.html");
  const response = await scriptResponse;
  const sent = (await response.request().allHeaders())["accept-encoding"] ?? "";
  const received = (await response.allHeaders())["content-encoding"];
  const servedFrom = await page.evaluate(() => (window as unknown as { servedFrom?: string }).servedFrom);
  t.diagnostic(`Chromium sent Accept-Encoding: ${sent}; got ${received}`);
  // Chromium lists its codings without q-values; the server's order prefers br.
  const expected = /\bbr\b/.test(sent) ? "br" : "gzip";
  assert.match(sent, /\bgzip\b/);
  assert.equal(received, expected);
  assert.equal(servedFrom, expected, "the script Chromium ran is the sibling's");
  assert.equal((await response.allHeaders()).vary, "Accept-Encoding");
});
