// Slow clients against a frank server in its own process: requests trickled byte by byte are
// still served, and a slowloris crowd (connections that send their headers a byte at a time,
// uploads that crawl, readers that never read) does not starve anyone else: well-formed
// requests on fresh connections keep answering promptly throughout. The header and request
// timeouts in force are recorded with how many of the crowd's connections outlived the attack:
// Node checks headersTimeout only every 30 s, so cutting them is not something a test of this
// length can wait for.
import { test } from "node:test";
import assert from "node:assert/strict";
import { connect, type Socket } from "node:net";
import { useSharedTarget } from "./support/shared-target.js";
import { getRequest, rawExchange } from "./support/raw-client.js";
import { recordResults } from "./support/results.js";

const SLOW_HEADER_CLIENTS = 400;
const SLOW_BODY_CLIENTS = 100;
const NON_READING_CLIENTS = 50;
const ATTACK_MS = 20_000;
const PROBE_EVERY_MS = 100;
/** A well-formed request during the attack must answer within this; typical is a few ms. */
const PROMPT_MS = 1000;

const results: Record<string, unknown> = {};

const target = useSharedTarget((code) => recordResults("slow-clients", { ...results, exitCodeAfterSigterm: code }));

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

test("a request whose headers arrive one byte at a time is served", async () => {
  const request = getRequest("/hello/slow");
  const exchange = await rawExchange(
    target.server.port,
    [...request].map((char) => char),
    { pauseMs: 5, expectResponses: 1 },
  );
  assert.equal(exchange.responses[0]?.status, 200);
  assert.equal(exchange.responses[0]?.body.toString(), "Hello slow");
});

test("a body that arrives one byte at a time is read whole", async () => {
  const body = "b".repeat(300);
  const head = `POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
  const exchange = await rawExchange(target.server.port, [head, ...body], { pauseMs: 3, expectResponses: 1 });
  assert.equal(exchange.responses[0]?.status, 200);
  assert.deepEqual(JSON.parse(exchange.responses[0]!.body.toString()), { bytes: 300 });
});

interface Attacker {
  socket: Socket;
  closedAt: number | undefined;
}

/** Opens one connection that keeps sending `drip` every second, never finishing its request. */
function attacker(opening: string, drip: string, attackers: Attacker[]): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(target.server.port, "127.0.0.1");
    const entry: Attacker = { socket, closedAt: undefined };
    attackers.push(entry);
    socket.on("error", () => {});
    socket.on("close", () => {
      entry.closedAt ??= performance.now();
      clearInterval(timer);
    });
    const timer = setInterval(() => {
      if (!socket.destroyed) socket.write(drip);
    }, 1000);
    socket.once("connect", () => socket.write(opening, () => resolve()));
  });
}

/** Opens one connection that asks for a large response and never reads it. */
function nonReader(path: string, attackers: Attacker[]): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(target.server.port, "127.0.0.1");
    const entry: Attacker = { socket, closedAt: undefined };
    attackers.push(entry);
    socket.on("error", () => {});
    socket.on("close", () => (entry.closedAt ??= performance.now()));
    socket.once("connect", () => {
      socket.pause();
      socket.write(getRequest(path, [], false), () => resolve());
    });
  });
}

test("a slowloris crowd does not starve well-formed requests", async () => {
  const settings = JSON.parse(
    (
      await rawExchange(target.server.port, [getRequest("/server-settings")], { expectResponses: 1 })
    ).responses[0].body.toString(),
  );
  results.serverSettings = settings;
  const rssBefore = target.server.rssKib();
  const fdsBefore = target.server.openFds();

  const attackers: Attacker[] = [];
  const openings: Promise<void>[] = [];
  for (let i = 0; i < SLOW_HEADER_CLIENTS; i++)
    openings.push(
      attacker(`GET /hello/${i} HTTP/1.1\r\nHost: x\r\n`, "X-Drip: 1\r\n".slice(0, 1 + (i % 3)), attackers),
    );
  for (let i = 0; i < SLOW_BODY_CLIENTS; i++)
    openings.push(attacker("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n", "z", attackers));
  for (let i = 0; i < NON_READING_CLIENTS; i++)
    openings.push(nonReader(i % 2 === 0 ? "/stream" : "/big.bin", attackers));
  const startedAt = performance.now();
  await Promise.all(openings);

  // While the crowd holds its connections, a well-formed client keeps asking.
  const latencies: number[] = [];
  const failures: string[] = [];
  let peakFds = 0;
  let peakRss = 0;
  while (performance.now() - startedAt < ATTACK_MS) {
    const path = latencies.length % 2 === 0 ? "/health" : "/hello.txt";
    const begun = performance.now();
    const exchange = await rawExchange(target.server.port, [getRequest(path)], {
      expectResponses: 1,
      idleMs: PROMPT_MS * 3,
    });
    const ms = performance.now() - begun;
    latencies.push(ms);
    if (exchange.responses[0]?.status !== 200)
      failures.push(`${path}: ${exchange.responses[0]?.status ?? "no answer"} after ${ms.toFixed(0)} ms`);
    peakFds = Math.max(peakFds, target.server.openFds());
    peakRss = Math.max(peakRss, target.server.rssKib());
    await new Promise((resolve) => setTimeout(resolve, PROBE_EVERY_MS));
  }

  const stillOpen = attackers.filter((entry) => entry.closedAt === undefined).length;
  for (const entry of attackers) entry.socket.destroy();
  const sorted = [...latencies].sort((a, b) => a - b);
  Object.assign(results, {
    attackers: attackers.length,
    attackMs: ATTACK_MS,
    attackersStillOpenAtEnd: stillOpen,
    wellFormedRequests: latencies.length,
    wellFormedFailures: failures.length,
    latencyMs: {
      p50: +percentile(sorted, 50).toFixed(1),
      p99: +percentile(sorted, 99).toFixed(1),
      max: +sorted[sorted.length - 1].toFixed(1),
    },
    rssKib: { before: rssBefore, peak: peakRss },
    openFds: { before: fdsBefore, peak: peakFds },
  });

  assert.deepEqual(failures, []);
  assert.ok(target.server.exitCode() === null, target.server.stderr());
  assert.ok(
    sorted[sorted.length - 1] < PROMPT_MS,
    `slowest well-formed request: ${sorted[sorted.length - 1].toFixed(0)} ms`,
  );

  // Once the crowd is gone, its sockets are gone from the server too.
  const deadline = Date.now() + 5000;
  while (target.server.openFds() > fdsBefore + 2 && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 100));
  results.openFdsAfter = target.server.openFds();
  assert.ok(
    target.server.openFds() <= fdsBefore + 2,
    `open descriptors: ${fdsBefore} before, ${target.server.openFds()} after`,
  );
  assert.deepEqual(target.server.unhandled(), [], target.server.stderr());
});
