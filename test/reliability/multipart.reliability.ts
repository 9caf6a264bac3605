// Hostile multipart bodies against a frank server in its own process, over raw TCP: every
// adversarial shape (many tiny parts, boundary-like junk, huge header lines, header floods,
// preambles of dashes) is answered in time linear in its size — 4 MiB about four times 1 MiB —
// while /health keeps answering promptly next to it; then fast-check generated bodies mixing
// boundary fragments and random bytes: never a 5xx, no crash, no unhandled rejection, and no
// file left in the upload folder.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { getRequest, rawExchange } from "./support/raw-client.js";
import { recordResults } from "./support/results.js";
import { useSharedTarget } from "./support/shared-target.js";

const SEED = Number(process.env.FRANK_FUZZ_SEED) || 20261127;
const CASES = Number(process.env.FRANK_FUZZ_CASES) || 250;
const BOUNDARY = "reliability-boundary-0123456789";
const MIB = 1024 * 1024;

const uploads = mkdtempSync(join(tmpdir(), "frank-reliability-uploads-"));
process.env.FRANK_RELIABILITY_UPLOADS = uploads;
const stats = {
  seed: SEED,
  shapes: {} as Record<string, unknown>,
  fuzzCases: 0,
  statuses: {} as Record<string, number>,
};
const target = useSharedTarget((code) => {
  rmSync(uploads, { recursive: true, force: true });
  recordResults("multipart", { ...stats, exitCodeAfterSigterm: code });
});

/**
 * A keep-alive POST: an answer that comes before the whole body was sent (a refused part) is
 * read while the server drops the rest of the body, as a browser's would be.
 */
function post(path: string, body: Buffer, boundary = BOUNDARY): Buffer {
  return Buffer.concat([
    Buffer.from(
      `POST ${path} HTTP/1.1\r\nHost: x\r\n` +
        `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${body.length}\r\n\r\n`,
    ),
    body,
  ]);
}

async function timedPost(path: string, body: Buffer): Promise<{ ms: number; status: number }> {
  const started = performance.now();
  const exchange = await rawExchange(target.server.port, [post(path, body)], { expectResponses: 1, idleMs: 30_000 });
  const status = exchange.responses[0]?.status ?? 0;
  return { ms: performance.now() - started, status };
}

async function healthMs(): Promise<number> {
  const started = performance.now();
  const exchange = await rawExchange(target.server.port, [getRequest("/health")], {
    expectResponses: 1,
    idleMs: 5_000,
  });
  assert.equal(exchange.responses[0]?.status, 200, "/health answered");
  return performance.now() - started;
}

const part = (headers: string, content: string) => `--${BOUNDARY}\r\n${headers}\r\n\r\n${content}\r\n`;
const end = `--${BOUNDARY}--\r\n`;
const fileHead = 'Content-Disposition: form-data; name="f"; filename="f.bin"';

const SHAPES: Record<string, (size: number) => string> = {
  "many tiny fields": (size) => {
    const one = part('Content-Disposition: form-data; name="a[]"', "x");
    return one.repeat(Math.floor(size / one.length)) + end;
  },
  "many tiny files": (size) => {
    const one = part(fileHead, "x");
    return one.repeat(Math.floor(size / one.length)) + end;
  },
  "boundary-like junk in a file": (size) => {
    const junk = `\r\n--${BOUNDARY.slice(0, -1)}!`;
    return `--${BOUNDARY}\r\n${fileHead}\r\n\r\n${junk.repeat(Math.floor(size / junk.length))}\r\n${end}`;
  },
  "a huge header line": (size) =>
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${"a".repeat(size)}"\r\n\r\nx\r\n${end}`,
  "a flood of header lines": (size) =>
    `--${BOUNDARY}\r\n${"X-A: b\r\n".repeat(size / 8)}${fileHead}\r\n\r\nx\r\n${end}`,
  "a preamble of dashes": (size) => `${"--".repeat(size / 2)}\r\n${part(fileHead, "x")}${end}`,
  "deeply bracketed names": (size) => {
    const one = part(`Content-Disposition: form-data; name="a${"[b]".repeat(40)}"`, "x");
    return one.repeat(Math.floor(size / one.length)) + end;
  },
};

