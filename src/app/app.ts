import { bufferedParts, bufferedResponse } from "../http/buffered-response.js";
import { compose } from "../http/compose.js";
import { escapeHtml } from "../http/escape-html.js";
import { HttpError, statusText } from "../http/http-error.js";
import { splitRequestUrl } from "../http/request-path.js";
import type { Handler, Middleware } from "../http/types.js";
import { errorLog } from "../middleware/access-log.js";
import { cookieSession } from "../middleware/cookie-session.js";
import { hostAuthorization } from "../middleware/host-authorization.js";
import { renderNotFoundPage } from "../middleware/not-found-page.js";
import { renderErrorPage } from "../middleware/show-exceptions.js";
import type { PathParams } from "../router/params.js";
import { compilePattern, type RouteParams } from "../router/pattern.js";
import { Router, type RouteMatch } from "../router/router.js";
import { createPublicFolder, type PublicFolder } from "../static/public-folder.js";
import {
  compileConditions,
  conditionsHold,
  type Condition,
  type ConditionFactory,
  type Conditions,
} from "./conditions.js";
import { Context } from "./context.js";
import {
  defaultSettings,
  dumpsErrors,
  hostAuthorizationOf,
  showsExceptions,
  staticFolderOf,
  viewsFolderOf,
  type KnownSettings,
  type Settings,
} from "./settings.js";
import { andThen, forEachInOrder, type MaybePromise } from "./maybe-async.js";
import { Halt, Pass } from "./signals.js";
import { createViewRenderer } from "./views.js";

/** The helper methods of an app that declared none (`{}` intersects with Context to nothing). */
// biome-ignore lint/complexity/noBannedTypes: `{}` is the identity of `&`, which is what "no helpers" must be
export type NoHelpers = {};

export type RouteHandler<P, H = NoHelpers> = (c: Context<P> & H) => unknown;
export type ErrorHandler<H = NoHelpers> = (c: Context<RouteParams> & H, error: any) => unknown;
type AnyErrorClass = abstract new (...args: any[]) => unknown;
type ErrorKey = AnyErrorClass | number | readonly [number, number];

interface RouteEntry {
  method: string;
  pattern: string | RegExp;
  conditions: Condition[];
  conditionSource: Conditions | undefined;
  handler: RouteHandler<any, any>;
  /** The HEAD twin a `get` adds; not listed in the route table. */
  implicit: boolean;
}

interface Filter {
  router: Router<Filter> | undefined; // a filter with a pattern matches through its own one-route router
  conditions: Condition[];
  handler: RouteHandler<any, any>;
}

interface ErrorEntry {
  key: ErrorKey | undefined; // undefined: every error (Sinatra's `error do … end`)
  handler: ErrorHandler<any>;
}

const EMPTY_PARAMS: RouteParams = Object.freeze({}) as RouteParams;

/** How a request stands before error handlers and after filters: a static file, a route answered (or halted), no route, an error handled. */
const ROUTED = 1;
const UNROUTED = 2;
const ERRORED = 3;
type Outcome = Response | typeof ROUTED | typeof UNROUTED | typeof ERRORED;

/** A route-defining method: `(pattern, handler)` or `(pattern, conditions, handler)`. */
export interface Verb<H extends object> {
  <P extends string | RegExp>(pattern: P, handler: RouteHandler<PathParams<P>, H>): App<H>;
  <P extends string | RegExp>(pattern: P, conditions: Conditions, handler: RouteHandler<PathParams<P>, H>): App<H>;
}

/** The verbs besides `get` (which also answers HEAD), defined on the prototype below. */
const VERBS = ["post", "put", "patch", "delete", "options", "head", "link", "unlink"] as const;

export interface App<H extends object = NoHelpers> extends Record<(typeof VERBS)[number], Verb<H>> {}

