// A corpus of hostile request paths thrown at the public folder and at a sendFile route over a
// real socket (raw request lines, so nothing on the client side normalizes them), and in-process.
// A secret sits next to the folder (and in dotfiles inside it); its text must never come back.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPublicFolder } from "../src/static/public-folder.js";
import { sendFile } from "../src/static/send-file.js";
import { serve, type RunningServer } from "../src/server/serve.js";

const SECRET = "FRANK-SECRET-5b1e9c";
let dir: string;
let folder: string;
let server: RunningServer;
let port: number;

/** Paths written for this suite; `SECRET_DIR` is replaced by the absolute directory holding the secret. */
const CORPUS = [
  "/../secret.txt",
  "/../../secret.txt",
  "/css/../../secret.txt",
  "/./../secret.txt",
  "/hello.txt/../../secret.txt",
  "/..%2fsecret.txt",
  "/..%2Fsecret.txt",
  "/%2e%2e/secret.txt",
  "/%2E%2E/secret.txt",
  "/%2e%2e%2fsecret.txt",
  "/.%2e/secret.txt",
  "/%2e./secret.txt",
  "/css/..%2f..%2fsecret.txt",
  "/css/%2e%2e/%2e%2e/secret.txt",
  "/%252e%252e/secret.txt",
  "/%252e%252e%252fsecret.txt",
  "/..%252fsecret.txt",
  "/..%252f..%252fsecret.txt",
  "/%25%32%65%25%32%65/secret.txt",
  "/..\\secret.txt",
  "/..%5csecret.txt",
  "/%5c..%5csecret.txt",
  "/..%255csecret.txt",
  "/%2e%2e%5c%2e%2e%5csecret.txt",
  "/%c0%ae%c0%ae/secret.txt",
  "/%C0%AE%C0%AE%C0%AFsecret.txt",
  "/%c0%2e%c0%2e/secret.txt",
  "/%e0%80%ae%e0%80%ae/secret.txt",
  "/%f0%80%80%ae%f0%80%80%ae/secret.txt",
  "/..%c0%afsecret.txt",
  "/%c1%9c..%c1%9csecret.txt",
  "/%u002e%u002e/secret.txt",
  "/..%u2215secret.txt",
  "/..%e2%88%95secret.txt",
  "/%ef%bc%8e%ef%bc%8e/secret.txt",
  "/..;/secret.txt",
  "/hello.txt%00/../../secret.txt",
  "/..%00/secret.txt",
  "/%00../secret.txt",
  "/secret.txt%00.html",
  "SECRET_DIR/secret.txt",
  "/SECRET_DIR_ENCODED%2fsecret.txt",
  "/outside-link.txt",
  "/outside-dir/secret.txt",
  "/outside-dir/../secret.txt",
  "/../public-sibling/secret.txt",
  "/..%2fpublic-sibling%2fsecret.txt",
  "/.%2e/public-sibling/secret.txt",
  "/.env",
  "/%2eenv",
  "/.git/config",
  "/%2egit/config",
  "/css/.hidden",
  "/.well-known/../.env",
  "/.well-known/%2e%2e/.env",
  "/.well-known/.secret",
  "/....//secret.txt",
  "/secret.txt",
  "../secret.txt",
  "http://127.0.0.1/../secret.txt",
];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "frank-hostile-"));
  folder = join(dir, "public");
  mkdirSync(join(folder, "css"), { recursive: true });
  mkdirSync(join(folder, ".git"));
  mkdirSync(join(folder, ".well-known"));
  mkdirSync(join(dir, "public-sibling"));
  writeFileSync(join(folder, "hello.txt"), "hello");
  writeFileSync(join(folder, "css", "app.css"), "body{}");
  writeFileSync(join(folder, "css", ".hidden"), SECRET);
  writeFileSync(join(folder, ".env"), `TOKEN=${SECRET}`);
  writeFileSync(join(folder, ".git", "config"), SECRET);
  writeFileSync(join(folder, ".well-known", ".secret"), SECRET);
  writeFileSync(join(dir, "secret.txt"), SECRET);
  writeFileSync(join(dir, "public-sibling", "secret.txt"), SECRET);
  symlinkSync(join(dir, "secret.txt"), join(folder, "outside-link.txt"));
  symlinkSync(dir, join(folder, "outside-dir"));

  const publicFolder = createPublicFolder({ folder, index: true });
  server = await serve(async (req) => (await publicFolder(req)) ?? route(req), {
    port: 0,
    host: "127.0.0.1",
    quiet: true,
    handleSignals: false,
  });
  port = server.addresses[0].port;
});
after(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** What an App route would do: `get("/download/*")` handing the decoded splat to sendFile. */
async function route(req: Request): Promise<Response> {
  const path = new URL(req.url).pathname;
  if (!path.startsWith("/download/")) return new Response("no route", { status: 404 });
  let splat: string;
  try {
    splat = decodeURIComponent(path.slice("/download/".length));
  } catch {
    return new Response("bad encoding", { status: 400 });
  }
  return sendFile(req, splat, { root: folder });
}

function expand(path: string): string {
  return path
    .replace("SECRET_DIR_ENCODED", encodeURIComponent(dir).slice(3)) // drop the leading %2F: one is already there
    .replace("SECRET_DIR", dir);
}

/** Sends a raw request line over TCP and returns the status and the whole response text. */
function rawGet(target: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    socket.setTimeout(5000, () => socket.destroy(new Error(`timeout for ${target}`)));
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("error", reject);
    socket.on("close", () => {
      const text = Buffer.concat(chunks).toString("latin1");
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text });
    });
    socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
  });
}

test("the corpus has at least 40 hostile paths", () => {
  assert.ok(CORPUS.length >= 40, `${CORPUS.length} paths`);
});

test("the server is serving the folder (so the refusals below mean something)", async () => {
  const res = await rawGet("/hello.txt");
  assert.equal(res.status, 200);
  assert.match(res.text, /hello$/);
  const download = await rawGet("/download/css/app.css");
  assert.equal(download.status, 200);
});

test("over a real socket, no hostile path returns the secret, and each is a 400 or 404", async () => {
  for (const hostile of CORPUS) {
    const target = expand(hostile);
    const res = await rawGet(target);
    assert.ok(!res.text.includes(SECRET), `${target} leaked the secret`);
    assert.ok(res.status === 400 || res.status === 404, `${target} answered ${res.status}`);
  }
});

test("through a sendFile route, no hostile path returns the secret", async () => {
  for (const hostile of CORPUS) {
    const path = expand(hostile);
    if (!path.startsWith("/")) continue;
    const res = await rawGet("/download" + path);
    assert.ok(!res.text.includes(SECRET), `/download${path} leaked the secret`);
    assert.ok(res.status === 400 || res.status === 404, `/download${path} answered ${res.status}`);
  }
});

test("in-process, with percent-encoding applied once more, nothing leaks either", async () => {
  const publicFolder = createPublicFolder({ folder });
  for (const hostile of CORPUS) {
    const path = expand(hostile);
    for (const target of [path, path.replace(/%/g, "%25")]) {
      if (!target.startsWith("/")) continue;
      const res = await publicFolder(new Request(`http://frank.test${target}`));
      if (res === undefined) continue;
      const text = await res.text();
      assert.ok(!text.includes(SECRET), `${target} leaked the secret`);
      assert.ok(res.status === 400 || res.status === 404, `${target} answered ${res.status}`);
    }
  }
});
