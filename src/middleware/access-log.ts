import { writeSync } from "node:fs";
import { environmentFromProcess } from "../http/environment.js";
import type { Middleware } from "../http/types.js";
import { splitRequestUrl } from "../http/request-path.js";
import { HttpError } from "../http/http-error.js";
import { serverReportsSent, whenResponseSent } from "../http/response-sent.js";
import { traceIdsOf } from "../http/trace-ids.js";
import { getRequestId, requestId, type RequestIdOptions } from "./request-id.js";

/** `dev`: one readable line per request. `json`: one JSON object per line, for log collectors. */
export type LogFormat = "dev" | "json";

export interface LogOptions {
  /** Default: `dev` when APP_ENV is development, else `json`. */
  format?: LogFormat;
  /** Receives each line without its newline. Default: stdout, buffered within one turn of the event loop. */
  write?: (line: string) => void;
  /** ANSI colours in `dev` lines. Default: when stdout is a terminal. */
  color?: boolean;
}

export interface AccessLogOptions extends LogOptions {
  /** The client's address (the server layer knows the socket; a Web Request does not). */
  remoteAddress?: (req: Request) => string | undefined;
  /** Where the request id is read from and echoed to. Default `X-Request-Id`. */
  requestId?: RequestIdOptions;
}

/** One finished request, as both formats see it. */
export interface AccessEntry {
  method: string;
  path: string;
  status: number;
  durationMs: number;
  bytes: number;
  /** True when the client went away or the body failed before the response was complete. */
  aborted: boolean;
  remoteAddress?: string;
  userAgent?: string;
  requestId?: string;
  /** The trace the request belongs to (a tracer's span, else the incoming `traceparent`). */
  traceId?: string;
  /** The request's own span, when a tracer made one. */
  spanId?: string;
}

function defaultFormat(): LogFormat {
  return environmentFromProcess() === "development" ? "dev" : "json";
}

// ---- output ---------------------------------------------------------------------------------

let pending = "";
let flushTimer: NodeJS.Timeout | undefined;

/** Bytes collected before they are written at once; under load, one write serves many requests. */
const FLUSH_BYTES = 32 * 1024;
/** How long a line may wait when traffic is light. */
const FLUSH_AFTER_MS = 100;

function flushStdout(): void {
  if (flushTimer !== undefined) clearTimeout(flushTimer);
  flushTimer = undefined;
  if (pending === "") return;
  const chunk = pending;
  pending = "";
  process.stdout.write(chunk);
}

/**
 * Lines are collected and written in batches: at 32 KiB or after 100 ms, whichever comes
 * first. A write per request (a system call, synchronous for pipes and files) costs more than
 * the rest of a small request's logging together. Whatever is still pending when the process
 * exits is written synchronously.
 */
export function writeToStdout(line: string): void {
  pending += line + "\n";
  if (pending.length >= FLUSH_BYTES) flushStdout();
  else if (flushTimer === undefined) flushTimer = setTimeout(flushStdout, FLUSH_AFTER_MS).unref();
}

process.once("exit", () => {
  if (pending === "") return;
  try {
    writeSync(1, pending);
  } catch {
    // stdout is gone; nothing left to tell
  }
  pending = "";
});

// ---- formatting -----------------------------------------------------------------------------

const COLORS = {
  reset: "\x1b[0m",
  dim: "\x1b[2m",
  red: "\x1b[31m",
  green: "\x1b[32m",
  yellow: "\x1b[33m",
  cyan: "\x1b[36m",
};

function statusColor(status: number): string {
  if (status >= 500) return COLORS.red;
  if (status >= 400) return COLORS.yellow;
  if (status >= 300) return COLORS.cyan;
  return COLORS.green;
}

