import { performance } from "node:perf_hooks"; // not the global getter (see exchange-end.ts)
import { environmentFromProcess } from "../http/environment.js";
import type { Middleware } from "../http/types.js";
import { requestPath, splitRequestUrl } from "../http/request-path.js";
import { statusOf } from "../http/error-status.js";
import { serverReportsSent, whenResponseSent } from "../http/response-sent.js";
import { traceIdsOf } from "../http/trace-ids.js";
import { writeLineToStdout } from "./log-output.js";
import { getRequestId, requestId, type RequestIdOptions } from "./request-id.js";

/** `dev`: one readable line per request. `json`: one JSON object per line, for log collectors. */
export type LogFormat = "dev" | "json";

export interface LogOptions {
  /** Default: `dev` when APP_ENV is development, else `json`. */
  format?: LogFormat;
  /** Receives each line without its newline. Default: stdout, in batches (see log-output.ts). */
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

/** The default output: stdout, in batches, nothing lost at exit (see log-output.ts). */
export const writeToStdout: (line: string) => void = writeLineToStdout;

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

// The time of day as toISOString() writes it, which costs as much as the rest of a line:
// the part up to the second changes once a second, so it is kept.
let isoSecond = Number.NaN;
let isoPrefix = "";

/** `time` (ms since the epoch, whole) as `2026-01-02T03:04:05.678Z`, exactly like Date#toISOString. */
export function isoTime(time: number): string {
  const second = Math.floor(time / 1000);
  if (second !== isoSecond) {
    isoSecond = second;
    isoPrefix = new Date(second * 1000).toISOString().slice(0, -4); // up to and with the "."
  }
  const ms = time - second * 1000;
  return `${isoPrefix}${ms < 10 ? "00" : ms < 100 ? "0" : ""}${ms}Z`;
}

/** Strings JSON.stringify writes as they are: no control characters, quotes, backslashes or surrogates. */
const JSON_SAFE = /^[\u0020\u0021\u0023-\u005b\u005d-\ud7ff\ue000-\uffff]*$/;

/** A string as JSON writes it; most need no escapes, and are quoted without a call to JSON.stringify. */
function jsonString(value: string): string {
  return JSON_SAFE.test(value) ? `"${value}"` : JSON.stringify(value);
}

/** A number as JSON writes it (NaN and the infinities are null). */
function jsonNumber(value: number): string {
  return Number.isFinite(value) ? String(value) : "null";
}

/**
 * ".001" to ".999" as String() writes the fraction of a number of whole microseconds in
 * milliseconds (".5", not ".500"); "" for none. Formatting a double costs several times an
 * integer's, and the duration is on every line. Made with the first line (0.7 ms), not at start.
 */
let millisecondFractions: string[] | undefined;

function fractionsTable(): string[] {
  return Array.from({ length: 1000 }, (_, micros) =>
    micros === 0 ? "" : `.${String(micros).padStart(3, "0").replace(/0+$/, "")}`,
  );
}

/** `ms` rounded to the microsecond, written as JSON.stringify writes that number. */
function jsonMilliseconds(ms: number): string {
  const micros = Math.round(ms * 1000);
  if (!(micros >= 0 && micros <= 0x7fffffff)) return jsonNumber(micros / 1000);
  const whole = Math.floor(micros / 1000);
  millisecondFractions ??= fractionsTable();
  return `${whole}${millisecondFractions[micros - whole * 1000]}`;
}

/**
 * One JSON object: time, level, method, path, status, duration_ms, bytes, remote_addr,
 * user_agent, request_id, trace_id, span_id, aborted — absent fields left out, as JSON.stringify of the entry
 * would. Built as a string: the same text as JSON.stringify, without the object it needs.
 * `time` is milliseconds since the epoch (default now).
 */
export function formatJsonLine(entry: AccessEntry, time: number | Date = Date.now()): string {
  const when = typeof time === "number" ? time : time.getTime();
  const { method, path, remoteAddress, userAgent, requestId, traceId, spanId } = entry;
  let line = `{"time":"${isoTime(when)}","level":"${entry.status >= 500 ? "error" : "info"}","method":${jsonString(method)},"path":${jsonString(path)},"status":${entry.status},"duration_ms":${jsonMilliseconds(entry.durationMs)},"bytes":${entry.bytes}`;
  if (remoteAddress !== undefined) line += `,"remote_addr":${jsonString(remoteAddress)}`;
  if (userAgent !== undefined) line += `,"user_agent":${jsonString(userAgent)}`;
  if (requestId !== undefined) line += `,"request_id":${jsonString(requestId)}`;
  if (traceId !== undefined) line += `,"trace_id":${jsonString(traceId)}`;
  if (spanId !== undefined) line += `,"span_id":${jsonString(spanId)}`;
  if (entry.aborted) line += `,"aborted":true`;
  return `${line}}`;
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
      path: requestPath(req.url),
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
    write(format === "json" ? formatJsonLine(entry) : formatDevLine(entry, color));
  };

  /** The response as the client gets it; its line is written once it has been sent (or abandoned). */
  const track = (req: Request, response: Response, started: number): Response => {
    const status = response.status;
    // `sent` differs from the Response's status for a WebSocket upgrade (101, logged at its close).
    const finish = (bytes: number, aborted: boolean, sent = status) => logLine(req, sent, started, bytes, aborted);
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

  // The server answers a thrown error itself, with the status the shared rule gives it: log that.
  const failed = (req: Request, started: number, error: unknown): never => {
    logLine(req, statusOf(error), started, 0, false);
    throw error;
  };

  return (next) => {
    const inner = withId(next);
    // Synchronous while the app is: no promise and no microtask turn per request.
    return (req) => {
      const started = performance.now();
      let result: Response | Promise<Response>;
      try {
        result = inner(req);
      } catch (error) {
        return failed(req, started, error);
      }
      if (result instanceof Promise) {
        return result.then(
          (response) => track(req, response, started),
          (error) => failed(req, started, error),
        );
      }
      return track(req, result, started);
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
