import { resolve } from "node:path";
import { evaluatePreconditions, formatETag } from "../http/conditional.js";
import { bufferedParts, bufferedResponse, type HeaderRecord } from "../http/buffered-response.js";
import { CookieJar } from "../http/cookies.js";
import { HttpError } from "../http/http-error.js";
import { mimeTypeFor, contentTypeFor } from "../http/mime.js";
import { parseQuery, type Query } from "../http/query.js";
import { getSession } from "../middleware/cookie-session.js";
import { contentDisposition } from "../static/content-disposition.js";
import { sendFile, type SendFileOptions } from "../static/send-file.js";
import type { RouteParams } from "../router/pattern.js";
import { rootOf, type Settings } from "./settings.js";
import { Halt, Pass } from "./signals.js";
import { resultParts, type HandlerResult } from "./result.js";
import { createStreamBody, type StreamWriter } from "./stream.js";
import type { ValidData } from "./validation.js";

/** What a Context needs from its App; kept narrow so the Context stays testable alone. */
export interface ContextHost {
  readonly settings: Settings;
  logError(error: unknown, req: Request): void;
  render(name: string, locals: object, options?: { layout?: string | false }): Promise<string>;
}

const JSON_TYPE = "application/json";
const NOTHING_VALIDATED: ValidData = Object.freeze({});

/**
 * Everything a route sees: the request, its params, and the response being built.
 * One per request; request parts (query, cookies, URL) are parsed only when asked for.
 */
export class Context<P = RouteParams> {
  readonly req: Request;
  /** Route params: captures of the matched pattern, as typed by the pattern. Filters may change them. */
  params: P;
  /** The finished response, for after filters. */
  res: Response | undefined;
  /** The error being handled, in error handlers and after filters. */
  error: unknown;
  /** What the route's `validate` schemas returned, by part (`c.valid.json`); typed from the schemas. */
  valid: ValidData = NOTHING_VALIDATED;

  readonly #host: ContextHost;
  readonly #search: string;
  #query: Query | undefined;
  #url: URL | undefined;
  #cookies: CookieJar | undefined;
  #status = 200;
  /** Response headers by lower-case name; a plain object until a Response is built. */
  #headers: HeaderRecord | undefined;
  #body: BodyInit | null = null;
  #json = false;
  #response: Response | undefined;
  #etag: string | undefined;
  #lastModified: Date | undefined;
  #finished = false;

  constructor(req: Request, host: ContextHost, search: string, params: P) {
    this.req = req;
    this.#host = host;
    this.#search = search;
    this.params = params;
  }

  get settings(): Settings {
    return this.#host.settings;
  }

  // ---- the request ----------------------------------------------------------------------

  /** The parsed query string, with Rack's nesting (`a[b]=1`, `a[]=x`); a malformed one is a 400. */
  get query(): Query {
    this.#query ??= parseQuery(this.#search);
    return this.#query;
  }