/**
 * A frank application: Sinatra's DSL over Web-standard Request/Response.
 * `app.fetch` is a plain handler, so any server, Builder or test can run it.
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the interface above declares the verbs the loop below the class defines on App.prototype
export class App<H extends object = NoHelpers> {
  readonly settings: Settings = defaultSettings();

  readonly #routes: RouteEntry[] = [];
  readonly #before: Filter[] = [];
  readonly #after: Filter[] = [];
  readonly #errors: ErrorEntry[] = [];
  readonly #middleware: Middleware[] = [];
  readonly #conditions = new Map<string, ConditionFactory>();
  readonly #helpers: Record<string, unknown> = {};
  readonly #startHooks: Array<() => unknown> = [];
  readonly #stopHooks: Array<() => unknown> = [];
  #errorLog: { format: "dev" | "json"; write: (error: unknown, req?: Request) => void } | undefined;
  /** Built on the first request (after every `set`), dropped when routes or settings change. */
  #compiled: Compiled | undefined;

  // ---- settings ------------------------------------------------------------------------------

  set<K extends keyof KnownSettings>(name: K, value: KnownSettings[K]): this;
  set(name: string, value: unknown): this;
  set(values: Partial<KnownSettings> & Record<string, unknown>): this;
  set(nameOrValues: string | Record<string, unknown>, value?: unknown): this {
    const values = typeof nameOrValues === "string" ? { [nameOrValues]: value } : nameOrValues;
    Object.assign(this.settings, values);
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
    return this.settings.environment;
  }

  /** Runs `fn` now when the environment is one of `envs` (or always, with no envs). */
  configure(...args: [...envs: string[], fn: (app: this) => void]): this {
    const fn = args.pop() as (app: this) => void;
    if (args.length === 0 || (args as string[]).includes(this.environment)) fn(this);
    return this;
  }

  // ---- routes --------------------------------------------------------------------------------

  get<P extends string | RegExp>(pattern: P, handler: RouteHandler<PathParams<P>, H>): this;
  get<P extends string | RegExp>(pattern: P, conditions: Conditions, handler: RouteHandler<PathParams<P>, H>): this;
  get(pattern: string | RegExp, ...rest: unknown[]): this {
    // Like Sinatra, a GET route also answers HEAD (the body is dropped on the way out).
    this.#addRoute("GET", pattern, rest);
    return this.#addRoute("HEAD", pattern, rest, true);
  }
  /** A route for any method name, e.g. `route("PROPFIND", "/dav/*", h)`. */
  route<P extends string | RegExp>(method: string, pattern: P, handler: RouteHandler<PathParams<P>, H>): this;
  route<P extends string | RegExp>(
    method: string,
    pattern: P,
    conditions: Conditions,
    handler: RouteHandler<PathParams<P>, H>,
  ): this;
  route(method: string, pattern: string | RegExp, ...rest: unknown[]): this {
    const verb = method.toUpperCase();
    if (!/^[!#$%&'*+.^_`|~0-9A-Z-]+$/.test(verb)) throw new TypeError(`"${method}" is not an HTTP method name`);
    if (verb === "GET") return this.get(pattern, ...(rest as [RouteHandler<any, H>]));
    return this.#addRoute(verb, pattern, rest);
  }

  #addRoute(method: string, pattern: string | RegExp, rest: unknown[], implicit = false): this {
    const [conditionSource, handler] = splitConditions(rest, `${method} ${String(pattern)}`);
    compilePattern(pattern); // a malformed pattern fails here, at definition, not at the first request
    const conditions = compileConditions(conditionSource, this.#conditions);
    this.#routes.push({ method, pattern, conditionSource, conditions, handler, implicit });
    this.#compiled = undefined;
    return this;
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

  // ---- filters, errors, helpers, middleware, lifecycle -------------------------------------------

  before(handler: RouteHandler<RouteParams, H>): this;
  before<P extends string | RegExp>(pattern: P, handler: RouteHandler<PathParams<P>, H>): this;
  before<P extends string | RegExp>(pattern: P, conditions: Conditions, handler: RouteHandler<PathParams<P>, H>): this;
  before(...args: unknown[]): this {
    this.#before.push(this.#filter(args));
    return this;
  }

  after(handler: RouteHandler<RouteParams, H>): this;
  after<P extends string | RegExp>(pattern: P, handler: RouteHandler<PathParams<P>, H>): this;
  after<P extends string | RegExp>(pattern: P, conditions: Conditions, handler: RouteHandler<PathParams<P>, H>): this;
  after(...args: unknown[]): this {
    this.#after.push(this.#filter(args));
    return this;
  }

  #filter(args: unknown[]): Filter {
    const pattern =
      typeof args[0] === "string" || args[0] instanceof RegExp ? (args.shift() as string | RegExp) : undefined;
    const [conditionSource, handler] = splitConditions(args, "filter");
    let router: Router<Filter> | undefined;
    const filter: Filter = {
      router: undefined,
      conditions: compileConditions(conditionSource, this.#conditions),
      handler,
    };
    if (pattern !== undefined) {
      router = new Router<Filter>({ strictPaths: this.settings.strictPaths });
      router.add("*", pattern, filter);
      filter.router = router;
    }
    this.#compiled = undefined;
    return filter;
  }

  /** Handles a 404 from any source (no route, `c.notFound()`, `halt(404)`). */
  notFound(handler: ErrorHandler<H>): this {
    return this.error(404, handler);
  }

  /**
   * `error(handler)` for every error, `error(ErrorClass, h)` for a class and its subclasses,
   * `error(500, h)` or `error([400, 499], h)` for statuses (also when a route answers that status).
   */
  error(handler: ErrorHandler<H>): this;
  error(key: ErrorKey, handler: ErrorHandler<H>): this;
  error(keyOrHandler: ErrorKey | ErrorHandler<H>, handler?: ErrorHandler<H>): this {
    if (handler === undefined) this.#errors.push({ key: undefined, handler: keyOrHandler as ErrorHandler<H> });
    else this.#errors.push({ key: keyOrHandler as ErrorKey, handler });
    return this;
  }

  /** Methods every route can call on `c` (Sinatra's `helpers`); `this` is the Context. */
  helpers<M extends Record<string, (...args: any[]) => unknown>>(
    methods: M & ThisType<Context<RouteParams> & H & M>,
  ): App<H & M> {
    Object.assign(this.#helpers, methods);
    this.#compiled = undefined;
    return this as unknown as App<H & M>;
  }

  /** Wraps the app in a Web-standard middleware; the first `use` is the outermost. */
  use(middleware: Middleware): this {
    this.#middleware.push(middleware);
    this.#compiled = undefined;
    return this;
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

  /** Called by the server (duck-typed: server/ never imports app/). */
  async runStartHooks(): Promise<void> {
    for (const hook of this.#startHooks) await hook();
  }

  async runStopHooks(): Promise<void> {
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

  /** An in-process request for tests: `await app.request("/hello?x=1")`, no socket. */
  async request(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    if (input instanceof Request) return this.fetch(init ? new Request(input, init) : input);
    const url = typeof input === "string" && input.startsWith("/") ? `http://localhost${input}` : input;
    return this.fetch(new Request(url, init));
  }

  /** Logs an error with its stack and request: readable in development, a JSON line otherwise. */
  logError(error: unknown, req: Request): void {
    if (!dumpsErrors(this.settings)) return;
    const format = this.environment === "development" ? "dev" : "json";
    if (this.#errorLog?.format !== format) this.#errorLog = { format, write: errorLog({ format }) };
    this.#errorLog.write(error, req);
  }

  #compile(): Compiled {
    return new Compiled(this, {
      routes: this.#routes,
      before: this.#before,
      after: this.#after,
      errors: this.#errors,
      middleware: this.#middleware,
      helpers: this.#helpers,
    });
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

function splitConditions(rest: unknown[], what: string): [Conditions | undefined, RouteHandler<any, any>] {
  const [first, second] = rest;
  if (typeof first === "function" && rest.length === 1) return [undefined, first as RouteHandler<any, any>];
  if (first && typeof first === "object" && typeof second === "function" && rest.length === 2) {
    return [first as Conditions, second as RouteHandler<any, any>];
  }
  throw new TypeError(`${what}: expected a handler function, or conditions and a handler`);
}

interface Definition {
  routes: readonly RouteEntry[];
  before: readonly Filter[];
  after: readonly Filter[];
  errors: readonly ErrorEntry[];
  middleware: readonly Middleware[];
  helpers: Record<string, unknown>;
}

/**
 * The app frozen for serving: the route table compiled once, the static folder and middleware
 * resolved once. Everything per request happens in `dispatch`.
 */
class Compiled {
  readonly handler: Handler;
  readonly #app: App<any>;
  readonly #def: Definition;
  readonly #router: Router<RouteEntry>;
  readonly #staticFiles: PublicFolder | undefined;
  readonly #ContextClass: typeof Context;
  readonly #host: ConstructorParameters<typeof Context>[1];

  constructor(app: App<any>, def: Definition) {
    this.#app = app;
    this.#def = def;
    const settings = app.settings;
    this.#router = new Router<RouteEntry>({ strictPaths: settings.strictPaths });
    for (const route of def.routes) this.#router.add(route.method, route.pattern, route);

    const folder = staticFolderOf(settings);
    this.#staticFiles = folder
      ? createPublicFolder({
          folder,
          index: settings.staticIndex,
          cacheControl: settings.staticCacheControl,
          headers: settings.staticHeaders,
        })
      : undefined;

    // Helpers become methods of this app's own Context class.
    this.#ContextClass = Context;
    if (Object.keys(def.helpers).length > 0) {
      this.#ContextClass = class HelperContext extends Context {} as typeof Context;
      Object.assign(this.#ContextClass.prototype, def.helpers);
    }

    let renderer: ReturnType<typeof createViewRenderer> | undefined;
    this.#host = {
      settings,
      logError: (error, req) => app.logError(error, req),
      render: (name, locals, options) => {
        renderer ??= createViewRenderer({
          views: viewsFolderOf(settings),
          cache: settings.environment !== "development",
        });
        return renderer.render(name, locals, options);
      },
    };

    const middleware = [...def.middleware];
    const hostGuard = hostAuthorizationOf(settings);
    if (hostGuard) middleware.unshift(hostAuthorization(hostGuard));
    if (settings.sessions) {
      const options = typeof settings.sessions === "object" ? settings.sessions : {};
      middleware.push(cookieSession({ environment: settings.environment, ...options }));
    }
    const dispatch = (req: Request) => this.#dispatch(req);
    this.handler = middleware.length > 0 ? guard(compose(...middleware)(dispatch)) : dispatch;
  }

  #dispatch(req: Request): MaybePromise<Response> {
    const { path, search } = splitRequestUrl(req.url);
    const c = new this.#ContextClass(req, this.#host, search, EMPTY_PARAMS);
    const head = req.method === "HEAD";
    try {
      const response = this.#run(c, path);
      if (response instanceof Promise) {
        return response.then(
          (answer) => (head ? withoutBody(answer) : answer),
          (error) => this.#internalError(req, error),
        );
      }
      return head ? withoutBody(response) : response;
    } catch (error) {
      return this.#internalError(req, error);
    }
  }

  /** Only a bug in frank itself gets here; still answer instead of hanging the request. */
  #internalError(req: Request, error: unknown): Response {
    this.#app.logError(error, req);
    return internalServerError();
  }

  /**
   * Static file or filters and route, then the error handlers, after filters and the status
   * handler. Each step runs synchronously unless the one before it returned a promise.
   */
  #run(c: Context<any>, path: string): MaybePromise<Response> {
    let outcome: MaybePromise<Outcome>;
    try {
      outcome = this.#answer(c, path);
      if (outcome instanceof Promise) outcome = outcome.catch((error: unknown) => this.#recover(c, error));
    } catch (error) {
      outcome = this.#recover(c, error);
    }
    return outcome instanceof Promise
      ? outcome.then((settled) => this.#complete(c, path, settled))
      : this.#complete(c, path, outcome);
  }

  /** A static file answers at once; otherwise the before filters run, then the first route that matches. */
  #answer(c: Context<any>, path: string): MaybePromise<Outcome> {
    const method = c.req.method;
    if (this.#staticFiles !== undefined && (method === "GET" || method === "HEAD")) {
      // Static files skip filters and routes, as in Sinatra.
      const file = this.#staticFiles(c.req, path);
      if (file instanceof Promise) return file.then((found) => found ?? this.#filtersAndRoute(c, method, path));
      if (file !== undefined) return file;
    }
    return this.#filtersAndRoute(c, method, path);
  }

  #filtersAndRoute(c: Context<any>, method: string, path: string): MaybePromise<Outcome> {
    const before = this.#def.before;
    if (before.length === 0) return this.#firstRoute(c, this.#router.match(method, path), undefined);
    const baseParams: Record<string, unknown> = {};
    const filtered = forEachInOrder(before, (filter) => this.#runFilter(filter, c, path, baseParams));
    return andThen(filtered, () => {
      // Params that filters captured are merged into every route's own.
      const base = Object.keys(baseParams).length > 0 ? baseParams : undefined;
      return this.#firstRoute(c, this.#router.match(method, path), base);
    });
  }

  /** A `halt` answers the request; any other error goes through the error handlers. */
  #recover(c: Context<any>, error: unknown): MaybePromise<Outcome> {
    if (error instanceof Halt) {
      try {
        c.apply(error.result);
        return ROUTED;
      } catch (invalid) {
        error = invalid; // halt with a result that cannot be a response
      }
    }
    return andThen(this.#handleError(c, error), () => ERRORED);
  }

  #complete(c: Context<any>, path: string, outcome: Outcome): MaybePromise<Response> {
    if (outcome instanceof Response) return outcome; // a static file
    if (outcome === UNROUTED) {
      // No route matched: a 404 through the error handlers, without the cost of a throw.
      return andThen(this.#handleError(c, ROUTE_NOT_FOUND), () => this.#finish(c, path, true));
    }
    return this.#finish(c, path, outcome === ERRORED);
  }

  #finish(c: Context<any>, path: string, errored: boolean): MaybePromise<Response> {
    if (this.#def.after.length === 0) return this.#answerStatus(c, errored);
    return this.#runAfterFilters(c, path, errored).then((stillErrored) => this.#answerStatus(c, stillErrored));
  }

  /** A status answered without an error (halt(403), a route's 404) still gets its handler. */
  #answerStatus(c: Context<any>, errored: boolean): MaybePromise<Response> {
    if (!errored) {
      const handler = this.#statusHandler(c.status());
      if (handler) return andThen(this.#runErrorHandler(c, handler, undefined), () => c.finish());
    }
    return c.finish();
  }

  /** After filters see the response and may change its headers; their return values are ignored. Resolves to "errored". */
  async #runAfterFilters(c: Context<any>, path: string, errored: boolean): Promise<boolean> {
    c.res = c.finish();
    try {
      for (const filter of this.#def.after) {
        try {
          await this.#runFilter(filter, c, path, c.params as Record<string, unknown>);
        } catch (signal) {
          if (!(signal instanceof Halt)) throw signal;
          c.apply(signal.result);
        }
      }
    } catch (error) {
      if (errored) this.#app.logError(error, c.req);
      else {
        await this.#handleError(c, error);
        return true;
      }
    }
    return errored;
  }

  #runFilter(
    filter: Filter,
    c: Context<any>,
    path: string,
    baseParams: Record<string, unknown>,
  ): MaybePromise<unknown> {
    let params: RouteParams = baseParams as RouteParams;
    if (filter.router) {
      const match = filter.router.match("*", path).next();
      if (match.done) return;
      params = Object.assign(baseParams, match.value.params);
    }
    c.params = params;
    if (filter.conditions.length === 0) return filter.handler(c);
    return andThen(conditionsHold(filter.conditions, c), (held) => (held ? filter.handler(c) : undefined));
  }

  /** Runs the first matching route whose conditions hold; UNROUTED when none did. */
  #firstRoute(
    c: Context<any>,
    matches: Iterator<RouteMatch<RouteEntry>>,
    baseParams: Record<string, unknown> | undefined,
  ): MaybePromise<Outcome> {
    for (let next = matches.next(); !next.done; next = matches.next()) {
      const { value: route, params } = next.value;
      c.params = baseParams === undefined ? params : { ...baseParams, ...params };
      if (route.conditions.length === 0) return this.#invoke(c, route, matches, baseParams);
      const held = conditionsHold(route.conditions, c);
      if (held instanceof Promise) {
        return held.then((ok) =>
          ok ? this.#invoke(c, route, matches, baseParams) : this.#firstRoute(c, matches, baseParams),
        );
      }
      if (held) return this.#invoke(c, route, matches, baseParams);
    }
    c.params = baseParams ?? {};
    return UNROUTED;
  }

  /** Runs a route's handler; a `pass()` moves on to the next matching route. */
  #invoke(
    c: Context<any>,
    route: RouteEntry,
    matches: Iterator<RouteMatch<RouteEntry>>,
    baseParams: Record<string, unknown> | undefined,
  ): MaybePromise<Outcome> {
    let result: unknown;
    try {
      result = route.handler(c);
    } catch (signal) {
      return this.#passOn(signal, c, matches, baseParams);
    }
    if (result instanceof Promise) {
      return result.then(
        (value: unknown) => {
          c.apply(value);
          return ROUTED;
        },
        (signal: unknown) => this.#passOn(signal, c, matches, baseParams),
      );
    }
    c.apply(result);
    return ROUTED;
  }

  /** After a `pass()` the next matching route gets the request; anything else thrown goes on up. */
  #passOn(
    signal: unknown,
    c: Context<any>,
    matches: Iterator<RouteMatch<RouteEntry>>,
    baseParams: Record<string, unknown> | undefined,
  ): MaybePromise<Outcome> {
    if (signal instanceof Pass) return this.#firstRoute(c, matches, baseParams);
    throw signal;
  }

  #handleError(c: Context<any>, error: unknown): MaybePromise<void> {
    const status = statusOf(error);
    c.reset(status);
    c.error = error;
    if (status === 404) c.header("x-cascade", "pass");
    if (error instanceof HttpError) for (const name in error.headers) c.header(name, error.headers[name]);

    const handler = this.#classHandler(error) ?? this.#statusHandler(status);
    if (handler) return this.#runErrorHandler(c, handler, error);
    const settings = this.#app.settings;
    if (status >= 500) {
      this.#app.logError(error, c.req);
      if (showsExceptions(settings))
        return renderErrorPage(error, c.req, { appRoot: settings.root }).then((page) => c.apply(page));
      c.apply(statusPage(500));
      return;
    }
    if (
      status === 404 &&
      showsExceptions(settings) &&
      !(error instanceof HttpError && error.message !== statusText(404))
    ) {
      const routes = this.#app.routes().map(({ method, pattern }) => ({ method, pattern: String(pattern) }));
      c.apply(renderNotFoundPage(c.req, routes));
      return;
    }
    const message = error instanceof HttpError && error.expose ? error.message : statusText(status);
    c.apply(message === statusText(status) ? statusPage(status) : escapeHtml(message));
  }

  #runErrorHandler(c: Context<any>, handler: ErrorHandler, error: unknown): MaybePromise<void> {
    let result: unknown;
    try {
      result = handler(c, error);
      if (!(result instanceof Promise)) {
        c.apply(result);
        return;
      }
    } catch (signal) {
      this.#errorHandlerFailed(c, signal);
      return;
    }
    return result
      .then((value: unknown) => c.apply(value))
      .catch((signal: unknown) => this.#errorHandlerFailed(c, signal));
  }

  #errorHandlerFailed(c: Context<any>, signal: unknown): void {
    if (signal instanceof Halt) {
      c.apply(signal.result);
      return;
    }
    // An error handler that fails still ends in a plain 500, never a crash or a hung request.
    this.#app.logError(signal, c.req);
    c.reset(500);
    c.apply(statusPage(500));
  }

  #classHandler(error: unknown): ErrorHandler | undefined {
    const errors = this.#def.errors;
    if (errors.length === 0) return undefined;
    if (typeof error !== "object" || error === null) return this.#catchAll();
    // Walk the class chain, most specific first, as Sinatra walks ancestors.
    for (
      let proto = Object.getPrototypeOf(error);
      proto && proto !== Object.prototype;
      proto = Object.getPrototypeOf(proto)
    ) {
      for (const { key, handler } of errors) if (typeof key === "function" && key.prototype === proto) return handler;
    }
    return error instanceof NotFound ? undefined : this.#catchAll();
  }

  #catchAll(): ErrorHandler | undefined {
    for (const { key, handler } of this.#def.errors) if (key === undefined) return handler;
    return undefined;
  }

  #statusHandler(status: number): ErrorHandler | undefined {
    for (const { key, handler } of this.#def.errors) {
      if (typeof key === "number" ? key === status : Array.isArray(key) && status >= key[0] && status <= key[1])
        return handler;
    }
    return undefined;
  }
}

