// A 1 GiB upload through a real socket to frank running in its own process (the launcher, in
// production): the body is generated as it is sent (never a 1 GiB file or buffer on the client),
// the server writes the file to its upload folder, and its resident memory is sampled from /proc
// the whole time. Memory stays flat: the growth is a few buffers, not the upload.
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { once } from "node:events";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT, launcherUnavailableReason } from "./support/frank-in-pod.js";
import { httpGet } from "./support/http.js";
import { freePort } from "./support/ports.js";
import { skipUnlessAvailable } from "./support/prerequisites.js";
import { waitFor } from "./support/wait.js";

const skip = skipUnlessAvailable(
  launcherUnavailableReason(),
  process.platform === "linux" ? undefined : "reading RSS needs /proc (Linux)",
);
const APP = "test/fixtures/apps/live/app.ts";
const GIB = 1024 ** 3;
const BOUNDARY = "frank-memory-test";
/** What the server's RSS may grow by while 1 GiB passes through it. */
const RSS_GROWTH_BOUND = 64 * 1024 * 1024;

function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

async function startFrank(t: TestContext, uploadDir: string) {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ["bin/frank.js", APP, "-p", String(port), "--host", "127.0.0.1", "-E", "production", "--access-log", "off"],
    {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, FRANK_CONTAINER: "0", UPLOAD_DIR: uploadDir },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  t.after(() => {
    if (child.exitCode === null) child.kill("SIGKILL");
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await httpGet(`${url}/livez`, { timeoutMs: 500 })).status === 200, {
    description: "frank to listen",
    timeoutMs: 30_000,
  }).catch((error: Error) => {
    throw new Error(`${error.message}\n${output}`);
  });
  return { pid: child.pid!, port, output: () => output };
}

/**
 * POSTs a multipart body with one file of `size` bytes, generated a MiB at a time (each MiB
 * different), waiting for the socket when it is full. Resolves with the answer and the
 * SHA-256 of the file's bytes as sent.
 */
function upload(port: number, path: string, size: number): Promise<{ status: number; body: string; sha256: string }> {
  const head = Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="note"\r\n\r\nbig one\r\n` +
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n` +
      "Content-Type: application/octet-stream\r\n\r\n",
  );
  const tail = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
  const hash = createHash("sha256");
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        path,
        method: "POST",
        agent: false,
        headers: {
          "content-type": `multipart/form-data; boundary=${BOUNDARY}`,
          "content-length": head.length + size + tail.length,
        },
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body, sha256: hash.digest("hex") }));
      },
    );
    req.on("error", reject);
    (async () => {
      req.write(head);
      const block = Buffer.alloc(1024 * 1024);
      for (let sent = 0, n = 0; sent < size; n++) {
        block.writeUInt32BE(n, 0); // every MiB differs, so a lost or repeated block changes the hash
        const piece = block.subarray(0, Math.min(block.length, size - sent));
        hash.update(piece);
        sent += piece.length;
        if (!req.write(piece)) await once(req, "drain");
      }
      req.end(tail);
    })().catch(reject);
  });
}

async function measure(t: TestContext, path: string) {
  const uploadDir = mkdtempSync(join(tmpdir(), "frank-memory-test-"));
  t.after(() => rmSync(uploadDir, { recursive: true, force: true }));
  const frank = await startFrank(t, uploadDir);
  // A small upload first, so busboy and the rest are loaded before the baseline.
  const warm = await upload(frank.port, path, 1024 * 1024);
  assert.equal(warm.status, 200, warm.body);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const baseline = rssOf(frank.pid);
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssOf(frank.pid));
  }, 50);
  const started = performance.now();
  const result = await upload(frank.port, path, GIB).finally(() => clearInterval(sampler));
  const seconds = (performance.now() - started) / 1000;
  assert.equal(result.status, 200, `${result.body}\n${frank.output()}`);
  const answer = JSON.parse(result.body) as { size: number; sha256: string };
  assert.equal(answer.size, GIB);
  assert.equal(answer.sha256, result.sha256, "the server got every byte, in order");
  const growth = peak - baseline;
  t.diagnostic(
    `${path}: 1 GiB in ${seconds.toFixed(1)} s; RSS ${(baseline / 2 ** 20).toFixed(0)} MiB before, peak ${(peak / 2 ** 20).toFixed(0)} MiB (+${(growth / 2 ** 20).toFixed(1)} MiB)`,
  );
  assert.ok(growth < RSS_GROWTH_BOUND, `RSS grew by ${(growth / 2 ** 20).toFixed(1)} MiB during a 1 GiB upload`);
  await waitFor(() => readdirSync(uploadDir).length === 0, { description: "the upload folder to be emptied" });
}

test("a 1 GiB upload saved to disk by c.form() keeps the server's memory flat", { skip, timeout: 600_000 }, (t) =>
  measure(t, "/upload"),
);

test("a 1 GiB upload read as a stream by c.parts() keeps the server's memory flat", { skip, timeout: 600_000 }, (t) =>
  measure(t, "/upload-stream"),
);