test("every adversarial shape is answered in linear time, and /health stays prompt beside it", async (t) => {
  for (const path of ["/form", "/parts"]) {
    for (const [name, shape] of Object.entries(SHAPES)) {
      const small = await timedPost(path, Buffer.from(shape(MIB), "latin1"));
      const largeBody = Buffer.from(shape(4 * MIB), "latin1");
      const [large, health] = await Promise.all([timedPost(path, largeBody), healthMs()]);
      const label = `${path} ${name}`;
      t.diagnostic(
        `${label}: 1 MiB ${small.ms.toFixed(0)} ms (${small.status}), 4 MiB ${large.ms.toFixed(0)} ms (${large.status}), /health ${health.toFixed(0)} ms`,
      );
      stats.shapes[label] = { mib1Ms: Math.round(small.ms), mib4Ms: Math.round(large.ms), status: large.status };
      assert.ok(large.status > 0 && large.status < 500, `${label} answered ${large.status}`);
      assert.ok(
        large.ms < 8 * Math.max(small.ms, 100),
        `${label}: 1 MiB ${small.ms.toFixed(0)} ms, 4 MiB ${large.ms.toFixed(0)} ms`,
      );
      assert.ok(health < 2_000, `${label}: /health took ${health.toFixed(0)} ms`);
    }
  }
  assert.equal(target.server.exitCode(), null);
});

test("urlencoded forms with hostile names are answered in linear time too", async (t) => {
  const shapes: Record<string, (size: number) => string> = {
    "one name of brackets": (size) => `a${"%5B".repeat(size / 3)}=x`,
    "many appends": (size) => "t%5B%5D=x&".repeat(size / 10),
    "many nested names": (size) => Array.from({ length: size / 16 }, (_, i) => `u[${i}][b]=x`).join("&"),
  };
  for (const [name, shape] of Object.entries(shapes)) {
    const send = async (size: number) => {
      const body = Buffer.from(shape(size));
      const started = performance.now();
      const exchange = await rawExchange(
        target.server.port,
        [
          `POST /form HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n`,
          body,
        ],
        { expectResponses: 1, idleMs: 30_000 },
      );
      return { ms: performance.now() - started, status: exchange.responses[0]?.status ?? 0 };
    };
    const small = await send(MIB);
    const large = await send(4 * MIB);
    t.diagnostic(
      `urlencoded ${name}: 1 MiB ${small.ms.toFixed(0)} ms (${small.status}), 4 MiB ${large.ms.toFixed(0)} ms (${large.status})`,
    );
    stats.shapes[`urlencoded ${name}`] = {
      mib1Ms: Math.round(small.ms),
      mib4Ms: Math.round(large.ms),
      status: large.status,
    };
    assert.ok(large.status > 0 && large.status < 500, `${name} answered ${large.status}`);
    assert.ok(
      large.ms < 8 * Math.max(small.ms, 100),
      `${name}: 1 MiB ${small.ms.toFixed(0)} ms, 4 MiB ${large.ms.toFixed(0)} ms`,
    );
  }
});

test("generated multipart bodies: never a 5xx, no crash, no file left behind", async () => {
  const fragments = fc.constantFrom(
    `--${BOUNDARY}\r\n`,
    `\r\n--${BOUNDARY}`,
    `--${BOUNDARY}--\r\n`,
    "\r\n\r\n",
    "\r\n",
    "--",
    'Content-Disposition: form-data; name="a"\r\n',
    'Content-Disposition: form-data; name="f"; filename="x.bin"\r\n',
    'Content-Disposition: form-data; name="__proto__[polluted]"\r\n',
    'Content-Disposition: form-data; name="a[b][]"\r\n',
    "Content-Type: text/plain; charset=utf-8\r\n",
    "Content-Disposition: attachment\r\n",
  );
  const bodies = fc.sample(
    fc.array(
      fc.oneof(
        fragments,
        fc.string({ maxLength: 40 }),
        fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b).toString("latin1")),
      ),
      {
        maxLength: 40,
      },
    ),
    { seed: SEED, numRuns: CASES },
  );
  for (const [index, pieces] of bodies.entries()) {
    const body = Buffer.from(pieces.join(""), "latin1");
    const path = index % 2 === 0 ? "/form" : "/parts";
    const exchange = await rawExchange(target.server.port, [post(path, body)], { expectResponses: 1, idleMs: 5_000 });
    const status = exchange.responses[0]?.status ?? 0;
    stats.fuzzCases++;
    stats.statuses[status] = (stats.statuses[status] ?? 0) + 1;
    assert.ok(
      status > 0 && status < 500,
      `case ${index} (seed ${SEED}) answered ${status}: ${JSON.stringify(pieces).slice(0, 300)}`,
    );
    assert.equal(target.server.exitCode(), null, `the server died on case ${index}:\n${target.server.stderr()}`);
  }
  assert.deepEqual(target.server.unhandled(), []);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  for (let waited = 0; waited < 100 && readdirSync(uploads).length > 0; waited++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.deepEqual(readdirSync(uploads), [], "every upload folder was removed");
});