/** No route matched. */
export class NotFound extends HttpError {
  constructor() {
    super(404);
    this.name = "NotFound";
  }
}

// One shared instance: a miss is common (scanners, typos) and a stack trace per miss is costly.
// It is handed to the error handlers, never thrown.
const ROUTE_NOT_FOUND = new NotFound();

const statusPages = new Map<number, string>();

/** Sinatra's terse production page for a status ("<h1>Not Found</h1>"), built once per status. */
function statusPage(status: number): string {
  let page = statusPages.get(status);
  if (page === undefined) statusPages.set(status, (page = `<h1>${escapeHtml(statusText(status))}</h1>`));
  return page;
}

/** The answer when frank itself fails (a bug, a middleware that throws): a 500, never a hung request. */
function internalServerError(): Response {
  return new Response(statusPage(500), { status: 500, headers: { "content-type": "text/html;charset=utf-8" } });
}

function statusOf(error: unknown): number {
  if (error instanceof HttpError) return error.status;
  if (error instanceof URIError) return 400; // malformed percent-encoding in a path or capture
  const status =
    (error as { status?: unknown; statusCode?: unknown } | null)?.status ??
    (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === "number" && status >= 400 && status <= 599 ? status : 500;
}

function withoutBody(response: Response): Response {
  const parts = bufferedParts(response);
  if (parts) {
    if (parts.body === null) return response;
    const length = typeof parts.body === "string" ? Buffer.byteLength(parts.body) : parts.body.byteLength;
    return bufferedResponse({ ...parts, headers: { "content-length": String(length), ...parts.headers }, body: null });
  }
  if (response.body === null) return response;
  void response.body.cancel().catch(() => {});
  return new Response(null, { status: response.status, statusText: response.statusText, headers: response.headers });
}

/** Middleware may throw; the app's handler never throws or rejects. */
function guard(handler: Handler): Handler {
  const internalError = (error: unknown) => {
    console.error(error);
    return internalServerError();
  };
  return (req) => {
    try {
      const response = handler(req);
      return response instanceof Promise ? response.catch(internalError) : response;
    } catch (error) {
      return internalError(error);
    }
  };
}
