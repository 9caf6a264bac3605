/**
 * `c.logger`: log lines that carry their request (method, path, request id), in the access
 * log's format: readable in development, JSON lines elsewhere. JSON lines carry the request id
 * and trace ids under the access log's names, so one query finds a request's every line. Sinatra's `logger` is the
 * request's `rack.logger`; this is the same idea without a global.
 */
import { splitRequestUrl } from "../http/request-path.js";
import { writeToStdout } from "../middleware/access-log.js";
import { requestLogFields } from "../middleware/log-fields.js";

export type LogLevel = "debug" | "info" | "warn" | "error";

export interface LoggingOptions {
  /** The lowest level written. Default "info". */
  level?: LogLevel;
  /** Default: `dev` in development, else `json`. */
  format?: "dev" | "json";
  /** Receives each line without its newline. Default: stdout, batched like the access log. */
  write?: (line: string) => void;
}

/** The `logging` setting: false (nothing), true ("info"), a level, or options. */
export type LoggingSetting = boolean | LogLevel | LoggingOptions;

export interface RequestLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };
const LEVELS = Object.keys(RANK) as LogLevel[];

const silent: RequestLogger = { debug() {}, info() {}, warn() {}, error() {} };

export function resolveLogging(
  setting: LoggingSetting | undefined,
  environment: string,
): Required<LoggingOptions> | undefined {
  const value = setting ?? environment !== "test";
  if (value === false) return undefined;
  const options: LoggingOptions = value === true ? {} : typeof value === "string" ? { level: value } : value;
  if (options.level !== undefined && !(options.level in RANK)) {
    throw new TypeError(`logging: unknown level "${options.level}" (use ${LEVELS.join(", ")})`);
  }
  return {
    level: options.level ?? "info",
    format: options.format ?? (environment === "development" ? "dev" : "json"),
    write: options.write ?? writeToStdout,
  };
}

export function requestLogger(req: Request, options: Required<LoggingOptions> | undefined): RequestLogger {
  if (options === undefined) return silent;
  const log = (level: LogLevel) => (message: string, fields?: Record<string, unknown>) => {
    if (RANK[level] < RANK[options.level]) return;
    const path = splitRequestUrl(req.url).path;
    const ids = requestLogFields(req);
    if (options.format === "json") {
      options.write(
        JSON.stringify({
          time: new Date().toISOString(),
          level,
          method: req.method,
          path,
          ...ids,
          message,
          ...fields,
        }),
      );
      return;
    }
    const extra = fields ? ` ${JSON.stringify(fields)}` : "";
    options.write(
      `${level.padEnd(5)} ${req.method} ${path}${ids.request_id ? ` (request ${ids.request_id})` : ""}: ${message}${extra}`,
    );
  };
  return { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") };
}
