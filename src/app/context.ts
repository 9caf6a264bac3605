import { resolve } from "node:path";
import { type BufferedParts, bufferedParts, bufferedResponse, type HeaderRecord } from "../http/buffered-response.js";
import { evaluatePreconditions, formatETag } from "../http/conditional.js";
import { httpVersion } from "../http/connection-info.js";
import { CookieJar } from "../http/cookies.js";
import { HttpError } from "../http/http-error.js";
import { hasControlCharacter, isPathAbsolute, resolveReference } from "../http/location.js";
import { contentTypeFor, mimeTypeFor, withCharset } from "../http/mime.js";
import { mountPath } from "../http/mount-path.js";
import { acceptedMediaTypes, negotiateMediaType } from "../http/negotiate.js";
import { parseQuery, type Query } from "../http/query.js";
import { type FormLimits, resolveFormLimits } from "../http/form-limits.js";
import { type FormPart, formParts } from "../http/form-parts.js";
import {
  type Form,
  type FormValue,
  formIfRead,
  parsedRequestForm,
  requestBytes,
  requestJson,
} from "../http/request-body.js";
import { getSession, type Session } from "../middleware/cookie-session.js";
import type { RouteParams } from "../router/pattern.js";
import { contentDisposition } from "../static/content-disposition.js";
import { type SendFileOptions, sendFile } from "../static/send-file.js";
import type { NoVariables } from "./definition.js";
import { createFlash, type Flash } from "./flash.js";
import { type BodyResult, type HandlerResult, type ReplyBody, reply, resultParts } from "./result.js";
import type { LoggingOptions, RequestLogger } from "./request-logger.js";
import { answered, applyResult, finishResponse, resetResponse, startOver } from "./internal-methods.js";
import { requestLogger } from "./request-logger.js";
import { rootOf, type Settings } from "./settings.js";
import { Halt, Pass } from "./signals.js";
import { createEventStreamBody, EVENT_STREAM_HEADERS, type EventStream, type EventStreamOptions } from "./sse.js";
import { createStreamBody, type StreamWriter } from "./stream.js";
import type { ValidData } from "./validation.js";
import { clientIp, fromTrustedProxy } from "./trusted-proxy.js";

/** What a Context needs from its App; kept narrow so the Context stays testable alone. */
export interface ContextHost {
  readonly settings: Settings;
  /** Types registered with `app.mimeType(name, type)`. */
  readonly mimeTypes: ReadonlyMap<string, string>;
  readonly logging: Required<LoggingOptions> | undefined;
  logError(error: unknown, req: Request): void;
  render(
    template: TemplateSource,
    locals: object,
    options: RenderOptions | undefined,
    c: Context<any, any>,
  ): Promise<string>;
}

/** A view's name (a file in `views`, or a template registered with `app.template`), or its source. */
export type TemplateSource = { name: string } | { source: string };

export interface RenderOptions {
  /** A layout template name, or false for none. Default: "layout" when there is one. */
  layout?: string | false;
}

/** A value in the merged params: route captures, query and form fields (nested as Rack nests them). */
export type ParamValue = string | string[] | FormValue | undefined;

/** Sinatra's `params`: the pattern's names typed, query and form fields as they came. */
export type Params<P> = P & { readonly [name: string]: ParamValue };

const JSON_TYPE = "application/json";
const NOTHING_VALIDATED: ValidData = Object.freeze({});

/** Headers that describe a body; an error page that replaces the body must not keep them. */
const BODY_HEADERS = [
  "content-length",
  "content-encoding",
  "content-range",
  "content-disposition",
  "etag",
  "last-modified",
];

/**
 * Everything a route sees: the request, its params, and the response being built.
 * One per request; request parts (query, cookies, URL, body) are parsed only when asked for.
 * `P` types the pattern's params; `V` the per-request variables (`c.set`/`c.get`).
 */
export class Context<P = RouteParams, V extends object = NoVariables> {
  readonly req: Request;
  /** The error being handled, in error handlers and after filters. */
  error: unknown;
  /** What the route's `validate` schemas returned, by part (`c.valid.json`); typed from the schemas. */
  valid: ValidData = NOTHING_VALIDATED;

