import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { LISTEN_HINT_VARIABLE } from "../http/listen-hint.js";
import { environmentFromProcess } from "../http/environment.js";
import type { CookieSessionOptions } from "../middleware/cookie-session.js";
import type { OpenApiSettings } from "./openapi.js";
import type { LoggingSetting } from "./request-logger.js";
import type { TrustProxy } from "./trusted-proxy.js";
import type { FormLimits } from "../http/form-limits.js";

/** What `app.set("sessions", { … })` takes: the cookie session's options. */
export type SessionSettings = Omit<CookieSessionOptions, "environment">;

/** The settings frank itself reads; apps may set any other name too (Sinatra's `set`). */
export interface KnownSettings {
  environment: string;
  /** Folder that relative paths are resolved against; the launcher sets it to the app file's folder. */
  root: string | undefined;
  /** Static files folder; default `<root>/public`; `false` turns static serving off. */
  publicFolder: string | false | undefined;
  /** Serve static files; default: when the public folder exists. */
  static: boolean | undefined;
  /** Serve index.html for a directory (off, as in Sinatra). */
  staticIndex: boolean;
  staticCacheControl: string | undefined;
  staticHeaders: Record<string, string> | undefined;
  /** Templates folder for c.render(); default `<root>/views`. */
  views: string | undefined;
  /** When false, a trailing slash is optional in routes. */
  strictPaths: boolean;
  /** Location headers are absolute URLs built from the request's host. */
  absoluteRedirects: boolean;
  /** `redirect("/x")` in a mounted app goes to "<mount path>/x" (Sinatra's default: off; `c.to("/x")` always does). */
  prefixedRedirects: boolean;
  /**
   * Believe X-Forwarded-For/-Host/-Proto: false (default), true (from proxies on loopback and
   * private addresses, Rack's rule), or a list of proxy addresses and CIDR ranges.
   */
  trustProxy: TrustProxy;
  /** Content type of string results. */
  defaultContentType: string;
  /** Development error and 404 pages; default: in development. */
  showExceptions: boolean | undefined;
  /** Log the stack of 500s; default: except in test. */
  dumpErrors: boolean | undefined;
  /** Cookie sessions: `true`, or the session middleware's options (the App supplies the environment). */
  sessions: boolean | SessionSettings;
  /** The session secret (else SESSION_SECRET; in development, one kept per app folder). */
  sessionSecret: string | readonly string[] | undefined;
  /** A POST form's `_method` field (or X-HTTP-Method-Override) picks PUT, PATCH or DELETE routes. */
  methodOverride: boolean;
  /** `c.logger`: false, true ("info"), a level, or `{ level, format, write }`. Default: on, except in test. */
  logging: LoggingSetting | undefined;
  /**
   * The DNS-rebinding guard (403 "Host not permitted" for unknown Host headers). Default: on
   * only in development while the server listens on loopback only; never behind an Ingress.
   * `true`, `false`, or `{ allowedHosts }` to decide yourself.
   */
  hostAuthorization: boolean | { allowedHosts?: Array<string | RegExp> } | undefined;
  /**
   * Answer 405 with `Allow` when the path matches routes of other methods only, and OPTIONS with
   * 204 and `Allow` (off: Sinatra's 404 with X-Cascade, the default).
   */
  methodNotAllowed: boolean;
  /** Info, servers and a JSON Schema hook for `app.openapi()` and `frank openapi`. */
  openapi: OpenApiSettings | undefined;
  /** The limits of `c.form()` and `c.parts()` (a route may pass its own); see FormLimits. */
  formLimits: FormLimits | undefined;
  /** Where uploaded files are written while a request runs; default: the system's temporary folder. */
  uploadDir: string | undefined;
  /** Largest WebSocket message (bytes or "64kb"); a bigger one closes the socket with 1009. Default 1 MiB. */
  wsMaxMessageSize: number | string;
  /** Seconds between pings on a WebSocket; a peer that missed the last one is dropped. 0 turns pings off. Default 30. */
  wsPingInterval: number;
  /** Launcher hints, used only when no flag or variable decides (docs/architecture.md, "Rules the launcher keeps"). */
  port: number | undefined;
  bind: string | undefined;
}

export type Settings = KnownSettings & { [name: string]: unknown };

export function defaultSettings(environment = environmentFromProcess()): Settings {
  return {
    environment,
    root: undefined,
    publicFolder: undefined,
    static: undefined,
    staticIndex: false,
    staticCacheControl: undefined,
    staticHeaders: undefined,
    views: undefined,
    strictPaths: true,
    absoluteRedirects: true,
    prefixedRedirects: false,
    trustProxy: false,
    defaultContentType: "text/html;charset=utf-8",
    showExceptions: undefined,
    dumpErrors: undefined,
    sessions: false,
    sessionSecret: undefined,
    methodOverride: false,
    logging: undefined,
    hostAuthorization: undefined,
    methodNotAllowed: false,
    openapi: undefined,
    formLimits: undefined,
    uploadDir: undefined,
    wsMaxMessageSize: 1024 * 1024,
    wsPingInterval: 30,
    port: undefined,
    bind: undefined,
  };
}

export function rootOf(settings: Settings): string {
  return resolve(settings.root ?? process.cwd());
}

/** The public folder to serve, or undefined when static serving is off or the folder is missing. */
export function staticFolderOf(settings: Settings): string | undefined {
  if (settings.publicFolder === false || settings.static === false) return undefined;
  const folder = resolve(rootOf(settings), settings.publicFolder ?? "public");
  if (settings.static === true) return folder;
  return existsSync(folder) ? folder : undefined;
}

export function viewsFolderOf(settings: Settings): string {
  return resolve(rootOf(settings), settings.views ?? "views");
}

/** Settings that default from the environment follow it when it is set later, as Sinatra's procs do. */
export function showsExceptions(settings: Settings): boolean {
  return settings.showExceptions ?? settings.environment === "development";
}

export function dumpsErrors(settings: Settings): boolean {
  return settings.dumpErrors ?? settings.environment !== "test";
}

/** Host authorization options when it applies, else undefined. */
export function hostAuthorizationOf(
  settings: Settings,
  env: NodeJS.ProcessEnv = process.env,
): { allowedHosts?: Array<string | RegExp> } | undefined {
  const setting = settings.hostAuthorization;
  if (setting === false) return undefined;
  if (setting === true) return {};
  if (typeof setting === "object") return setting;
  const loopbackOnly = env[LISTEN_HINT_VARIABLE] === "loopback";
  return settings.environment === "development" && loopbackOnly ? {} : undefined;
}
