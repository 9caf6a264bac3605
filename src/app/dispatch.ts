// The request pipeline of an App, in Sinatra's order (base.rb's call! and dispatch!):
//
//   static file (GET/HEAD, from the public folder)  -> answered, nothing else runs
//   the urlencoded form is read, so params hold its fields from the first filter on
//   before filters (in definition order; `pass()` ends the filter it is in)
//   first route that matches and whose conditions hold (then its `validate` schemas); `pass()`
//     moves on to the next one; when none is left, the app downstream answers (an App used as
//     middleware), else a 405 when other methods have the path (`methodNotAllowed`), else a 404
//   error handlers (a thrown error, or no route) -- which ones, in which order: error-handlers.ts
//   after filters (for every request that got past the static files, matched or not)
//   status handler (`error(404, h)` also runs for a 404 a route answered without an error)
//
// Every step answers synchronously unless it really awaits something: a step returns a value, or
// a promise only when it must, and the next step follows it the same way (see maybe-async.ts).
// So a sync route gives a sync `app.fetch`, and the Node adapter writes it in the same turn.
// How a request stands between steps is an Outcome: a static file's Response, or a name.
import { existsSync } from "node:fs";
import { bufferedParts, bufferedResponse } from "../http/buffered-response.js";
import { compose } from "../http/compose.js";
import { escapeHtml } from "../http/escape-html.js";
import { type FormLimits, resolveFormLimits } from "../http/form-limits.js";
import { HttpError, statusText } from "../http/http-error.js";
import { isUrlencodedForm } from "../http/request-body.js";
import { splitRequestUrl } from "../http/request-path.js";
import { recordRoute } from "../http/route-record.js";
import type { Handler } from "../http/types.js";
import { renderNotFoundPage } from "../middleware/not-found-page.js";
import { renderErrorPage } from "../middleware/show-exceptions.js";
import type { RouteParams } from "../router/pattern.js";
import { type RouteMatch, Router } from "../router/router.js";
import { createPublicFolder, type PublicFolder } from "../static/public-folder.js";
import { AllowedMethods } from "./allowed-methods.js";
import { appMiddleware } from "./app-middleware.js";
import { conditionsHold } from "./conditions.js";
import { Context, type ContextHost } from "./context.js";
import type {
  CompiledErrorEntry,
  CompiledFilter,
  Definition,
  ErrorEntry,
  ErrorHandler,
  Filter,
  RouteEntry,
} from "./definition.js";
import { errorHandlersFor, statusHandlersFor } from "./error-handlers.js";
import { internalServerError, NotFound, ROUTE_NOT_FOUND, statusOf, statusPage, statusResponse } from "./errors.js";
import { answered, applyResult, finishResponse, logError, resetResponse, startOver } from "./internal-methods.js";
import { andThen, forEachInOrder, type MaybePromise } from "./maybe-async.js";
import { resolveLogging } from "./request-logger.js";
import { type Settings, showsExceptions, staticFolderOf, viewsFolderOf } from "./settings.js";
import { Halt, Pass } from "./signals.js";
import { PROBLEM_JSON, ValidationError } from "./validation.js";
import { createViewRenderer } from "./views.js";

/** What the dispatch needs of its App (an interface, so this file does not import app.ts). */
export interface DispatchedApp {
  readonly settings: Settings;
  readonly environment: string;
  [logError](error: unknown, req: Request): void;
  routes(): ReadonlyArray<{ method: string; pattern: string | RegExp }>;
}

const EMPTY_PARAMS: RouteParams = Object.freeze({}) as RouteParams;
const HTML = "text/html;charset=utf-8";

/**
 * How a request stands before the error handlers and after filters: a static file (its Response),
 * a route answered or halted ("routed"), no route matched ("unrouted"), the app downstream
 * answered ("forwarded"), an error handled ("errored").
 */
type Outcome = Response | "routed" | "unrouted" | "forwarded" | "errored";

/**
 * The app frozen for serving: the route table compiled once, the static folder and middleware
 * resolved once. Everything per request starts in `#dispatch`.
 */
