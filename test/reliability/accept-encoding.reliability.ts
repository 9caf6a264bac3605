// Accept-Encoding is untrusted input parsed on every request for a file with precompressed
// siblings. A frank server in its own process, its header limit raised to 4 MiB so that a whole
// 1 MiB adversarial header reaches the parser, must answer each such header well under a second
// with the sibling the header's last, decisive element asks for; and generated headers (bounded,
// from a fixed seed) must never get a coding the client did not accept.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, gzipSync } from "node:zlib";
import fc from "fast-check";
import { negotiateEncoding } from "../../src/http/negotiate.js";
import { createPublicFixture, type PublicFixture } from "./support/public-fixture.js";
import { startTargetServer, type TargetProcess } from "./support/target-process.js";
import { getRequest, rawExchange, type RawResponse } from "./support/raw-client.js";
import { recordResults } from "./support/results.js";

const SEED = Number(process.env.FRANK_FUZZ_SEED) || 20261126;
/** Generated headers; FRANK_FUZZ_CASES raises it. */
const CASES = Number(process.env.FRANK_FUZZ_CASES) || 250;
const MIB = 1024 * 1024;
const DEADLINE_MS = 1000;

const SIBLINGS: Record<string, Buffer> = {
  identity: Buffer.from("console.log('frank, as it is');\n".repeat(20)),
};
SIBLINGS.gzip = gzipSync(SIBLINGS.identity);
SIBLINGS.br = brotliCompressSync(SIBLINGS.identity);

let fixture: PublicFixture;
let server: TargetProcess;
const stats = {
  seed: SEED,
  largeHeaders: [] as { shape: string; bytes: number; firstByteMs: number; serverCpuMs: number }[],
  generatedHeaders: 0,
  chosen: {} as Record<string, number>,
};

before(async () => {
  fixture = createPublicFixture();
  for (const [coding, suffix] of [
    ["identity", ""],
    ["gzip", ".gz"],
    ["br", ".br"],
  ]) {
    writeFileSync(join(fixture.folder, "app.js" + suffix), SIBLINGS[coding]);
  }
  server = await startTargetServer(fixture.folder, { FRANK_MAX_HEADER_SIZE: String(4 * MIB) });
});
after(async () => {
  const exit = await server?.stop();
  fixture?.remove();
  recordResults("accept-encoding", { ...stats, exitCodeAfterSigterm: exit ?? null });
});

function assertSibling(response: RawResponse | undefined, coding: string, label: string): void {
  assert.ok(response, `${label}: no answer`);
  assert.equal(response.status, 200, label);
  assert.equal(response.headers["content-encoding"] ?? "identity", coding, label);
  assert.equal(response.headers.vary, "Accept-Encoding", label);
  assert.ok(response.body.equals(SIBLINGS[coding]), `${label}: the body is not the ${coding} sibling`);
}

test("1 MiB adversarial Accept-Encoding headers are answered well under a second, with the right sibling", async () => {
  const fill = (piece: string) => piece.repeat(Math.ceil(MIB / piece.length)).slice(0, MIB);
  // [shape, header, the coding its decisive part asks for]
  const shapes: [string, string, string][] = [
    ["commas", fill(",") + "gzip;q=0.5", "gzip"],
    ["semicolons", fill(";") + ",br;q=0.1", "br"],
    ["q= fragments", fill("q=") + ",gzip;q=0.5", "gzip"],
    ["';q=' after a coding", "br" + fill(";q=") + ",gzip;q=0.2", "gzip"],
    ["'gzip;q=0.' without commas", fill("gzip;q=0.") + ",br;q=0.3", "br"],
    ["spaces and tabs in a weight", "gzip;" + fill(" \t") + "q=0.5" + fill("\t ") + "x,br;q=0.01", "br"],
    ["one long token", fill("a") + ",gzip", "gzip"],
    ["many low q-values", fill("gzip;q=0.001,") + ",br;q=0.002", "br"],
    ["many refusals", fill("*;q=0,identity;q=0,") + ",gzip;q=0.9", "gzip"],
    ["many blank elements", fill(" ,\t,") + ",identity;q=0.5,gzip;q=0.4", "identity"],
  ];
  for (const [shape, header, coding] of shapes) {
    // The faster of two answers, so a busy machine does not fail a linear parser.
    let best = { firstByteMs: Number.POSITIVE_INFINITY, serverCpuMs: Number.POSITIVE_INFINITY };
    for (let attempt = 0; attempt < 2; attempt++) {
      const cpuBefore = server.cpuMs();
      const exchange = await rawExchange(server.port, [getRequest("/app.js", [`Accept-Encoding: ${header}`])], {
        expectResponses: 1,
        idleMs: 10_000,
      });
      assertSibling(exchange.responses[0], coding, shape);
      const serverCpuMs = server.cpuMs() - cpuBefore;
      if (exchange.firstByteMs < best.firstByteMs) best = { firstByteMs: exchange.firstByteMs, serverCpuMs };
    }
    stats.largeHeaders.push({
      shape,
      bytes: header.length,
      firstByteMs: Math.round(best.firstByteMs),
      serverCpuMs: best.serverCpuMs,
    });
    assert.ok(best.firstByteMs < DEADLINE_MS, `${shape}: answered after ${best.firstByteMs.toFixed(0)} ms`);
  }
  assert.equal(server.exitCode(), null, server.stderr());
  assert.deepEqual(server.unhandled(), [], server.stderr());
});