  readonly #host: ContextHost;
  readonly #search: string;
  #params: P;
  /** Whether query and form fields are in `#params` yet (done on first read). */
  #paramsMerged = false;
  #query: Query | undefined;
  #url: URL | undefined;
  #cookies: CookieJar | undefined;
  #variables: Record<string, unknown> | undefined;
  #logger: RequestLogger | undefined;
  #flash: Flash | undefined;

  // The response being built. A Response a handler returned is kept whole (`#adopted`) until
  // something changes it; then its parts move into status, headers and body.
  #status = 200;
  /** Response headers by lower-case name. */
  #headers: HeaderRecord | undefined;
  /** `#headers` is also a built Response's: copy before writing. */
  #headersShared = false;
  /** Set-Cookie values of an adopted Response (the cookie jar holds the app's own). */
  #setCookies: string[] | undefined;
  #body: BodyInit | null = null;
  #json = false;
  #adopted: Response | undefined;
  /** The Response `c.json()`/`c.text()`/`c.html()`/`c.stream()` built last, and whether anything changed since. */
  #built: Response | undefined;
  #changed = true;
  /** A handler gave a body (a result, or `c.responseBody = …`): an error handler that did this answered. */
  #answered = false;
  #etag: string | undefined;
  #lastModified: Date | undefined;
  /** What must go once the request is answered (uploaded files). */
  #disposers: Array<() => Promise<void>> | undefined;

  constructor(req: Request, host: ContextHost, search: string, params: P) {
    this.req = req;
    this.#host = host;
    this.#search = search;
    this.#params = params;
  }

  get settings(): Readonly<Settings> {
    return this.#host.settings;
  }

  // ---- the request ----------------------------------------------------------------------

  /**
   * Sinatra's `params`: the route's captures, the query string and the form, one object. The
   * route's captures win over the form, the form over the query. A urlencoded form is read
   * before the filters run; a multipart form joins once `await c.form()` has read it.
   */
  get params(): Params<P> {
    if (!this.#paramsMerged) this.#mergeRequestParams();
    return this.#params as Params<P>;
  }

  set params(params: P) {
    this.#params = params;
    this.#paramsMerged = false;
  }

  #mergeRequestParams(): void {
    this.#paramsMerged = true;
    const form = formIfRead(this.req);
    if (this.#search === "" && form === undefined) return;
    const query = this.#search === "" ? undefined : this.query;
    let target = this.#params as Record<string, unknown>;
    if (Object.isFrozen(target)) this.#params = (target = { ...target }) as P;
    for (const source of [form, query]) {
      if (source === undefined) continue;
      for (const name in source) if (!(name in target)) target[name] = source[name];
    }
  }

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

  /** The cookie session (enable it with `app.enable("sessions")`); `c.session.clear()` empties it. */
  get session(): Session {
    return getSession(this.req);
  }

  /** Messages for the next request, kept in the session (see flash.ts). */
  get flash(): Flash {
    this.#flash ??= createFlash(this.session);
    return this.#flash;
  }

  /** The Referer, for `c.redirect(c.back)`. */
  get back(): string {
    return this.req.headers.get("referer") ?? "/";
  }

  /** The client's address: the socket's, or from X-Forwarded-For through the proxies `trustProxy` names. */
  get ip(): string | undefined {
    return clientIp(this.req, this.settings.trustProxy);
  }

  /** Sent by `XMLHttpRequest` libraries (X-Requested-With), as Sinatra's `request.xhr?`. */
  get xhr(): boolean {
    return this.req.headers.get("x-requested-with")?.toLowerCase() === "xmlhttprequest";
  }

  /** HTTPS, as the client sees it (X-Forwarded-Proto counts from a trusted proxy). */
  get secure(): boolean {
    return this.#scheme() === "https";
  }

  #scheme(): string {
    if (fromTrustedProxy(this.req, this.settings.trustProxy)) {
      const forwarded = firstValue(this.req.headers.get("x-forwarded-proto"));
      if (forwarded) return forwarded.toLowerCase();
    }
    return this.#requestUrl().protocol.slice(0, -1);
  }

  /** The media types of the Accept header, most preferred first (`["*\/*"]` without one). */
  get accept(): string[] {
    return acceptedMediaTypes(this.req.headers.get("accept"));
  }