export class Dispatch {
  readonly handler: Handler;
  readonly #app: DispatchedApp;
  #routeSummary: ReadonlyArray<{ method: string; pattern: string }> | undefined;
  readonly #router: Router<RouteEntry>;
  /** Filters and error handlers, their patterns compiled with the routes' settings, at the same moment. */
  readonly #before: readonly CompiledFilter[];
  readonly #after: readonly CompiledFilter[];
  readonly #errors: readonly CompiledErrorEntry[];
  readonly #staticFiles: PublicFolder | undefined;
  readonly #ContextClass: typeof Context;
  readonly #host: ContextHost;
  /** The app after this one when it is used as middleware (Sinatra's `forward`). */
  readonly #downstream: Handler | undefined;
  /** Some route has its own `formLimits`: each request with a body looks its route's up. */
  readonly #routeFormLimits: boolean;
  /** Some route raises the body limit (`maxBodySize`); else the server is never asked about one. */
  readonly #routeBodyLimits: boolean;
  /** Set when the `methodNotAllowed` setting is on. */
  readonly #allowed: AllowedMethods<RouteEntry> | undefined;

  constructor(app: DispatchedApp, def: Definition, downstream?: Handler) {
    this.#app = app;
    this.#downstream = downstream;
    const settings = app.settings;
    // A wrong form limit fails here, where the app is compiled, not in the first upload.
    resolveFormLimits(settings.formLimits);
    this.#router = new Router<RouteEntry>({ strictPaths: settings.strictPaths });
    for (const route of def.routes) this.#router.add(route.method, route.pattern, route);
    this.#routeFormLimits = def.routes.some((route) => route.formLimits !== undefined);
    this.#routeBodyLimits = def.routes.some((route) => route.maxBodyBytes !== undefined);
    const methods = def.routes.map((route) => route.method);
    this.#allowed = settings.methodNotAllowed ? new AllowedMethods(this.#router, methods) : undefined;
    this.#before = def.before.map((filter) => compileFilter(filter, settings.strictPaths));
    this.#after = def.after.map((filter) => compileFilter(filter, settings.strictPaths));
    this.#errors = def.errors.map((entry) => compileErrorEntry(entry, settings.strictPaths));

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

    const views = viewsFolderOf(settings);
    // A views folder named on purpose must exist; the default one only when something renders.
    if (settings.views !== undefined && !existsSync(views)) {
      throw new Error(`the views folder ${views} does not exist (settings.views is ${JSON.stringify(settings.views)})`);
    }
    const renderer = createViewRenderer({
      views,
      cache: settings.environment !== "development",
      templates: def.templates,
    });
    this.#host = {
      settings,
      mimeTypes: def.mimeTypes,
      logging: resolveLogging(settings.logging, settings.environment),
      logError: (error, req) => app[logError](error, req),
      render: (template, locals, options, c) => renderer.render(template, locals, options, c),
    };