function formatDuration(ms: number): string {
  return ms < 10 ? `${ms.toFixed(2)} ms` : ms < 1000 ? `${ms.toFixed(1)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

function formatBytes(bytes: number): string {
  return bytes < 1024
    ? `${bytes} B`
    : bytes < 1024 * 1024
      ? `${(bytes / 1024).toFixed(1)} KiB`
      : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** `GET /hello 200 1.23 ms 13 B`, the status coloured by class when `color` is set. */
export function formatDevLine(entry: AccessEntry, color: boolean): string {
  const status = color ? `${statusColor(entry.status)}${entry.status}${COLORS.reset}` : String(entry.status);
  const rest = `${formatDuration(entry.durationMs)} ${formatBytes(entry.bytes)}${entry.aborted ? " (aborted)" : ""}`;
  return `${entry.method} ${entry.path} ${status} ${color ? COLORS.dim + rest + COLORS.reset : rest}`;
}

/** One JSON object: time, level, method, path, status, duration_ms, bytes, remote_addr, user_agent, request_id, trace_id, span_id. */
export function formatJsonLine(entry: AccessEntry, time: Date): string {
  return JSON.stringify({
    time: time.toISOString(),
    level: entry.status >= 500 ? "error" : "info",
    method: entry.method,
    path: entry.path,
    status: entry.status,
    duration_ms: Math.round(entry.durationMs * 1000) / 1000,
    bytes: entry.bytes,
    remote_addr: entry.remoteAddress,
    user_agent: entry.userAgent,
    request_id: entry.requestId,
    trace_id: entry.traceId,
    span_id: entry.spanId,
    aborted: entry.aborted || undefined,
  });
}

// ---- the middleware -------------------------------------------------------------------------

/**
 * The body passed on chunk by chunk while its bytes are counted; `done` is called once, when
 * the body has been sent or the client went away.
 */
function countedBody(
  body: ReadableStream<Uint8Array>,
  done: (bytes: number, aborted: boolean) => void,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let bytes = 0;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await reader.read();
        } catch (error) {
          done(bytes, true);
          controller.error(error);
          return;
        }
        if (chunk.done) {
          controller.close();
          done(bytes, false);
          return;
        }
        bytes += chunk.value.byteLength;
        controller.enqueue(chunk.value);
      },
      cancel(reason) {
        done(bytes, true);
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

/**
 * The access log: one line per request once its response has been sent (or abandoned), with
 * the request id from `X-Request-Id` (or a new one) echoed in the response.
 * Use it as the outermost middleware so the time covers everything the app does.
 * Under frank's server the line is written when the server reports the response sent; under
 * any other server the body is passed through a counting stream to learn the same.
 */
export function accessLog(options: AccessLogOptions = {}): Middleware {
  const format = options.format ?? defaultFormat();
  const write = options.write ?? writeToStdout;
  const color = format === "dev" && (options.color ?? process.stdout.isTTY === true);
  const remoteAddress = options.remoteAddress;
  const withId = requestId(options.requestId);

  const logLine = (req: Request, status: number, started: number, bytes: number, aborted: boolean) => {
    const trace = traceIdsOf(req);
    const entry: AccessEntry = {
      method: req.method,
      path: splitRequestUrl(req.url).path,
      status,
      durationMs: performance.now() - started,
      bytes,
      aborted,
      remoteAddress: remoteAddress?.(req),
      userAgent: req.headers.get("user-agent") ?? undefined,
      requestId: getRequestId(req),
      traceId: trace?.traceId,
      spanId: trace?.spanId,
    };
    write(format === "json" ? formatJsonLine(entry, new Date()) : formatDevLine(entry, color));
  };

  return (next) => {
    const inner = withId(next);
    return async (req) => {
      const started = performance.now();
      let response: Response;
      try {
        response = await inner(req);
      } catch (error) {
        // The server answers a thrown error itself (HttpError's status, else 500): log that.
        logLine(req, error instanceof HttpError ? error.status : 500, started, 0, false);
        throw error;
      }
      const status = response.status;
      const finish = (bytes: number, aborted: boolean) => logLine(req, status, started, bytes, aborted);

      if (serverReportsSent(req)) {
        whenResponseSent(response, finish);
        return response;
      }
      const body = response.body;
      if (body === null || req.method === "HEAD") {
        finish(0, false);
        return response;
      }
      return new Response(countedBody(body, finish), {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    };
  };
}

// ---- errors ---------------------------------------------------------------------------------

/**
 * Logs an error with its stack (and the request it broke, when there is one): a readable
 * block in `dev`, one JSON object per error in `json`. Default output: stderr, unbuffered.
 */
export function errorLog(options: LogOptions = {}): (error: unknown, req?: Request) => void {
  const format = options.format ?? defaultFormat();
  const write = options.write ?? ((line: string) => process.stderr.write(line + "\n"));
  const color = format === "dev" && (options.color ?? process.stderr.isTTY === true);
  return (error, req) => {
    const stack = error instanceof Error ? (error.stack ?? String(error)) : String(error);
    const path = req ? splitRequestUrl(req.url).path : undefined;
    const id = req ? getRequestId(req) : undefined;
    const trace = req ? traceIdsOf(req) : undefined;
    if (format === "json") {
      write(
        JSON.stringify({
          time: new Date().toISOString(),
          level: "error",
          method: req?.method,
          path,
          request_id: id,
          trace_id: trace?.traceId,
          span_id: trace?.spanId,
          message: error instanceof Error ? error.message : String(error),
          stack,
        }),
      );
      return;
    }
    const where = req ? ` in ${req.method} ${path}${id ? ` (request ${id})` : ""}` : "";
    const heading = `error${where}:`;
    write(`${color ? COLORS.red + heading + COLORS.reset : heading} ${stack}`);
  };
}