  /** Whether the client accepts this type (`"json"`, `"text/html"`), as Sinatra's `request.accept?`. */
  accepts(type: string): boolean {
    return this.preferredType(type) !== undefined;
  }

  /** Of the given types (short names or full), the one the client prefers; the first on a tie; undefined if none. */
  preferredType(...types: string[]): string | undefined {
    if (types.length === 0) return this.accept[0];
    const full = types.map((type) => this.mimeType(type) ?? type);
    const chosen = negotiateMediaType(this.req.headers.get("accept"), full);
    return chosen === undefined ? undefined : types[full.indexOf(chosen)];
  }

  /** A short name's media type: registered with `app.mimeType()`, else from the MIME database. */
  mimeType(name: string): string | undefined {
    return this.#host.mimeTypes.get(name.replace(/^\./, "")) ?? mimeTypeFor(name.replace(/^\./, ""));
  }

  /** Log lines that name this request (see request-logger.ts); quiet when `logging` is off. */
  get logger(): RequestLogger {
    this.#logger ??= requestLogger(this.req, this.#host.logging);
    return this.#logger;
  }

  /** The raw request body (read once; every reader shares it). */
  body(): Promise<Uint8Array> {
    return requestBytes(this.req);
  }

  /**
   * The form: urlencoded or multipart, one object nested by name (`user[name]`, `tags[]`, with
   * null-prototype objects); no Content-Type reads as urlencoded (an empty body is an empty
   * form); another content type is a 415, a limit a 413, a malformed body a 400. Files arrive as
   * UploadedFile, saved to the upload folder while they stream in and removed after the request.
   * `limits` override the route's `formLimits` option, which overrides the app's setting. A
   * multipart body streams past once: the first call's limits hold. A urlencoded body (already
   * in memory) is parsed again when a call asks for other limits.
   */
  async form(limits?: FormLimits): Promise<Form> {
    const form = await parsedRequestForm(this.req, {
      limits: resolveFormLimits(this.settings.formLimits, this.routeFormLimits, limits),
      uploadDir: this.settings.uploadDir,
    });
    if (form.files.length > 0 && !this.#disposers?.includes(form.dispose)) (this.#disposers ??= []).push(form.dispose);
    this.#paramsMerged = false; // its fields join c.params
    return form.fields;
  }

  /**
   * The form's parts as they arrive, files as streams that never touch the disk:
   * `for await (const part of c.parts()) { if (part.kind === "file") await save(part.stream) }`.
   */
  parts(limits?: FormLimits): AsyncGenerator<FormPart, void, undefined> {
    return formParts(this.req, { limits: resolveFormLimits(this.settings.formLimits, this.routeFormLimits, limits) });
  }

  // ---- per-request variables (Sinatra's @ivars) --------------------------------------------

  /** Keeps a value for this request: filters set, routes and views read (`it.user` in a template). */
  set<K extends string>(key: K, value: K extends keyof V ? V[K] : unknown): this {
    (this.#variables ??= {})[key] = value;
    return this;
  }

  /** A value `c.set` kept, typed by the app's variables (`new App<{ user: User }>()`). */
  get<K extends string>(key: K): K extends keyof V ? V[K] : unknown {
    return this.#variables?.[key] as K extends keyof V ? V[K] : unknown;
  }

  /** Every variable `c.set` kept, as one object. */
  get var(): Readonly<V> & { readonly [key: string]: unknown } {
    return (this.#variables ?? {}) as Readonly<V>;
  }

  // ---- the response being built -----------------------------------------------------------

  /** Reads the status, or sets it. */
  status(): number;
  status(code: number): this;
  status(code?: number): number | this {
    if (code === undefined) return this.#status;
    this.#unadopt();
    this.#status = code;
    this.#changed = true;
    return this;
  }

  /** Reads a response header, or sets one (`undefined` removes it). */
  header(name: string): string | null;
  header(name: string, value: string | undefined): this;
  header(name: string, ...value: [] | [string | undefined]): string | null | this {
    const key = name.toLowerCase();
    if (value.length === 0) return this.#adopted ? this.#adopted.headers.get(key) : (this.#headers?.[key] ?? null);
    this.#unadopt();
    const [text] = value;
    if (text === undefined) {
      if (this.#headers?.[key] !== undefined) delete this.#writableHeaders()[key];
    } else this.#writableHeaders()[key] = text;
    this.#changed = true;
    return this;
  }

  /** Sets several headers at once (Sinatra's `headers "X-A" => "1"`). */
  headers(values: Record<string, string>): this {
    for (const name in values) this.header(name, values[name]);
    return this;
  }

  /** Reads the content type, or sets it from a short name (`json`, `html`, `css`, or one from `app.mimeType`) or a full type. */
  type(): string | null;
  type(type: string, params?: Record<string, string>): this;
  type(type?: string, params?: Record<string, string>): string | null | this {
    if (type === undefined) return this.header("content-type");
    const registered = this.#host.mimeTypes.size === 0 ? undefined : this.#host.mimeTypes.get(type.replace(/^\./, ""));
    return this.header("content-type", resolveContentType(registered ?? type, params));
  }

  /**
   * The response body so far, for after filters (Sinatra's `body`): a string, bytes, a stream,
   * or null. Setting it replaces the body; the content type stays as it was.
   */
  get responseBody(): BodyInit | null {
    return this.#adopted ? this.#adopted.body : this.#body;
  }

  set responseBody(body: BodyInit | null) {
    this.#unadopt();
    this.#body = body;
    this.#json = false;
    this.#answered = true;
    this.#changed = true;
  }

  /** The response as it stands (for after filters that want a Response to look at). */
  get res(): Response {
    return this.#adopted ?? this.#build();
  }

  /**
   * `await c.json()` reads the JSON body (application/json, +json, or no content type; another
   * type is a 415, invalid JSON a 400 that says where); `c.json(value, status?)` answers with JSON.
   */
  json<T = unknown>(): Promise<T>;
  json(value: unknown, status?: number): Response;
  json(...args: unknown[]): Promise<unknown> | Response {
    if (args.length === 0) return requestJson(this.req);
    const [value, status] = args as [unknown, number | undefined];
    if (status !== undefined) this.status(status);
    if (!this.header("content-type")) this.type(JSON_TYPE);
    return this.#answer(JSON.stringify(value));
  }

  text(value: string, status?: number): Response {
    if (status !== undefined) this.status(status);
    this.type("text/plain;charset=utf-8");
    return this.#answer(value);
  }

  html(value: string, status?: number): Response {
    if (status !== undefined) this.status(status);
    this.type("text/html;charset=utf-8");
    return this.#answer(value);
  }

  #answer(body: BodyInit | null): Response {
    this.#unadopt();
    this.#body = body;
    this.#json = false;
    this.#answered = true;
    this.#changed = true;
    return this.#build();
  }

  /**
   * Renders a view from `settings.views` (or one registered with `app.template`) inside its layout.
   * The template sees `it` (the per-request variables, then `locals`) and `c` (this context:
   * params, session, flash, helpers).
   */
  render(name: string, locals: object = {}, options?: RenderOptions): Promise<string> {
    if (!this.header("content-type")) this.type("text/html;charset=utf-8");
    return this.#host.render({ name }, { ...this.#variables, ...locals }, options, this);
  }

  /** Renders a template given as a string (Sinatra's `erb "<%= … %>"`), with the same context and layout rules. */
  renderString(source: string, locals: object = {}, options?: RenderOptions): Promise<string> {
    if (!this.header("content-type")) this.type("text/html;charset=utf-8");
    return this.#host.render({ source }, { ...this.#variables, ...locals }, options, this);
  }

  // ---- control flow ------------------------------------------------------------------------

  /** Stops the request now, answering what the route has set so far. */
  halt(): never;
  /** Stops with a result, as a route returns one: `halt(404)`, `halt("body")`, `halt({ error })`, `halt(response)`. */
  halt(result: HandlerResult): never;
  /** Stops with a status and a body: `halt(403, "no")`. */
  halt(status: number, body: BodyResult): never;
  /** Stops with a status, headers and a body: `halt(401, { "www-authenticate": "Basic" }, "who?")`. */
  halt(status: number, headers: HeadersInit, body: BodyResult): never;
  halt(...args: unknown[]): never {
    if (args.length === 0) throw new Halt(undefined);
    if (args.length === 1) throw new Halt(args[0]);
    // The argument list is explicit, so it is Sinatra's tuple; a returned array never is.
    const [status, second, third] = args as [number, unknown, unknown];
    throw new Halt(
      args.length === 2 ? reply(status, second as ReplyBody) : reply(status, second as HeadersInit, third as ReplyBody),
    );
  }

  /** Gives the request to the next matching route (404 when there is none); in a before filter, ends that filter. */
  pass(): never {
    throw new Pass();
  }

  /** Stops with a 404, through the app's notFound handler. */
  notFound(message?: string): never {
    throw new HttpError(404, message);
  }

  /**
   * Redirects (halts): 302, or 303 for a non-GET request over HTTP/1.1 so clients follow with
   * GET (HTTP/1.0 knows no 303: 302 there, as Sinatra). No URL redirects to the current path.
   * The Location is absolute from the request's host unless `absoluteRedirects` is off, resolved
   * and percent-encoded as a browser would (see url()). A target with a control character (CR and
   * LF would split the header) or one no URL can be made of is a 400.
   */
  redirect(location?: string, status?: number): never {
    if (location !== undefined && hasControlCharacter(location)) {
      throw new HttpError(400, "Bad Request: the redirect target contains a control character");
    }
    let target: string;
    try {
      target =
        location === undefined
          ? this.url("", this.settings.absoluteRedirects)
          : this.url(location, this.settings.absoluteRedirects, this.settings.prefixedRedirects);
    } catch {
      throw new HttpError(400, "Bad Request: the redirect target is not a URL");
    }
    const oldProtocol = httpVersion(this.req) === "1.0";
    this.status(status ?? (this.req.method === "GET" || oldProtocol ? 302 : 303));
    this.header("location", target);
    throw new Halt(undefined);
  }

  /**
   * The URL `path` leads to from this request, as a browser resolves it (WHATWG URL parsing:
   * `\\host`, ` //host` and `/\t/host` name another host, as they do in a browser), percent-
   * encoded. Absolute from the request's scheme and host (X-Forwarded-Host/-Proto only from a
   * proxy `trustProxy` trusts); with `absolute` false, a URL on this origin is given as its path.
   * A path of this app is under the path the app is mounted at (`Builder.map("/a", app)`:
   * `c.url("/")` is ".../a/"); no path is the current one. `isLocalUrl(path)` says beforehand
   * whether it stays on this origin. Throws TypeError when no URL can be made of `path` (`http://[`).
   */
  url(path = "", absolute = true, addMountPath = true): string {
    const mount = addMountPath ? mountPath(this.req) : "";
    const base = this.#baseUrl(mount);
    const resolved = resolveReference(path, base);
    if (mount !== "" && resolved.origin === base.origin && isPathAbsolute(path)) {
      resolved.pathname = mount + resolved.pathname;
    }
    // A path that starts with "//" would read as another host: such a URL stays absolute.
    if (!absolute && resolved.origin === base.origin && !resolved.pathname.startsWith("//")) {
      return resolved.pathname + resolved.search + resolved.hash;
    }
    return resolved.href;
  }

  /** This request's URL under `mount`, without its query, from the forwarded scheme and host when trusted. */
  #baseUrl(mount: string): URL {
    const url = this.#requestUrl();
    // Joined as text: resolved, a path like "//evil/x" would name another host.
    const here = mount + url.pathname;
    if (fromTrustedProxy(this.req, this.settings.trustProxy)) {
      const host = firstValue(this.req.headers.get("x-forwarded-host"));
      const proto = firstValue(this.req.headers.get("x-forwarded-proto"));
      if (host || proto) {
        try {
          const forwarded = new URL(`${proto ?? url.protocol.slice(0, -1)}://${host ?? url.host}`);
          if (forwarded.pathname === "/" && !forwarded.username) return new URL(forwarded.origin + here);
        } catch {
          // not a scheme and host: the request's own URL stands
        }
      }
    }
    return new URL(url.origin + here);
  }

  /** Sinatra's alias of url(). */
  to(path = "", absolute = true, addMountPath = true): string {
    return this.url(path, absolute, addMountPath);
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

  /**
   * Sends a file (halts): conditional GET and ranges included. A missing file is a 404 through the
   * app's notFound/error(404) handlers. The file must lie inside `options.root` (a folder of
   * `settings.root` when relative), else inside `settings.root`: anything outside, by `..` or a
   * symlink, is a 404.
   */
  async sendFile(path: string, options: SendFileOptions = {}): Promise<never> {
    const root = resolve(rootOf(this.settings), options.root ?? ".");
    const status = options.status ?? (this.#status === 200 ? undefined : this.#status);
    const response = await sendFile(this.req, path, {
      ...options,
      root,
      headers: { ...this.#headers, ...options.headers },
      status,
    });
    if (response.status === 404 && status !== 404) {
      void response.body?.cancel();
      throw new HttpError(404);
    }
    throw new Halt(response);
  }

  /**
   * A streamed body (Sinatra's `stream`): `return c.stream(async (out) => { await out.write("…"); })`.
   * Like any body it is `text/html;charset=utf-8` unless `c.type()` says otherwise.
   */
  stream(produce: (out: StreamWriter) => void | Promise<void>, options: { keepOpen?: boolean } = {}): Response {
    return this.#answer(
      createStreamBody(produce, this.req.signal, (error) => this.#host.logError(error, this.req), options.keepOpen),
    );
  }

  /**
   * Server-sent events: `return c.sse(async (events) => { await events.send({ id, data }) })`.
   * Text/event-stream with no caching and no proxy buffering, a heartbeat comment while quiet,
   * and a clean end when the server drains, so the browser reconnects (with Last-Event-ID).
   */
  sse(produce: (events: EventStream) => void | Promise<void>, options: EventStreamOptions = {}): Response {
    for (const name in EVENT_STREAM_HEADERS) this.header(name, EVENT_STREAM_HEADERS[name]);
    return this.#answer(
      createEventStreamBody(this.req, produce, (error) => this.#host.logError(error, this.req), options),
    );
  }

  // ---- used by the App ---------------------------------------------------------------------

  /** The `formLimits` option of the request's route, set by the App before the filters run. */
  routeFormLimits: FormLimits | undefined = undefined;

  /** True while files of this request wait to be removed. */
  get holdsFiles(): boolean {
    return this.#disposers !== undefined;
  }

  /** Removes the request's uploaded files (after the response is made); never rejects. */
  releaseFiles(): Promise<void> {
    const disposers = this.#disposers ?? [];
    this.#disposers = undefined;
    return Promise.allSettled(disposers.map((dispose) => dispose())).then(() => undefined);
  }

  /** Applies a handler's result to the response being built (see result.ts). */
  [applyResult](result: HandlerResult | unknown): void {
    if (typeof result === "string") {
      // The most common result, without building its parts.
      this.#unadopt(true);
      this.#body = result;
      this.#json = false;
      this.#answered = true;
      this.#changed = true;
      return;
    }
    if (result === undefined || result === null) return;
    if (result instanceof Response) {
      this.#answered = true;
      if (result !== this.#built) this.#adopt(result);
      return;
    }
    const parts = resultParts(result);
    if (parts.status !== undefined) this.status(parts.status);
    if (parts.headers !== undefined) {
      new Headers(parts.headers).forEach((value, name) => {
        this.header(name, value);
      });
    }
    if (parts.body !== undefined) {
      this.#unadopt(true);
      this.#body = parts.body;
      this.#json = parts.json === true;
      this.#answered = true;
      this.#changed = true;
    }
  }

  /**
   * Starts over for an error handler, as Sinatra does: the status is the error's, the body of the
   * failed attempt is gone, and the headers set so far stay (`before { c.type("json") }` gives a
   * JSON error page) except those that described the old body.
   */
  [startOver](status: number): void {
    this.#adopted = undefined;
    this.#setCookies = undefined;
    this.#status = status;
    this.#body = null;
    this.#json = false;
    this.#answered = false;
    this.#changed = true;
    if (this.#headers) {
      const headers = this.#writableHeaders();
      for (const name of BODY_HEADERS) delete headers[name];
    }
  }

  #writableHeaders(): HeaderRecord {
    if (this.#headers === undefined) this.#headers = {};
    else if (this.#headersShared) this.#headers = { ...this.#headers };
    this.#headersShared = false;
    return this.#headers;
  }

  /** Starts over with nothing kept: only for the plain 500 after an error handler failed. */
  [resetResponse](status: number): void {
    this[startOver](status);
    this.#headers = undefined;
    this.#headersShared = false;
  }

  /** Whether a handler gave a body since the last start over (an error handler that returns nothing did not). */
  get [answered](): boolean {
    return this.#answered;
  }

  /** The Response for everything set so far. */
  [finishResponse](): Response {
    const cookies = this.#cookies?.outgoing.length ?? 0;
    if (this.#adopted) {
      if (cookies === 0) return this.#adopted;
      this.#unadopt();
    }
    if (!this.#changed && this.#built && cookies === 0) return this.#built;
    return this.#build();
  }

  /** Keeps a Response a handler returned whole while nothing changes it. Headers set before it stay unless it has its own. */
  #adopt(response: Response): void {
    this.#body = null;
    this.#json = false;
    this.#setCookies = undefined;
    if (this.#headers && Object.keys(this.#headers).length > 0) {
      this.#adopted = response;
      this.#unadopt();
    } else {
      this.#adopted = response;
      this.#status = response.status;
    }
  }

  /** Moves an adopted Response into parts, so a change can be made to it. `dropBody`: a new body replaces it. */
  #unadopt(dropBody = false): void {
    const response = this.#adopted;
    if (response === undefined) return;
    this.#adopted = undefined;
    this.#changed = true;
    const buffered: BufferedParts | undefined = bufferedParts(response);
    const headers = this.#writableHeaders();
    this.#status = response.status;
    if (buffered) {
      Object.assign(headers, buffered.headers);
      if (buffered.setCookies.length > 0) this.#setCookies = [...buffered.setCookies];
      this.#body = dropBody ? null : (buffered.body as BodyInit | null);
    } else {
      response.headers.forEach((value, name) => {
        if (name !== "set-cookie") headers[name] = value;
      });
      const cookies = response.headers.getSetCookie();
      if (cookies.length > 0) this.#setCookies = cookies;
      if (dropBody) void response.body?.cancel().catch(() => {});
      else this.#body = response.body;
    }
  }

  #build(): Response {
    const body = this.#body;
    const headers = this.#writableHeaders();
    if (body !== null && headers["content-type"] === undefined) {
      headers["content-type"] = this.#json
        ? JSON_TYPE
        : typeof body === "string" || body instanceof ReadableStream
          ? this.settings.defaultContentType
          : "application/octet-stream";
    }
    const own = this.#cookies?.outgoing ?? [];
    const setCookies = this.#setCookies ? [...this.#setCookies, ...own] : own;
    const whole = this.#status === 204 || this.#status === 304 ? null : body;
    this.#changed = false;
    if (whole === null || typeof whole === "string" || whole instanceof Uint8Array) {
      // The common case: a whole body, sent without building a stream (see buffered-response.ts).
      // The headers object is shared with the Response; a later change copies it first.
      this.#headersShared = true;
      this.#built = bufferedResponse({ status: this.#status, headers, setCookies, body: whole });
      return this.#built;
    }
    const init = new Headers(headers);
    for (const cookie of setCookies) init.append("set-cookie", cookie);
    this.#built = new Response(whole, { status: this.#status, headers: init });
    return this.#built;
  }
}

const contentTypes = new Map<string, string>();

/** `c.type("json")` resolves through the MIME database once per name, not once per request. */
function resolveContentType(type: string, params?: Record<string, string>): string {
  if (!params) {
    let full = contentTypes.get(type);
    if (full === undefined) {
      full = withCharset(fullContentType(type));
      if (contentTypes.size < 1000) contentTypes.set(type, full);
    }
    return full;
  }
  let full = fullContentType(type);
  for (const [key, value] of Object.entries(params)) full += `;${key}=${value}`;
  return withCharset(full);
}

function fullContentType(type: string): string {
  const full = type.includes("/") ? type : mimeTypeFor(type.replace(/^\./, ""));
  if (!full)
    throw new TypeError(`Unknown media type: ${type}; register it with app.mimeType("${type}", "type/subtype")`);
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
