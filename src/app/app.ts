import { maxBodySizeFor, runStartHooks, runStopHooks, usesWebSockets } from "../http/lifecycle-hooks.js";
import type { FetchApp, Handler, Middleware } from "../http/types.js";
import { errorLog } from "../middleware/access-log.js";
import type { PathParams } from "../router/params.js";
import { compilePattern, type RouteParams } from "../router/pattern.js";
import { requireByteSize } from "../http/byte-size.js";
import { type FormLimits, resolveFormLimits } from "../http/form-limits.js";
import { cascade } from "./cascade.js";
import {
  type Condition,
  type ConditionFactory,
  type Conditions,
  compileConditions,
  ROUTE_OPTIONS,
} from "./conditions.js";
import type { Context } from "./context.js";
import type {
  ErrorEntry,
  ErrorHandler,
  ErrorKey,
  Filter,
  NoHelpers,
  NoVariables,
  RouteEntry,
  RouteHandler,
} from "./definition.js";
import { Dispatch } from "./dispatch.js";
import { logError } from "./internal-methods.js";
import { Namespace, type NamespaceTarget } from "./namespace.js";
import { type OpenApiDocument, type OpenApiInfo, openApiDocument } from "./openapi.js";
import { resolveLogging } from "./request-logger.js";
import { defaultSettings, dumpsErrors, type KnownSettings, type Settings } from "./settings.js";
import { settingName, settingValue } from "./sinatra-settings.js";
import { checkTrustProxy } from "./trusted-proxy.js";
import { compileValidation, type RouteSchemas, type Validated } from "./validation.js";
import {
  upgradeRequested,
  type WebSocketHandler,
  type WebSocketRouteOptions,
  webSocketLimits,
  webSocketRouteHandler,
} from "./websocket-route.js";

export type { ErrorHandler, NoHelpers, NoVariables, RouteHandler } from "./definition.js";
export { NotFound } from "./errors.js";

/** The middle argument of a route: conditions, and `validate` schemas whose outputs type `c.valid`. */
export type RouteOptions<S extends RouteSchemas> = Conditions & { validate?: S };

/** A route-defining method: `(pattern, handler)` or `(pattern, conditions, handler)`. */
export interface Verb<V extends object, H extends object, R> {
  <P extends string | RegExp>(pattern: P, handler: RouteHandler<PathParams<P>, H, V>): R;
  <P extends string | RegExp, S extends RouteSchemas = NoHelpers>(
    pattern: P,
    conditions: RouteOptions<S>,
    handler: RouteHandler<PathParams<P>, H, V, Validated<S>>,
  ): R;
}

/** The verbs besides `get` (which also answers HEAD), defined on the prototype below. */
const VERBS = ["post", "put", "patch", "delete", "options", "head", "link", "unlink"] as const;

export interface App<V extends object = NoVariables, H extends object = NoHelpers>
  extends Record<(typeof VERBS)[number], Verb<V, H, App<V, H>>> {}

/** What `use` takes: a Web-standard middleware, another App (or App class), or any `{ fetch }` app. */
export type Usable = Middleware | FetchApp | (new () => FetchApp);