    const middleware = appMiddleware(settings, def.middleware);
    const dispatch = (req: Request) => this.#dispatch(req);
    this.handler =
      middleware.length > 0
        ? guard(compose(...middleware)(dispatch), (error, req) => app[logError](error, req))
        : dispatch;
  }

  /** The largest `maxBodySize` of the routes that match `req` by method and path; undefined when none has one. */
  maxBodySizeFor(req: Request): number | undefined {
    if (!this.#routeBodyLimits) return undefined;
    let largest: number | undefined;
    const matches = this.#router.match(req.method, splitRequestUrl(req.url).path);
    for (let next = matches.next(); !next.done; next = matches.next()) {
      const limit = next.value.value.maxBodyBytes;
      if (limit !== undefined && (largest === undefined || limit > largest)) largest = limit;
    }
    return largest;
  }

  /**
   * The `formLimits` of the first route that matches by method and path and has them, looked
   * up before the filters run (the urlencoded form is read then): conditions are not asked.
   */
  #formLimitsFor(method: string, path: string): FormLimits | undefined {
    const matches = this.#router.match(method, path);
    for (let next = matches.next(); !next.done; next = matches.next()) {
      const limits = next.value.value.formLimits;
      if (limits !== undefined) return limits;
    }
    return undefined;
  }

  #dispatch(req: Request): MaybePromise<Response> {
    const { path, search } = splitRequestUrl(req.url);
    const c = new this.#ContextClass(req, this.#host, search, EMPTY_PARAMS);
    const head = req.method === "HEAD";
    try {
      const response = this.#run(c, path);
      if (response instanceof Promise) {
        return response.then(
          (answer) => this.#answered(c, head, answer),
          (error) => this.#answered(c, head, this.#internalError(req, error)),
        );
      }
      return this.#answered(c, head, response);
    } catch (error) {
      return this.#answered(c, head, this.#internalError(req, error));
    }
  }

  /** The response is made: uploaded files go (a handler that keeps one moves it first). */
  #answered(c: Context<any>, head: boolean, response: Response): Response {
    if (c.holdsFiles) void c.releaseFiles();
    return head ? withoutBody(response) : response;
  }

  /** Only a bug in frank itself gets here; still answer instead of hanging the request. */
  #internalError(req: Request, error: unknown): Response {
    this.#app[logError](error, req);
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
      if (outcome instanceof Promise) outcome = outcome.catch((error: unknown) => this.#recover(c, error, path));
    } catch (error) {
      outcome = this.#recover(c, error, path);
    }
    return outcome instanceof Promise
      ? outcome.then((settled) => this.#complete(c, path, settled))
      : this.#complete(c, path, outcome);
  }

  /** A static file answers at once; otherwise the form is read, the before filters run, then the first route that matches. */
  #answer(c: Context<any>, path: string): MaybePromise<Outcome> {
    const method = c.req.method;
    if (method === "GET" || method === "HEAD") {
      if (this.#staticFiles !== undefined) {
        // Static files skip filters and routes, as in Sinatra.
        const file = this.#staticFiles(c.req, path);
        if (file instanceof Promise) return file.then((found) => found ?? this.#filtersAndRoute(c, method, path));
        if (file !== undefined) return file;
      }
      return this.#filtersAndRoute(c, method, path);
    }
    if (this.#routeFormLimits) c.routeFormLimits = this.#formLimitsFor(method, path);
    // As Sinatra's params, c.params holds a urlencoded form's fields before the first filter runs.
    if (isUrlencodedForm(c.req)) {
      const next = () => this.#filtersAndRoute(c, method, path);
      // A POST with no Content-Type is a form only if it parses as one (Rack's rule): if not, the
      // route still reads its bytes with c.body(), and c.form() gives it the error. A declared form
      // that does not parse is answered with its 400/413 here.
      if (c.req.headers.has("content-type")) return c.form().then(next);
      return c.form().then(next, next);
    }
    return this.#filtersAndRoute(c, method, path);
  }

  #filtersAndRoute(c: Context<any>, method: string, path: string): MaybePromise<Outcome> {
    const before = this.#before;
    if (before.length === 0) return this.#firstRoute(c, this.#router.match(method, path), undefined);
    const baseParams: Record<string, unknown> = {};
    const filtered = forEachInOrder(before, (filter) => this.#runFilter(filter, c, path, baseParams));
    return andThen(filtered, () => {
      // Params that filters captured or set are merged into every route's own.
      const base = Object.keys(baseParams).length > 0 ? baseParams : undefined;
      return this.#firstRoute(c, this.#router.match(method, path), base);
    });
  }

  /** A `halt` answers the request; any other error goes through the error handlers. */
  #recover(c: Context<any>, error: unknown, path: string): MaybePromise<Outcome> {
    if (error instanceof Halt) {
      try {
        c[applyResult](error.result);
        return "routed";
      } catch (invalid) {
        error = invalid; // halt with a result that cannot be a response
      }
    }
    return andThen(this.#handleError(c, error, path), () => "errored");
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
      return andThen(this.#handleError(c, ROUTE_NOT_FOUND, path), () => this.#finish(c, path, "errored"));
    }
    return this.#finish(c, path, outcome);
  }

  /** `methodNotAllowed`: OPTIONS is answered with the methods, any other method is a 405 that lists them. */
  #refuseMethod(c: Context<any>, path: string, allow: string): MaybePromise<Response> {
    if (c.req.method === "OPTIONS") {
      c.status(204).header("allow", allow);
      return this.#finish(c, path, "routed");
    }
    const refusal = new HttpError(405, undefined, { headers: { allow } });
    return andThen(this.#handleError(c, refusal, path), () => this.#finish(c, path, "errored"));
  }

  #finish(c: Context<any>, path: string, outcome: Outcome): MaybePromise<Response> {
    if (this.#after.length === 0) return this.#answerStatus(c, path, outcome);
    return andThen(this.#runAfterFilters(c, path, outcome), (settled) => this.#answerStatus(c, path, settled));
  }

  /** A status answered without an error (halt(403), a route's 404) still gets its handler. */
  #answerStatus(c: Context<any>, path: string, outcome: Outcome): MaybePromise<Response> {
    if (outcome === "errored" || outcome === "forwarded" || this.#errors.length === 0) return c[finishResponse]();
    const handlers = statusHandlersFor(this.#errors, c.status(), path);
    if (handlers.length === 0) return c[finishResponse]();
    return andThen(this.#tryHandlers(c, handlers, undefined, 0), () => c[finishResponse]());
  }

  /** After filters see the response (`c.status()`, `c.responseBody`, `c.res`) and may change it; their return values are ignored. */
  #runAfterFilters(c: Context<any>, path: string, outcome: Outcome): MaybePromise<Outcome> {
    const failed = (error: unknown): MaybePromise<Outcome> => {
      if (outcome === "errored") {
        this.#app[logError](error, c.req);
        return outcome;
      }
      return andThen(this.#handleError(c, error, path), () => "errored");
    };
    try {
      const done = forEachInOrder(this.#after, (filter) => {
        try {
          const ran = this.#runFilter(filter, c, path, c.params as Record<string, unknown>);
          return ran instanceof Promise ? ran.catch((signal) => haltAfter(c, signal)) : ran;
        } catch (signal) {
          haltAfter(c, signal);
        }
      });
      return done instanceof Promise ? done.then(() => outcome, failed) : outcome;
    } catch (error) {
      return failed(error);
    }
  }

  #runFilter(
    filter: CompiledFilter,
    c: Context<any>,
    path: string,
    baseParams: Record<string, unknown>,
  ): MaybePromise<unknown> {
    let params: RouteParams = baseParams as RouteParams;
    if (filter.router) {
      const match = filter.router.match("*", path).next();
      if (match.done) return;
      params = Object.assign(baseParams, filter.scopeOnly ? withoutSplat(match.value.params) : match.value.params);
    }
    c.params = params;
    if (filter.conditions.length === 0) return callFilter(filter, c);
    return andThen(conditionsHold(filter.conditions, c), (held) => (held ? callFilter(filter, c) : undefined));
  }

  /** Runs the first matching route whose conditions hold; when none did, "unrouted" or the app downstream. */
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
    if (this.#downstream === undefined) return "unrouted";
    // Used as middleware: the next app answers what no route here matched (Sinatra's route_missing).
    return andThen(this.#downstream(c.req), (response) => {
      c[applyResult](response);
      return "forwarded";
    });
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
          c[applyResult](value);
          return "routed";
        },
        (signal: unknown) => this.#passOn(signal, c, matches, baseParams),
      );
    }
    c[applyResult](result);
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

  /**
   * The error handlers answer, in Sinatra's order (error-handlers.ts); the headers set before the
   * error stay. When none answers, frank's default page does.
   */
  #handleError(c: Context<any>, error: unknown, path: string): MaybePromise<void> {
    const status = statusOf(error);
    c[startOver](status);
    c.error = error;
    // Only "no route here" may be passed on to another app (Rack's cascade), as in Sinatra.
    if (error instanceof NotFound) c.header("x-cascade", "pass");
    if (error instanceof HttpError) for (const name in error.headers) c.header(name, error.headers[name]);
    const handlers = errorHandlersFor(this.#errors, error, status, path);
    return andThen(this.#tryHandlers(c, handlers, error, 0), (answered) =>
      answered ? undefined : this.#defaultPage(c, error, status),
    );
  }

  /** Runs handlers in order until one answers (returns something, sets a body, or halts). */
  #tryHandlers(
    c: Context<any>,
    handlers: readonly ErrorHandler<any, any>[],
    error: unknown,
    from: number,
  ): MaybePromise<boolean> {
    for (let i = from; i < handlers.length; i++) {
      const answered = this.#runErrorHandler(c, handlers[i], error);
      if (answered instanceof Promise) {
        return answered.then((done) => done || this.#tryHandlers(c, handlers, error, i + 1));
      }
      if (answered) return true;
    }
    return false;
  }

  #runErrorHandler(c: Context<any>, handler: ErrorHandler<any, any>, error: unknown): MaybePromise<boolean> {
    let result: unknown;
    try {
      result = handler(c, error);
      if (!(result instanceof Promise)) {
        c[applyResult](result);
        return c[answered];
      }
    } catch (signal) {
      return this.#errorHandlerFailed(c, signal);
    }
    return result.then(
      (value: unknown) => {
        c[applyResult](value);
        return c[answered];
      },
      (signal: unknown) => this.#errorHandlerFailed(c, signal),
    );
  }

  /** A halt in an error handler answers; an error there is a plain 500, never a crash or a hung request. */
  #errorHandlerFailed(c: Context<any>, signal: unknown): boolean {
    if (signal instanceof Halt) {
      c[applyResult](signal.result);
      return true;
    }
    this.#app[logError](signal, c.req);
    c[resetResponse](500);
    c.header("content-type", HTML);
    c[applyResult](statusPage(500));
    return true;
  }

  /** Sinatra's terse pages in production; the development error and 404 pages when `showExceptions` says so. */
  #defaultPage(c: Context<any>, error: unknown, status: number): MaybePromise<void> {
    if (error instanceof ValidationError) {
      c.type(PROBLEM_JSON);
      c[applyResult](error.problem());
      return;
    }
    const settings = this.#app.settings;
    c.header("content-type", HTML);
    if (status >= 500) {
      this.#app[logError](error, c.req);
      if (showsExceptions(settings))
        return renderErrorPage(error, c.req, { appRoot: settings.root }).then((page) => c[applyResult](page));
      c[applyResult](statusPage(500));
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
      c[applyResult](renderNotFoundPage(c.req, this.#routeSummary));
      return;
    }
    const message = error instanceof HttpError && error.expose ? error.message : statusText(status);
    c[applyResult](message === statusText(status) ? statusPage(status) : escapeHtml(message));
  }
}

