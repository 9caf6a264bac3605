import type { Middleware } from "../http/types.js";
import { errorLog } from "../middleware/access-log.js";
import type { PathParams } from "../router/params.js";
import { compilePattern, type RouteParams } from "../router/pattern.js";
import { Router } from "../router/router.js";
import { type ConditionFactory, type Conditions, compileConditions, ROUTE_OPTIONS } from "./conditions.js";
import type { Context } from "./context.js";
import type { ErrorEntry, ErrorHandler, ErrorKey, Filter, NoHelpers, RouteEntry, RouteHandler } from "./definition.js";
import { Dispatch } from "./dispatch.js";
import { type OpenApiDocument, type OpenApiInfo, openApiDocument } from "./openapi.js";
import { defaultSettings, dumpsErrors, type KnownSettings, type Settings } from "./settings.js";
import { compileValidation, type RouteSchemas, type Validated } from "./validation.js";

export type { ErrorHandler, NoHelpers, RouteHandler } from "./definition.js";
export { NotFound } from "./errors.js";

/** The middle argument of a route: conditions, and `validate` schemas whose outputs type `c.valid`. */
export type RouteOptions<S extends RouteSchemas> = Conditions & { validate?: S };

/** A route-defining method: `(pattern, handler)` or `(pattern, conditions, handler)`. */
export interface Verb<H extends object> {
  <P extends string | RegExp>(pattern: P, handler: RouteHandler<PathParams<P>, H>): App<H>;
  <P extends string | RegExp, S extends RouteSchemas = NoHelpers>(
    pattern: P,
    conditions: RouteOptions<S>,
    handler: RouteHandler<PathParams<P>, H, Validated<S>>,
  ): App<H>;
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
  #compiled: Dispatch | undefined;

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
  get<P extends string | RegExp, S extends RouteSchemas = NoHelpers>(
    pattern: P,
    conditions: RouteOptions<S>,
    handler: RouteHandler<PathParams<P>, H, Validated<S>>,
  ): this;
  get(pattern: string | RegExp, ...rest: unknown[]): this {
    // Like Sinatra, a GET route also answers HEAD (the body is dropped on the way out).
    this.#addRoute("GET", pattern, rest);
    return this.#addRoute("HEAD", pattern, rest, true);
  }
  /** A route for any method name, e.g. `route("PROPFIND", "/dav/*", h)`. */
  route<P extends string | RegExp>(method: string, pattern: P, handler: RouteHandler<PathParams<P>, H>): this;
  route<P extends string | RegExp, S extends RouteSchemas = NoHelpers>(
    method: string,
    pattern: P,
    conditions: RouteOptions<S>,
    handler: RouteHandler<PathParams<P>, H, Validated<S>>,
  ): this;
  route(method: string, pattern: string | RegExp, ...rest: unknown[]): this {
    const verb = method.toUpperCase();
    if (!/^[!#$%&'*+.^_`|~0-9A-Z-]+$/.test(verb)) throw new TypeError(`"${method}" is not an HTTP method name`);
    if (verb === "GET") return this.get(pattern, ...(rest as [RouteHandler<any, H>]));
    return this.#addRoute(verb, pattern, rest);
  }

  #addRoute(method: string, pattern: string | RegExp, rest: unknown[], implicit = false): this {
    const where = `${method} ${String(pattern)}`;
    const [conditionSource, handler] = splitConditions(rest, where);
    compilePattern(pattern); // a malformed pattern fails here, at definition, not at the first request
    const conditions = compileConditions(conditionSource, this.#conditions);
    const schemas = conditionSource?.validate;
    const validation = schemas === undefined ? undefined : compileValidation(schemas, where);
    this.#routes.push({
      method,
      pattern,
      label: String(pattern),
      conditionSource,
      conditions,
      handler,
      validation,
      implicit,
    });
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
    for (const name of ROUTE_OPTIONS) {
      if (conditionSource?.[name] !== undefined) throw new TypeError(`filter: "${name}" applies to routes only`);
    }
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

  #compile(): Dispatch {
    return new Dispatch(this, {
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