/**
 * A frank application: Sinatra's DSL over Web-standard Request/Response.
 * `app.fetch` is a plain handler, so any server, Builder or test can run it.
 *
 * `V` types the per-request variables filters hand to routes and views (`c.set`/`c.get`):
 * `new App<{ user: User }>()`, or `class MyApp extends App<{ user: User }> {}`.
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the interface above declares the verbs the loop below the class defines on App.prototype
export class App<V extends object = NoVariables, H extends object = NoHelpers> {
  readonly #settings: Settings = defaultSettings();
  readonly #routes: RouteEntry[] = [];
  readonly #before: Filter[] = [];
  readonly #after: Filter[] = [];
  readonly #errors: ErrorEntry[] = [];
  readonly #middleware: Middleware[] = [];
  readonly #conditions = new Map<string, ConditionFactory>();
  readonly #helpers: Record<string, unknown> = {};
  readonly #mimeTypes = new Map<string, string>();
  readonly #templates = new Map<string, string>();
  readonly #startHooks: Array<() => unknown> = [];
  readonly #stopHooks: Array<() => unknown> = [];
  #webSockets = false;
  #errorLog: { format: "dev" | "json"; write: (error: unknown, req?: Request) => void } | undefined;
  /** Built by compile() or the first request, dropped when routes or settings change. */
  #compiled: Dispatch | undefined;
  /** Settings are fixed once the app has served: a later change would be half-applied. */
  #served = false;

  // ---- settings ------------------------------------------------------------------------------

  /**
   * The settings, read-only: change them with `set`/`enable`/`disable` before the app serves.
   * Sinatra's names (`public_folder`, `strict_paths`…) are accepted by `set` as aliases.
   */
  get settings(): Readonly<Settings> {
    return this.#settings;
  }

  set<K extends keyof KnownSettings>(name: K, value: KnownSettings[K]): this;
  /** Any other name, as Sinatra's `set` takes (a name frank reads must get its own type). */
  set<N extends string>(name: Exclude<N, keyof KnownSettings>, value: unknown): this;
  set(values: Partial<KnownSettings> & Record<string, unknown>): this;
  set(nameOrValues: string | Record<string, unknown>, value?: unknown): this {
    const values = typeof nameOrValues === "string" ? { [nameOrValues]: value } : nameOrValues;
    if (this.#served) {
      throw new TypeError(
        `set(${Object.keys(values).join(", ")}): settings are fixed once the app has served a request; set them before (in configure blocks or the constructor)`,
      );
    }
    for (const [given, setting] of Object.entries(values)) {
      const name = settingName(given);
      const converted = settingValue(given, setting);
      if (name === "trustProxy") checkTrustProxy(converted);
      if (name === "logging") resolveLogging(converted as KnownSettings["logging"], this.#settings.environment);
      this.#settings[name] = converted;
    }
    this.#compiled = undefined;
    return this;
  }

  enable(...names: string[]): this {
    for (const name of names) this.set(name, true);
    return this;
  }

  disable(...names: string[]): this {
    for (const name of names) this.set(name, false);
    return this;
  }

  get environment(): string {
    return this.#settings.environment;
  }

  /** Runs `fn` now when the environment is one of `envs` (or always, with no envs). */
  configure(...args: [...envs: string[], fn: (app: this) => void]): this {
    const fn = args.pop() as (app: this) => void;
    if (args.length === 0 || (args as string[]).includes(this.environment)) fn(this);
    return this;
  }

  /** Registers a short name for `c.type(name)`, `provides` and `c.mimeType(name)` (Sinatra's `mime_type`). */
  mimeType(name: string, type: string): this {
    if (!/^[\w.+-]+\/[\w.+-]+/.test(type)) throw new TypeError(`mimeType("${name}"): "${type}" is not a media type`);
    this.#mimeTypes.set(name.replace(/^\./, ""), type);
    this.#compiled = undefined;
    return this;
  }

  /** A view defined in code (Sinatra's `template` and inline templates): `c.render(name)` finds it before a file. */
  template(name: string, source: string): this {
    this.#templates.set(name, source);
    this.#compiled = undefined;
    return this;
  }

  /** The layout defined in code (Sinatra's `layout do … end`). */
  layout(source: string, name = "layout"): this {
    return this.template(name, source);
  }

  // ---- routes --------------------------------------------------------------------------------

  get<P extends string | RegExp>(pattern: P, handler: RouteHandler<PathParams<P>, H, V>): this;
  get<P extends string | RegExp, S extends RouteSchemas = NoHelpers>(
    pattern: P,
    conditions: RouteOptions<S>,
    handler: RouteHandler<PathParams<P>, H, V, Validated<S>>,
  ): this;
  get(pattern: string | RegExp, ...rest: unknown[]): this {
    // Like Sinatra, a GET route also answers HEAD (the body is dropped on the way out).
    this.#addRoute("GET", pattern, rest);
    return this.#addRoute("HEAD", pattern, rest, true);
  }
  /** A route for any method name, e.g. `route("PROPFIND", "/dav/*", h)`. */
  route<P extends string | RegExp>(method: string, pattern: P, handler: RouteHandler<PathParams<P>, H, V>): this;
  route<P extends string | RegExp, S extends RouteSchemas = NoHelpers>(
    method: string,
    pattern: P,
    conditions: RouteOptions<S>,
    handler: RouteHandler<PathParams<P>, H, V, Validated<S>>,
  ): this;
  route(method: string, pattern: string | RegExp, ...rest: unknown[]): this {
    const verb = method.toUpperCase();
    if (!/^[!#$%&'*+.^_`|~0-9A-Z-]+$/.test(verb)) throw new TypeError(`"${method}" is not an HTTP method name`);
    if (verb === "GET") return this.get(pattern, ...(rest as [RouteHandler<any, H, V>]));
    return this.#addRoute(verb, pattern, rest);
  }

  #addRoute(method: string, pattern: string | RegExp, rest: unknown[], implicit = false): this {
    const where = `${method} ${String(pattern)}`;
    const [conditionSource, handler] = splitConditions(rest, where);
    return this.#pushRoute(method, pattern, conditionSource, handler, { where, implicit });
  }

  #pushRoute(
    method: string,
    pattern: string | RegExp,
    conditionSource: Conditions | undefined,
    handler: RouteHandler<any, any>,
    options: { where: string; implicit?: boolean; builtIn?: Condition[] },
  ): this {
    const { where, implicit = false, builtIn = [] } = options;
    compilePattern(pattern); // a malformed pattern fails here, at definition, not at the first request
    const conditions = [...builtIn, ...compileConditions(conditionSource, this.#conditions)];
    const schemas = conditionSource?.validate;
    const validation = schemas === undefined ? undefined : compileValidation(schemas, where);
    const bodyLimit = conditionSource?.maxBodySize;
    const maxBodyBytes = bodyLimit === undefined ? undefined : requireByteSize(bodyLimit, `${where}: maxBodySize`);
    const formLimits = conditionSource?.formLimits;
    if (formLimits !== undefined) checkFormLimits(formLimits, where);
    this.#routes.push({
      method,
      pattern,
      label: String(pattern),
      conditionSource,
      conditions,
      handler,
      validation,
      implicit,
      maxBodyBytes,
      formLimits,
    });
    this.#compiled = undefined;
    return this;
  }

  /**
   * A WebSocket route: upgrade requests to `pattern` (GET with `Upgrade: websocket`) go through
   * the before filters and conditions like any request, then `handler` gives the socket's hooks:
   * `app.ws("/chat/:room", (c) => ({ message(ws, data) { ws.send(\`${c.params.room}: ${data}\`) } }))`.
   * Options beside the conditions: `maxMessageSize`, `pingInterval`, `protocols`.
   * Served by frank's server, which needs the `ws` package (npm install ws).
   */
  ws<P extends string | RegExp>(pattern: P, handler: WebSocketHandler<PathParams<P>, H>): this;
  ws<P extends string | RegExp>(
    pattern: P,
    options: Conditions & WebSocketRouteOptions,
    handler: WebSocketHandler<PathParams<P>, H>,
  ): this;
  ws(pattern: string | RegExp, ...rest: unknown[]): this {
    const where = `ws ${String(pattern)}`;
    const [given, handler] = rest.length === 1 ? [undefined, rest[0]] : rest.length === 2 ? rest : [];
    if (
      (typeof handler !== "function" && (handler === null || typeof handler !== "object")) ||
      (given !== undefined && (given === null || typeof given !== "object"))
    ) {
      throw new TypeError(
        `${where}: expected the socket's hooks (or a function giving them), after optional conditions`,
      );
    }
    const conditions = given as (Conditions & WebSocketRouteOptions) | undefined;
    const routeHandler = webSocketRouteHandler(where, handler as WebSocketHandler<any, any>, conditions ?? {});
    this.#webSockets = true;
    return this.#pushRoute("GET", pattern, conditions, routeHandler, { where, builtIn: [upgradeRequested] });
  }

  /** Registers a custom condition: `app.condition("probability", (p) => () => Math.random() < p)`. */
  condition(name: string, factory: ConditionFactory): this {
    this.#conditions.set(name, factory);
    return this;
  }

  /** The route table, in matching order (for `frank routes` and the development 404 page). */
  routes(): ReadonlyArray<{ method: string; pattern: string | RegExp; conditions: Conditions | undefined }> {
    return this.#routes
      .filter((route) => !route.implicit)
      .map(({ method, pattern, conditionSource }) => ({ method, pattern, conditions: conditionSource }));
  }

  /**
   * An OpenAPI 3.1 document of the route table: paths from the patterns, parameters and bodies
   * from the `validate` schemas, response types from `provides` (see openapi.ts; `frank openapi`).
   */
  openapi(info?: Partial<OpenApiInfo>): OpenApiDocument {
    return openApiDocument(this.routes(), {
      ...this.settings.openapi,
      info: { ...this.settings.openapi?.info, ...info },
    }).document;
  }

  /**
   * Routes, filters and error handlers under a prefix (sinatra-contrib's `namespace`): the
   * namespace's filters run only for paths under it, and its error handlers (`notFound` too)
   * answer those paths before the app's.
   *
   *   app.namespace("/api", (api) => {
   *     api.before((c) => void c.type("json"));
   *     api.get("/items/:id", (c) => ({ id: c.params.id }));
   *     api.notFound(() => ({ error: "no such endpoint" }));
   *   });
   */
  namespace(prefix: string, define: (ns: Namespace<V, H>) => void): this;
  namespace(prefix: string, conditions: Conditions, define: (ns: Namespace<V, H>) => void): this;
  namespace(prefix: string, ...rest: unknown[]): this {
    const define = rest.pop() as (ns: Namespace<V, H>) => void;
    const conditions = (rest[0] as Conditions | undefined) ?? {};
    define(new Namespace<V, H>(this.#namespaceTarget(), prefix, conditions));
    return this;
  }

  #namespaceTarget(): NamespaceTarget {
    return {
      route: (method, pattern, rest) =>
        method === "GET" ? this.get(pattern, ...(rest as [any])) : this.route(method, pattern, ...(rest as [any])),
      filter: (kind, patterns, rest, scopeOnly) => {
        const [conditionSource, handler] = splitConditions(rest, "filter");
        (kind === "before" ? this.#before : this.#after).push(
          this.#makeFilter(patterns, conditionSource, handler, scopeOnly),
        );
        this.#compiled = undefined;
      },
      error: (key, handler, scope) => {
        for (const pattern of scope) compilePattern(pattern);
        this.#errors.push({ key, handler, scope });
        this.#compiled = undefined;
      },
    };
  }

  // ---- filters, errors, helpers, middleware, lifecycle -------------------------------------------

  before(handler: RouteHandler<RouteParams, H, V>): this;
  before<P extends string | RegExp>(pattern: P, handler: RouteHandler<PathParams<P>, H, V>): this;
  before<P extends string | RegExp>(
    pattern: P,
    conditions: Conditions,
    handler: RouteHandler<PathParams<P>, H, V>,
  ): this;
  before(...args: unknown[]): this {
    this.#before.push(this.#filter(args));
    return this;
  }

  after(handler: RouteHandler<RouteParams, H, V>): this;
  after<P extends string | RegExp>(pattern: P, handler: RouteHandler<PathParams<P>, H, V>): this;
  after<P extends string | RegExp>(
    pattern: P,
    conditions: Conditions,
    handler: RouteHandler<PathParams<P>, H, V>,
  ): this;
  after(...args: unknown[]): this {
    this.#after.push(this.#filter(args));
    return this;
  }

  #filter(args: unknown[]): Filter {
    const pattern =
      typeof args[0] === "string" || args[0] instanceof RegExp ? (args.shift() as string | RegExp) : undefined;
    const [conditionSource, handler] = splitConditions(args, "filter");
    this.#compiled = undefined;
    return this.#makeFilter(pattern === undefined ? undefined : [pattern], conditionSource, handler, false);
  }

  #makeFilter(
    patterns: ReadonlyArray<string | RegExp> | undefined,
    conditionSource: Conditions | undefined,
    handler: RouteHandler<any, any, any>,
    scopeOnly: boolean,
  ): Filter {
    for (const name of ROUTE_OPTIONS) {
      if (conditionSource?.[name] !== undefined) throw new TypeError(`filter: "${name}" applies to routes only`);
    }
    // A malformed pattern fails here, at definition; the patterns compile with the routes.
    for (const pattern of patterns ?? []) compilePattern(pattern);
    return { patterns, conditions: compileConditions(conditionSource, this.#conditions), handler, scopeOnly };
  }

  /** Handles a 404 from any source (no route, `c.notFound()`, `halt(404)`, a missing `sendFile`). */
  notFound(handler: ErrorHandler<H, V>): this {
    return this.error(404, handler);
  }

  /**
   * `error(handler)` for every error, `error(ErrorClass, h)` for a class and its subclasses,
   * `error(500, h)` or `error([400, 499], h)` for statuses (also when a route answers that status).
   * When several match, the one defined last answers first, as in Sinatra; a handler that returns
   * nothing hands on to the next, and after the last to frank's default page.
   */
  error(handler: ErrorHandler<H, V>): this;
  error(key: ErrorKey, handler: ErrorHandler<H, V>): this;
  error(keyOrHandler: ErrorKey | ErrorHandler<H, V>, handler?: ErrorHandler<H, V>): this {
    if (handler === undefined)
      this.#errors.push({ key: undefined, handler: keyOrHandler as ErrorHandler<H, V>, scope: undefined });
    else this.#errors.push({ key: keyOrHandler as ErrorKey, handler, scope: undefined });
    this.#compiled = undefined;
    return this;
  }

  /** Methods every route can call on `c` (Sinatra's `helpers`); `this` is the Context. */
  helpers<M extends Record<string, (...args: any[]) => unknown>>(
    methods: M & ThisType<Context<RouteParams, V> & H & M>,
  ): App<V, H & M> {
    Object.assign(this.#helpers, methods);
    this.#compiled = undefined;
    return this as unknown as App<V, H & M>;
  }

  /**
   * Wraps the app in a middleware; the first `use` is the outermost. Besides a Web-standard
   * middleware, `use` takes another App (or App class), as Sinatra's `use LoginScreen`: it answers
   * the routes it has and hands every other request to this app. Any other `{ fetch }` app is
   * tried first and passes a request on when it answers 404 with `X-Cascade: pass` (Rack's cascade).
   */
  use(middleware: Usable): this {
    this.#middleware.push(toMiddleware(middleware));
    this.#compiled = undefined;
    return this;
  }

  /** This app as middleware in front of `next`: what no route here matches, `next` answers (Sinatra's `forward`). */
  asMiddleware(): Middleware {
    return (next: Handler) => {
      let dispatch: Dispatch | undefined;
      return (req) => {
        dispatch ??= this.#compile(next);
        return dispatch.handler(req);
      };
    };
  }

  /** Runs when the server starts listening (Sinatra's on_start). */
  onStart(hook: () => unknown): this {
    this.#startHooks.push(hook);
    return this;
  }

  /** Runs when the server is shutting down (Sinatra's on_stop). */
  onStop(hook: () => unknown): this {
    this.#stopHooks.push(hook);
    return this;
  }

  /**
   * True when the app has WebSocket routes; the server then loads the `ws` package before it
   * listens. Reading it checks the WebSocket settings (a wrong one throws, so frank does not start).
   * Called by the server, which finds it by its registered symbol (server/ never imports app/).
   */
  get [usesWebSockets](): boolean {
    if (this.#webSockets) webSocketLimits({}, this.settings);
    return this.#webSockets;
  }

  /**
   * The largest body a route matching `req` accepts (its `maxBodySize` option), or undefined when
   * no such route raises the server's limit. The server asks only for a body over its own limit.
   */
  [maxBodySizeFor](req: Request): number | undefined {
    this.#compiled ??= this.#compile();
    return this.#compiled.maxBodySizeFor(req);
  }

  /** Called by the server, which finds it by its registered symbol (server/ never imports app/). */
  async [runStartHooks](): Promise<void> {
    for (const hook of this.#startHooks) await hook();
  }

  async [runStopHooks](): Promise<void> {
    for (const hook of this.#stopHooks) await hook();
  }

  // ---- serving -------------------------------------------------------------------------------

  /**
   * The Web-standard handler. Never throws or rejects: the worst case is a 500. Like Hono's,
   * it answers synchronously when every step of the request did, else with a promise.
   */
  readonly fetch = (req: Request): Response | Promise<Response> => {
    this.#compiled ??= this.#compile();
    return this.#compiled.handler(req);
  };

  /**
   * Builds the app for serving now: routes and filters, the middleware stack (the session secret
   * is checked here), the public folder and views. `serve()` and `frank` call it before they
   * listen, so a configuration error stops the start instead of failing every request. Settings
   * are fixed from here on, as after a first request; a later `use` or route compiles again on
   * the next request.
   */
  compile(): this {
    this.#compiled ??= this.#compile();
    return this;
  }

  /** An in-process request for tests: `await app.request("/hello?x=1")`, no socket. */
  async request(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    if (input instanceof Request) return this.fetch(init ? new Request(input, init) : input);
    const url = typeof input === "string" && input.startsWith("/") ? `http://localhost${input}` : input;
    return this.fetch(new Request(url, init));
  }

  /** Logs an error with its stack and request: readable in development, a JSON line otherwise. */
  [logError](error: unknown, req: Request): void {
    if (!dumpsErrors(this.#settings)) return;
    const format = this.environment === "development" ? "dev" : "json";
    if (this.#errorLog?.format !== format) this.#errorLog = { format, write: errorLog({ format }) };
    this.#errorLog.write(error, req);
  }

  #compile(downstream?: Handler): Dispatch {
    if (!this.#served) {
      this.#served = true;
      Object.freeze(this.#settings);
    }
    return new Dispatch(
      this,
      {
        routes: this.#routes,
        before: this.#before,
        after: this.#after,
        errors: this.#errors,
        middleware: this.#middleware,
        helpers: this.#helpers,
        mimeTypes: this.#mimeTypes,
        templates: this.#templates,
      },
      downstream,
    );
  }
}

for (const verb of VERBS) {
  const method = verb.toUpperCase();
  Object.defineProperty(App.prototype, verb, {
    value(this: App, pattern: string | RegExp, ...rest: [RouteHandler<any>]) {
      return this.route(method, pattern, ...rest);
    },
  });
}

function splitConditions(rest: unknown[], what: string): [Conditions | undefined, RouteHandler<any, any, any>] {
  const [first, second] = rest;
  if (typeof first === "function" && rest.length === 1) return [undefined, first as RouteHandler<any, any, any>];
  if (first && typeof first === "object" && typeof second === "function" && rest.length === 2) {
    return [first as Conditions, second as RouteHandler<any, any, any>];
  }
  throw new TypeError(`${what}: expected a handler function, or conditions and a handler`);
}

/** A class (`class X extends App {}`), told apart from a middleware function by its source. */
export function isClass(value: unknown): value is new () => unknown {
  return typeof value === "function" && /^class[\s{]/.test(Function.prototype.toString.call(value));
}

function toMiddleware(usable: Usable): Middleware {
  const target = isClass(usable) ? new usable() : usable;
  if (typeof target === "function") return target as Middleware;
  const app = target as FetchApp & { asMiddleware?: () => Middleware };
  // Another frank App (from this copy of frank or another) forwards what it has no route for.
  if (typeof app.asMiddleware === "function") return app.asMiddleware();
  if (typeof app.fetch === "function") return cascade(app);
  throw new TypeError("use: expected a middleware (next) => handler, an App, or an object with fetch(request)");
}

/** A route's formLimits, checked where it is defined: a wrong one is a TypeError naming the route. */
function checkFormLimits(limits: FormLimits, where: string): void {
  try {
    resolveFormLimits(limits);
  } catch (error) {
    throw new TypeError(`${where}: formLimits: ${(error as Error).message}`);
  }
}