function compileFilter({ patterns, ...filter }: Filter, strictPaths: boolean): CompiledFilter {
  return { ...filter, router: patterns && routerOf(patterns, strictPaths) };
}

function compileErrorEntry(entry: ErrorEntry, strictPaths: boolean): CompiledErrorEntry {
  return { ...entry, scope: entry.scope && routerOf(entry.scope, strictPaths) };
}

function routerOf(patterns: ReadonlyArray<string | RegExp>, strictPaths: boolean): Router<true> {
  const router = new Router<true>({ strictPaths });
  for (const pattern of patterns) router.add("*", pattern, true);
  return router;
}

/** A filter's handler; `pass()` inside a filter ends that filter, as in Sinatra. */
function callFilter(filter: CompiledFilter, c: Context<any>): MaybePromise<unknown> {
  try {
    const result = filter.handler(c);
    return result instanceof Promise ? result.catch(endsFilter) : result;
  } catch (signal) {
    return endsFilter(signal);
  }
}

function endsFilter(signal: unknown): undefined {
  if (signal instanceof Pass) return undefined;
  throw signal;
}

/** A halt in an after filter replaces the response; the other after filters still run. */
function haltAfter(c: Context<any>, signal: unknown): void {
  if (!(signal instanceof Halt)) throw signal;
  c[applyResult](signal.result);
}

/** A namespace's prefix (`/users/:id` and `/users/:id/*`) gives its names to the filter, not the `*`. */
function withoutSplat(params: RouteParams): RouteParams {
  const { splat: _splat, ...named } = params;
  return named as RouteParams;
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
function guard(handler: Handler, logError: (error: unknown, req: Request) => void): Handler {
  // The status comes from the rule every layer shares; a server error goes to the App's error log.
  const answer = (req: Request, error: unknown) => {
    const status = statusOf(error);
    if (status >= 500) logError(error, req);
    return statusResponse(status);
  };
  return (req) => {
    try {
      const response = handler(req);
      return response instanceof Promise ? response.catch((error: unknown) => answer(req, error)) : response;
    } catch (error) {
      return answer(req, error);
    }
  };
}
