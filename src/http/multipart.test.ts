// The multipart parser on hostile bodies: each adversarial shape is parsed (or refused) in time
// linear in its size — 4 MiB takes about four times what 1 MiB takes, never sixteen.
import { test } from "node:test";
import assert from "node:assert/strict";
import { resolveFormLimits } from "./form-limits.js";
import { HttpError } from "./http-error.js";
import { parseMultipart } from "./multipart.js";

const BOUNDARY = "frank-test-boundary-0123456789abcdefghijklmnopqrstuvwxyz-0123456789";
const MIB = 1024 * 1024;

function request(body: Uint8Array, boundary = BOUNDARY): Request {
  let offset = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= body.length) controller.close();
      else controller.enqueue(body.subarray(offset, (offset += 64 * 1024)));
    },
  });
  return new Request("http://localhost/upload", {
    method: "POST",
    body: stream,
    headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
    duplex: "half",
  } as RequestInit);
}

/** Parses with limits high enough that only the shape of the body matters; the outcome and the time it took. */
async function timed(body: Uint8Array): Promise<{ ms: number; outcome: string }> {
  const limits = resolveFormLimits({ maxParts: Infinity, maxFields: Infinity, maxFiles: Infinity });
  const started = performance.now();
  let parts = 0;
  let outcome = "parsed";
  try {
    await parseMultipart(request(body), limits, {
      onField: () => {
        parts++;
      },
      onFile: (_name, stream) =>
        new Promise((resolve, reject) => {
          parts++;
          stream.on("end", resolve).on("error", reject).resume();
        }),
    });
    outcome = `parsed ${parts} parts`;
  } catch (error) {
    assert.ok(error instanceof HttpError && error.status < 500, String(error));
    outcome = `${error.status}: ${error.message}`;
  }
  return { ms: performance.now() - started, outcome };
}

const part = (headers: string, content: string) => `--${BOUNDARY}\r\n${headers}\r\n\r\n${content}\r\n`;
const end = `--${BOUNDARY}--\r\n`;
const fileHead = 'Content-Disposition: form-data; name="f"; filename="f.bin"';

/** Parts with these headers, as many as fit in about `size` bytes. */
function manyParts(size: number, headers: string): string {
  const one = part(headers, "x");
  return one.repeat(Math.max(1, Math.floor(size / one.length))) + end;
}

/** Each shape, as a body of about `size` bytes. */
const SHAPES: Record<string, (size: number) => string> = {
  "many tiny parts": (size) => {
    const one = part('Content-Disposition: form-data; name="a"', "x");
    return one.repeat(Math.floor(size / one.length)) + end;
  },
  "boundary-like junk inside a file": (size) => {
    const junk = `\r\n--${BOUNDARY.slice(0, -1)}!`;
    return `--${BOUNDARY}\r\n${fileHead}\r\n\r\n${junk.repeat(Math.floor(size / junk.length))}\r\n${end}`;
  },
  "CR LF dashes inside a file": (size) => `--${BOUNDARY}\r\n${fileHead}\r\n\r\n${"\r\n-".repeat(size / 3)}\r\n${end}`,
  "a huge header line": (size) =>
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${"a".repeat(size)}"\r\n\r\nx\r\n${end}`,
  "a flood of header lines": (size) =>
    `--${BOUNDARY}\r\n${"X-A: b\r\n".repeat(size / 8)}${fileHead}\r\n\r\nx\r\n${end}`,
  "a preamble of dashes": (size) => `${"--".repeat(size / 2)}\r\n${part(fileHead, "x")}${end}`,
  // Headers stay under busboy's 16 KiB per part (over it is a 400 at once, as above), so the
  // parameter parsing itself runs on every part of the body.
  "Content-Dispositions of many parameters": (size) =>
    manyParts(size, `Content-Disposition: form-data; name="a"${"; x=y".repeat(2000)}`),
  "quoted names of escapes": (size) => manyParts(size, `Content-Disposition: form-data; name="${'\\"'.repeat(5000)}"`),
  "RFC 5987 filenames of percent-escapes": (size) =>
    manyParts(size, `Content-Disposition: form-data; name="f"; filename*=utf-8''${"%41".repeat(4000)}`),
  "header values of unclosed quotes": (size) =>
    manyParts(size, `Content-Disposition: form-data; name="a"; x="${";".repeat(12000)}`),
  "parts without a name": (size) => {
    const one = part("Content-Disposition: form-data", "x");
    return one.repeat(Math.floor(size / one.length)) + end;
  },
};

test("adversarial multipart bodies are parsed in linear time", { timeout: 120_000 }, async (t) => {
  for (const [name, shape] of Object.entries(SHAPES)) {
    const small = await timed(Buffer.from(shape(MIB), "latin1"));
    const large = await timed(Buffer.from(shape(4 * MIB), "latin1"));
    t.diagnostic(
      `${name}: 1 MiB ${small.ms.toFixed(0)} ms, 4 MiB ${large.ms.toFixed(0)} ms (${large.outcome.slice(0, 60)})`,
    );
    // Quadratic work would take 16 times as long for 4 times the bytes; the floor absorbs timer noise on fast cases.
    assert.ok(
      large.ms < 8 * Math.max(small.ms, 50),
      `${name}: 1 MiB took ${small.ms.toFixed(0)} ms, 4 MiB ${large.ms.toFixed(0)} ms`,
    );
    assert.ok(large.ms < 10_000, `${name}: 4 MiB took ${large.ms.toFixed(0)} ms`);
  }
});

test("a boundary over RFC 2046's 70 characters is refused before a byte is parsed", async () => {
  await assert.rejects(
    parseMultipart(request(new Uint8Array(0), "b".repeat(71)), resolveFormLimits(), {
      onField: () => {},
      onFile: async () => {},
    }),
    (error: unknown) => error instanceof HttpError && error.status === 400,
  );
});

test("a part's headers over 16 KiB are a 400 that says so", async () => {
  const { outcome } = await timed(Buffer.from(SHAPES["a huge header line"](64 * 1024), "latin1"));
  assert.equal(outcome, "400: Malformed multipart body: a part's headers are malformed or longer than 16 KiB");
});
