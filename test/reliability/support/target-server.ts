// The server under attack: a frank App with routes of every kind, a public folder, sessions,
// errors and streams, started with serve() in a process of its own, so that a crash shows as
// an exit the test sees instead of taking the test down with it.
//
// Started by startTargetServer (target-process.ts). Reads FRANK_RELIABILITY_FOLDER; prints
// one line `READY <url>` on stdout once listening. Every unhandled rejection is written to
// stderr as a line starting with UNHANDLED_MARKER; an uncaught exception also exits with 70.
import { subscribe } from "node:diagnostics_channel";
import { maxHeaderSize, type Server } from "node:http";
import { App } from "../../../src/index.js";
import { serve } from "../../../src/server/serve.js";
import { UNHANDLED_MARKER } from "./markers.js";

process.on("unhandledRejection", (reason) => {
  process.stderr.write(
    `${UNHANDLED_MARKER} unhandledRejection: ${reason instanceof Error ? reason.stack : String(reason)}\n`,
  );
});
process.on("uncaughtException", (error) => {
  process.stderr.write(`${UNHANDLED_MARKER} uncaughtException: ${error.stack ?? String(error)}\n`);
  process.exit(70);
});

const folder = process.env.FRANK_RELIABILITY_FOLDER;
if (!folder) throw new Error("FRANK_RELIABILITY_FOLDER must name the public folder");

// serve() does not hand out its node:http server; the request channel does, so the timeouts
// actually in force can be reported (they are the lifecycle issue's to set).
let server: Server | undefined;
subscribe("http.server.request.start", (message) => {
  server ??= (message as { server: Server }).server;
});

let errorsLogged = 0;
const app = new App();
app.set({
  environment: "production",
  publicFolder: folder,
  uploadDir: process.env.FRANK_RELIABILITY_UPLOADS,
  dumpErrors: false,
  sessions: { secret: "reliability-secret-reliability-secret-0123456789" },
});
app.get("/health", () => "ok");
app.get("/hello/:name", (c) => `Hello ${c.params.name}`);
app.get("/files/*", (c) => c.json({ splat: c.params.splat }));
app.get("/query", (c) => c.json(c.query));
app.get("/session", (c) => {
  const visits = (typeof c.session.visits === "number" ? c.session.visits : 0) + 1;
  c.session.visits = visits;
  return c.json({ visits });
});
app.post("/echo", async (c) => c.json({ bytes: (await c.body()).byteLength }));
app.post("/json", async (c) => c.json({ received: await c.json() }));
app.get("/boom", () => {
  throw new Error("a route that fails, on purpose");
});
app.get("/teapot", (c) => c.halt(418, "short and stout"));
app.get("/etag", (c) => {
  c.etag("v1");
  c.lastModified(new Date("2024-01-01T00:00:00Z"));
  return "tagged";
});
/**
 * Forms of up to 8 MiB with part and field counts high enough that only the shape of a hostile
 * body matters. c.form() keeps its default of 20 files: each file is a file on disk.
 */
const HOSTILE_FORM_LIMITS = { maxParts: 1_000_000, maxFields: 1_000_000 };
app.post("/form", { maxBodySize: "8mb" }, async (c) =>
  c.json({ fields: Object.keys(await c.form(HOSTILE_FORM_LIMITS)).length }),
);
app.post("/parts", { maxBodySize: "8mb" }, async (c) => {
  let parts = 0;
  for await (const part of c.parts({ ...HOSTILE_FORM_LIMITS, maxFiles: 1_000_000 })) {
    parts++;
    if (part.kind === "file") await part.stream.cancel();
  }
  return c.json({ parts });
});
/** 4 MiB in 64 KiB chunks, for clients that go away in the middle of it. */
app.get("/stream", (c) =>
  c.stream(async (out) => {
    const chunk = "x".repeat(64 * 1024);
    for (let i = 0; i < 64; i++) await out.write(chunk);
  }),
);
/** A full collection first (the process runs with --expose-gc), so the soak compares retained memory, not garbage. */
app.get("/memory", (c) => {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  return c.json({
    collected: gc !== undefined,
    rssKib: Math.round(rss / 1024),
    heapUsedKib: Math.round(heapUsed / 1024),
  });
});
app.get("/server-settings", (c) =>
  c.json({
    headersTimeout: server?.headersTimeout ?? null,
    requestTimeout: server?.requestTimeout ?? null,
    keepAliveTimeout: server?.keepAliveTimeout ?? null,
    timeout: server?.timeout ?? null,
    maxHeadersCount: server?.maxHeadersCount ?? null,
    // set per server through createServer({ maxHeaderSize }), else the process-wide default
    maxHeaderSize: (server as { maxHeaderSize?: number } | undefined)?.maxHeaderSize ?? maxHeaderSize,
    maxRequestsPerSocket: server?.maxRequestsPerSocket ?? null,
    errorsLogged,
  }),
);

const running = await serve(app, {
  port: 0,
  host: "127.0.0.1",
  quiet: true,
  handleSignals: true,
  // Response bodies that fail after the headers went out land here; count them, do not flood stderr.
  onError: () => {
    errorsLogged++;
  },
});
process.stdout.write(`READY ${running.localUrl}\n`);