test("generated Accept-Encoding headers never get a coding the client did not accept", async () => {
  const fragment = fc.constantFrom(
    "gzip",
    "GZIP",
    "x-gzip",
    "br",
    "Br",
    "identity",
    "*",
    "zstd",
    "deflate",
    ",",
    ", ",
    ";",
    "; ",
    "q=",
    "Q=",
    "q",
    "=",
    "0",
    "1",
    ".",
    "0.5",
    "0.001",
    "1.000",
    "2",
    "-",
    " ",
    "\t",
    '"',
    "a",
  );
  // Well-formed-looking elements with valid and broken weights, and a soup of fragments.
  const coding = fc.constantFrom("gzip", "GZIP", "x-gzip", "br", "Br", "identity", "*", "zstd", "deflate", "");
  const weight = fc.constantFrom(
    "",
    ";q=0",
    ";q=0.5",
    ";q=1",
    ";q=0.001",
    "; Q=0.9",
    ";q = 0.3",
    ";q=1.000",
    ";q=2",
    ";q=abc",
    ";q=",
    ";q=1.0001",
    ";q=0.5;x=1",
  );
  const space = fc.constantFrom("", " ", "\t", "  ");
  const element = fc.tuple(space, coding, space, weight, space).map((parts) => parts.join(""));
  const header = fc.oneof(
    fc.array(element, { minLength: 1, maxLength: 6 }).map((elements) => elements.join(",")),
    fc.array(fragment, { maxLength: 24 }).map((pieces) => pieces.join("")),
  );
  const headers = fc.sample(
    header.map((value) => value.trim()),
    { seed: SEED, numRuns: CASES },
  );
  const BATCH = 50;
  for (let start = 0; start < headers.length; start += BATCH) {
    const batch = headers.slice(start, start + BATCH);
    const requests = batch.map((header) => getRequest("/app.js", [`Accept-Encoding: ${header}`], false)).join("");
    const exchange = await rawExchange(server.port, [requests], { expectResponses: batch.length, idleMs: 5000 });
    assert.equal(exchange.responses.length, batch.length, `a pipelined batch went unanswered (seed ${SEED})`);
    batch.forEach((header, i) => {
      const response = exchange.responses[i];
      const coding = response.headers["content-encoding"] ?? "identity";
      const label = `Accept-Encoding: ${JSON.stringify(header)} (seed ${SEED})`;
      if (coding !== "identity") {
        const named = header.toLowerCase().includes(coding) || header.includes("*");
        assert.ok(named, `${label} got ${coding}, which it never named`);
      }
      // The server agrees with the shared rule, and sends the file itself when nothing is acceptable.
      assert.equal(coding, negotiateEncoding(header, ["br", "gzip", "identity"]) ?? "identity", label);
      assertSibling(response, coding, label);
      stats.chosen[coding] = (stats.chosen[coding] ?? 0) + 1;
    });
    stats.generatedHeaders += batch.length;
  }
  assert.deepEqual(server.unhandled(), [], server.stderr());
});
