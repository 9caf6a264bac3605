// The request pipeline of an App, in Sinatra's order:
//
//   static file (GET/HEAD, from the public folder)  -> answered, nothing else runs
//   before filters (in definition order)
//   first route that matches and whose conditions hold; `pass()` moves on to the next one
//   error handlers (a thrown error, `halt` with an error status, or no route: a 404)
//   after filters (they see the response and may change it)
//   status handler (`error(404, h)` also runs for a 404 a route answered without an error)
//
// Every step answers synchronously unless it really awaits something: a step returns a value, or
// a promise only when it must, and the next step follows it the same way (see maybe-async.ts).
// So a sync route gives a sync `app.fetch`, and the Node adapter writes it in the same turn.
// How a request stands between steps is an Outcome: a static file's Response, or a string.
import { bufferedParts, bufferedResponse } from "../http/buffered-response.js";
import { compose } from "../http/compose.js";
import { escapeHtml } from "../http/escape-html.js";
import { HttpError, statusText } from "../http/http-error.js";
import { splitRequestUrl } from "../http/request-path.js";
import { recordRoute } from "../http/route-record.js";
import type { Handler } from "../http/types.js";
import { cookieSession } from "../middleware/cookie-session.js";
import { hostAuthorization } from "../middleware/host-authorization.js";
import { renderNotFoundPage } from "../middleware/not-found-page.js";
import { renderErrorPage } from "../middleware/show-exceptions.js";
import type { RouteParams } from "../router/pattern.js";
import { type RouteMatch, Router } from "../router/router.js";
import { createPublicFolder, type PublicFolder } from "../static/public-folder.js";
import { AllowedMethods } from "./allowed-methods.js";
import { conditionsHold } from "./conditions.js";
import { Context } from "./context.js";
import type { Definition, ErrorHandler, Filter, RouteEntry } from "./definition.js";
import { internalServerError, NotFound, ROUTE_NOT_FOUND, statusOf, statusPage } from "./errors.js";
import { andThen, forEachInOrder, type MaybePromise } from "./maybe-async.js";
import { hostAuthorizationOf, type Settings, showsExceptions, staticFolderOf, viewsFolderOf } from "./settings.js";
import { Halt, Pass } from "./signals.js";
import { PROBLEM_JSON, ValidationError } from "./validation.js";
import { createViewRenderer } from "./views.js";

/** What the dispatch needs of its App (an interface, so this file does not import app.ts). */
export interface DispatchedApp {
  readonly settings: Settings;
  readonly environment: string;
  logError(error: unknown, req: Request): void;
  routes(): ReadonlyArray<{ method: string; pattern: string | RegExp }>;
}

const EMPTY_PARAMS: RouteParams = Object.freeze({}) as RouteParams;

/**
 * How a request stands before the error handlers and after filters: a static file (its Response),
 * a route answered or halted ("routed"), no route matched ("unrouted"), an error handled ("errored").
 */
type Outcome = Response | "routed" | "unrouted" | "errored";

/**
 * The app frozen for serving: the route table compiled once, the static folder and middleware
 * resolved once. Everything per request starts in `#dispatch`.
 */
export class Dispatch {
  readonly handler: Handler;
  readonly #app: DispatchedApp;
  #routeSummary: ReadonlyArray<{ method: string; pattern: string }> | undefined;
  readonly #def: Definition;
  readonly #router: Router<RouteEntry>;
  readonly #staticFiles: PublicFolder | undefined;
  readonly #ContextClass: typeof Context;
  readonly #host: ConstructorParameters<typeof Context>[1];
  /** Set when the `methodNotAllowed` setting is on. */
  readonly #allowed: AllowedMethods<RouteEntry> | undefined;

  constructor(app: DispatchedApp, def: Definition) {
    this.#app = app;
    this.#def = def;
    const settings = app.settings;
    this.#router = new Router<RouteEntry>({ strictPaths: settings.strictPaths });
    for (const route of def.routes) this.#router.add(route.method, route.pattern, route);
    const methods = def.routes.map((route) => route.method);
    this.#allowed = settings.methodNotAllowed ? new AllowedMethods(this.#router, methods) : undefined;

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
        return "routed";
      } catch (invalid) {
        error = invalid; // halt with a result that cannot be a response
      }
    }
    return andThen(this.#handleError(c, error), () => "errored");
  }

  #complete(c: Context<any>, path: string, outcome: Outcome): MaybePromise<Response> {
    if (outcome instanceof Response) return outcome; // a static file
    if (outcome === "unrouted") {
      const allowed = this.#allowed?.for(path);
      const method = c.req.method;
      if (allowed !== undefined && allowed.length > 0 && (method === "OPTIONS" || !allowed.includes(method))) {
        return this.#refuseMethod(c, path, allowed.join(", "));
      }
      // No route matched: a 404 through the error handlers, without the cost of a throw.
      return andThen(this.#handleError(c, ROUTE_NOT_FOUND), () => this.#finish(c, path, true));
    }
    return this.#finish(c, path, outcome === "errored");
  }

  /** `methodNotAllowed`: OPTIONS is answered with the methods, any other method is a 405 that lists them. */
  #refuseMethod(c: Context<any>, path: string, allow: string): MaybePromise<Response> {
    if (c.req.method === "OPTIONS") {
      c.status(204).header("allow", allow);
      return this.#finish(c, path, false);
    }
    const refusal = new HttpError(405, undefined, { headers: { allow } });
    return andThen(this.#handleError(c, refusal), () => this.#finish(c, path, true));
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

  /** Runs the first matching route whose conditions hold; "unrouted" when none did. */
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
    return "unrouted";
  }

  /** Runs a route's handler; a `pass()` moves on to the next matching route. */
  #invoke(
    c: Context<any>,
    route: RouteEntry,
    matches: Iterator<RouteMatch<RouteEntry>>,
    baseParams: Record<string, unknown> | undefined,
  ): MaybePromise<Outcome> {
    recordRoute(c.req, route.label);
    let result: unknown;
    try {
      result = route.validation === undefined ? route.handler(c) : validThenHandle(route, c);
    } catch (signal) {
      return this.#passOn(signal, c, matches, baseParams);
    }
    if (result instanceof Promise) {
      return result.then(
        (value: unknown) => {
          c.apply(value);
          return "routed";
        },
        (signal: unknown) => this.#passOn(signal, c, matches, baseParams),
      );
    }
    c.apply(result);
    return "routed";
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
    if (error instanceof ValidationError) {
      c.type(PROBLEM_JSON);
      c.apply(error.problem());
      return;
    }
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
      // The same array every time: the page keeps the route list it renders from it (dispatch is
      // made anew when a route is added).
      this.#routeSummary ??= this.#app.routes().map(({ method, pattern }) => ({ method, pattern: String(pattern) }));
      c.apply(renderNotFoundPage(c.req, this.#routeSummary));
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

/** A route with `validate` schemas: its handler runs once they pass (a failure throws a ValidationError). */
function validThenHandle(route: RouteEntry, c: Context<any>): unknown {
  return andThen(route.validation!.run(c), () => route.handler(c));
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