  #requestUrl(): URL {
    this.#url ??= new URL(this.req.url);
    return this.#url;
  }

  get cookies(): CookieJar {
    this.#cookies ??= new CookieJar(this.req.headers.get("cookie"));
    return this.#cookies;
  }

  /** The cookie session (enable it with `app.enable("sessions")`). */
  get session(): Record<string, unknown> {
    return getSession(this.req) as Record<string, unknown>;
  }

  /** The Referer, for `c.redirect(c.back)`. */
  get back(): string {
    return this.req.headers.get("referer") ?? "/";
  }

  /** The raw request body. */
  async body(): Promise<Uint8Array> {
    return new Uint8Array(await this.req.arrayBuffer());
  }

  /** A urlencoded (nested as the query) or multipart form; another content type is a 415. */
  async form(): Promise<Record<string, unknown>> {
    const type = mediaType(this.req.headers.get("content-type"));
    if (type === "application/x-www-form-urlencoded") return parseQuery(await this.req.text());
    if (type === "multipart/form-data") {
      let data: FormData;
      try {
        data = await this.req.formData();
      } catch (error) {
        throw new HttpError(400, "Malformed multipart form body", { cause: error });
      }
      const fields: Record<string, unknown> = {};
      for (const [name, value] of data) {
        const previous = fields[name];
        fields[name] =
          previous === undefined ? value : Array.isArray(previous) ? [...previous, value] : [previous, value];
      }
      return fields;
    }
    throw new HttpError(
      415,
      `Expected a form (application/x-www-form-urlencoded or multipart/form-data), got ${type || "no content type"}`,
    );
  }

  // ---- the response being built -----------------------------------------------------------

  /** Reads the status, or sets it. */
  status(): number;
  status(code: number): this;
  status(code?: number): number | this {
    if (code === undefined) return this.#status;
    this.#status = code;
    return this;
  }

  /** Reads a response header, or sets one (`undefined` removes it). */
  header(name: string): string | null;
  header(name: string, value: string | undefined): this;
  header(name: string, ...value: [] | [string | undefined]): string | null | this {
    const key = name.toLowerCase();
    if (value.length === 0) return this.#headers?.[key] ?? null;
    const [text] = value;
    if (text === undefined) {
      if (this.#headers) delete this.#headers[key];
    } else (this.#headers ??= {})[key] = text;
    return this;
  }

  /** Reads the content type, or sets it from a short name (`json`, `html`, `css`) or a full type. */
  type(): string | null;
  type(type: string, params?: Record<string, string>): this;
  type(type?: string, params?: Record<string, string>): string | null | this {
    if (type === undefined) return this.header("content-type");
    return this.header("content-type", resolveContentType(type, params));
  }

  /**
   * `await c.json()` reads the JSON body (another content type is a 415, invalid JSON a 400 that
   * says where); `c.json(value, status?)` answers with JSON.
   */
  json<T = unknown>(): Promise<T>;
  json(value: unknown, status?: number): Response;
  json(...args: unknown[]): Promise<unknown> | Response {
    if (args.length === 0) return this.#readJson();
    const [value, status] = args as [unknown, number | undefined];
    if (status !== undefined) this.#status = status;
    if (!this.header("content-type")) this.type(JSON_TYPE);
    this.#body = JSON.stringify(value);
    return this.#build();
  }

  async #readJson(): Promise<unknown> {
    const type = mediaType(this.req.headers.get("content-type"));
    if (type !== JSON_TYPE && !type.endsWith("+json")) {
      throw new HttpError(415, `Expected application/json, got ${type || "no content type"}`);
    }
    const text = await this.req.text();
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new HttpError(400, `Invalid JSON body: ${(error as Error).message}`, { cause: error });
    }
  }

  text(value: string, status?: number): Response {
    if (status !== undefined) this.#status = status;
    this.type("text/plain;charset=utf-8");
    this.#body = value;
    return this.#build();
  }

  html(value: string, status?: number): Response {
    if (status !== undefined) this.#status = status;
    this.type("text/html;charset=utf-8");
    this.#body = value;
    return this.#build();
  }

  /** Renders a template from `settings.views` with its layout. */
  async render(name: string, locals: object = {}, options?: { layout?: string | false }): Promise<string> {
    if (!this.header("content-type")) this.type("text/html;charset=utf-8");
    return this.#host.render(name, locals, options);
  }

  // ---- control flow ------------------------------------------------------------------------

  /** Stops the request now: `halt()`, `halt(404)`, `halt("body")`, `halt(403, "no")`, `halt(403, {headers}, "no")`, `halt(response)`. */
  halt(...args: unknown[]): never {
    if (args.length === 0) throw new Halt(undefined);
    if (args.length === 1) throw new Halt(args[0]);
    throw new Halt(args);
  }

  /** Gives the request to the next matching route (404 when there is none). */
  pass(): never {
    throw new Pass();
  }

  /** Stops with a 404, through the app's notFound handler. */
  notFound(message?: string): never {
    throw new HttpError(404, message);
  }

  /**
   * Redirects (halts): 302, or 303 for a non-GET request so clients follow with GET.
   * The Location is absolute from the request's host unless `absoluteRedirects` is off.
   */
  redirect(location: string, status?: number): never {
    const code = status ?? (this.req.method === "GET" ? 302 : 303);
    this.#status = code;
    this.header("location", this.url(location, this.settings.absoluteRedirects));
    throw new Halt(undefined);
  }

  /**
   * An absolute URL for a path of this app, from the request's scheme and host
   * (X-Forwarded-Host/-Proto only when `trustProxy` is set). Absolute URLs pass through.
   */
  url(path = "", absolute = true): string {
    if (/^[a-z][a-z0-9+.-]*:/i.test(path) || path.startsWith("//")) return path;
    const url = this.#requestUrl();
    if (!absolute) return path || url.pathname;
    let origin = url.origin;
    if (this.settings.trustProxy) {
      const host = firstValue(this.req.headers.get("x-forwarded-host"));
      const proto = firstValue(this.req.headers.get("x-forwarded-proto"));
      if (host || proto) origin = `${proto ?? url.protocol.slice(0, -1)}://${host ?? url.host}`;
    }
    if (path === "") return origin + url.pathname;
    if (path.startsWith("/")) return origin + path;
    return new URL(path, origin + url.pathname).href;
  }

  /** Sinatra's alias of url(). */
  to(path = "", absolute = true): string {
    return this.url(path, absolute);
  }

  // ---- caching -----------------------------------------------------------------------------

  /** `cacheControl("public", "must-revalidate", { maxAge: 60 })`. */
  cacheControl(...values: Array<string | Record<string, number | boolean | string>>): this {
    const parts: string[] = [];
    for (const value of values) {
      if (typeof value === "string") parts.push(dasherize(value));
      else {
        for (const [key, setting] of Object.entries(value)) {
          if (setting === true) parts.push(dasherize(key));
          else if (setting !== false) parts.push(`${dasherize(key)}=${setting}`);
        }
      }
    }
    return this.header("cache-control", parts.join(", "));
  }

  /** Expires in `seconds` (or at a Date), with the matching Cache-Control max-age. */
  expires(when: number | Date, ...cacheControl: Array<string | Record<string, number | boolean | string>>): this {
    const at = typeof when === "number" ? new Date(Date.now() + when * 1000) : when;
    const maxAge = Math.max(0, Math.round((at.getTime() - Date.now()) / 1000));
    this.cacheControl(...cacheControl, { maxAge });
    return this.header("expires", at.toUTCString());
  }

  /** Sets the ETag and answers 304 (GET/HEAD) or 412 right away when the request's preconditions say so. */
  etag(value: string, options: { weak?: boolean } = {}): this {
    this.#etag = /^(W\/)?"/.test(value) ? value : formatETag(value, options.weak);
    this.header("etag", this.#etag);
    this.#checkPreconditions();
    return this;
  }

  /** Sets Last-Modified and answers 304 or 412 right away when the request's preconditions say so. */
  lastModified(time: Date | number | string): this {
    const date = new Date(typeof time === "number" && time < 1e11 ? time * 1000 : time);
    if (Number.isNaN(date.getTime())) throw new TypeError(`lastModified: ${String(time)} is not a date`);
    date.setMilliseconds(0);
    this.#lastModified = date;
    this.header("last-modified", date.toUTCString());
    this.#checkPreconditions();
    return this;
  }

  #checkPreconditions(): void {
    if (this.#status < 200 || this.#status > 299) return;
    const verdict = evaluatePreconditions(this.req, { etag: this.#etag, lastModified: this.#lastModified });
    if (verdict === "not-modified") this.halt(304);
    if (verdict === "precondition-failed") this.halt(412);
  }

  // ---- files and streams -------------------------------------------------------------------

  /** Marks the response as a download, with the type from the file name. */
  attachment(filename?: string, disposition: "attachment" | "inline" = "attachment"): this {
    const type = filename ? contentTypeFor(filename) : undefined;
    if (type && !this.header("content-type")) this.type(type);
    return this.header("content-disposition", contentDisposition(disposition, filename));
  }

  /** Sends a file (halts): conditional GET, ranges and a 404 for a missing file included. Relative paths are from `options.root`, else `settings.root`. */
  async sendFile(path: string, options: SendFileOptions = {}): Promise<never> {
    const root = rootOf(this.settings);
    const base = options.root ?? root;
    const response = await sendFile(this.req, resolve(base, path), {
      root: base,
      ...options,
      headers: { ...this.#headers, ...options.headers },
      status: options.status ?? (this.#status === 200 ? undefined : this.#status),
    });
    throw new Halt(response);
  }

  /** A streamed body (Sinatra's `stream`): `return c.stream(async (out) => { await out.write("…"); })`. */
  stream(produce: (out: StreamWriter) => void | Promise<void>, options: { keepOpen?: boolean } = {}): Response {
    this.#body = createStreamBody(
      produce,
      this.req.signal,
      (error) => this.#host.logError(error, this.req),
      options.keepOpen,
    );
    return this.#build();
  }

  // ---- used by the App ---------------------------------------------------------------------

  /** Applies a handler's result to the response being built (see result.ts). */
  apply(result: HandlerResult | unknown): void {
    if (typeof result === "string") {
      // The most common result, without building its parts.
      this.#response = undefined;
      this.#body = result;
      this.#json = false;
      return;
    }
    const parts = resultParts(result);
    if (parts.response) {
      this.#response = parts.response;
      return;
    }
    if (parts.status !== undefined) this.#status = parts.status;
    if (parts.headers !== undefined) {
      const target = (this.#headers ??= {});
      new Headers(parts.headers).forEach((value, name) => {
        target[name] = value;
      });
    }
    if (parts.body !== undefined) {
      this.#response = undefined;
      this.#body = parts.body;
      this.#json = parts.json === true;
    }
  }

  /** Starts over after an error: status, headers and body of the failed attempt are dropped. */
  reset(status: number): void {
    this.#status = status;
    this.#headers = undefined;
    this.#body = null;
    this.#json = false;
    this.#response = undefined;
  }

  /** The Response for everything set so far; a Response a handler returned gets the headers set through `c`. */
  finish(): Response {
    // The first time, a returned Response keeps its own headers; later (after filters) c's changes win.
    this.#response = this.#response ? this.#mergeInto(this.#response, this.#finished) : this.#build();
    this.#finished = true;
    this.#headers = undefined;
    this.#cookies = undefined;
    return this.#response;
  }

  #build(): Response {
    const body = this.#body;
    const headers = (this.#headers ??= {});
    if (body !== null && headers["content-type"] === undefined) {
      headers["content-type"] = this.#json
        ? JSON_TYPE
        : typeof body === "string"
          ? this.settings.defaultContentType
          : "application/octet-stream";
    }
    const setCookies = this.#cookies?.outgoing ?? [];
    const whole = this.#status === 204 || this.#status === 304 ? null : body;
    if (whole === null || typeof whole === "string" || whole instanceof Uint8Array) {
      // The common case: a whole body, sent without building a stream (see buffered-response.ts).
      return bufferedResponse({ status: this.#status, headers, setCookies, body: whole });
    }
    const init = new Headers(headers);
    for (const cookie of setCookies) init.append("set-cookie", cookie);
    return new Response(body, { status: this.#status, headers: init });
  }

  #mergeInto(response: Response, override: boolean): Response {
    const extra = this.#headers;
    const cookies = this.#cookies?.outgoing ?? [];
    if (!extra && cookies.length === 0) return response;
    const parts = bufferedParts(response);
    if (parts !== undefined) {
      // A buffered response (a development page, a small file) stays one: plain records merge.
      const merged = { ...parts.headers };
      for (const name in extra) if (override || merged[name] === undefined) merged[name] = extra[name];
      return bufferedResponse({ ...parts, headers: merged, setCookies: [...parts.setCookies, ...cookies] });
    }
    const headers = new Headers(response.headers);
    for (const [name, value] of Object.entries(extra ?? {})) {
      if (override || !headers.has(name)) headers.set(name, value);
    }
    for (const cookie of cookies) headers.append("set-cookie", cookie);
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  }
}

function mediaType(contentType: string | null): string {
  if (!contentType) return "";
  const semicolon = contentType.indexOf(";");
  return (semicolon < 0 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
}

const contentTypes = new Map<string, string>();

/** `c.type("json")` resolves through the MIME database once per name, not once per request. */
function resolveContentType(type: string, params?: Record<string, string>): string {
  if (!params) {
    let full = contentTypes.get(type);
    if (full === undefined) {
      full = fullContentType(type);
      if (!full.includes("charset") && /^text\/|^application\/javascript$/.test(full)) full += ";charset=utf-8";
      if (contentTypes.size < 1000) contentTypes.set(type, full);
    }
    return full;
  }
  let full = fullContentType(type);
  for (const [key, value] of Object.entries(params)) full += `;${key}=${value}`;
  return full;
}

function fullContentType(type: string): string {
  const full = type.includes("/") ? type : mimeTypeFor(type);
  if (!full) throw new TypeError(`Unknown media type: ${type}`);
  return full;
}

function dasherize(name: string): string {
  return name.replace(/[A-Z]/g, (ch) => `-${ch.toLowerCase()}`).replace(/_/g, "-");
}

function firstValue(header: string | null): string | undefined {
  if (!header) return undefined;
  return header.split(",")[0].trim() || undefined;
}

export { Halt, Pass };
