// What an App is made of, as `dispatch.ts` reads it: routes, filters, error handlers, middleware
// and helpers, in the order they were defined.
import type { FormLimits } from "../http/form-limits.js";
import type { Middleware } from "../http/types.js";
import type { RouteParams } from "../router/pattern.js";
import type { Router } from "../router/router.js";
import type { Condition, Conditions } from "./conditions.js";
import type { Context } from "./context.js";
import type { HandlerResult } from "./result.js";
import type { Validation } from "./validation.js";

/** The helper methods of an app that declared none (`{}` intersects with Context to nothing). */
// biome-ignore lint/complexity/noBannedTypes: `{}` is the identity of `&`, which is what "no helpers" must be
export type NoHelpers = {};

/** The per-request variables of an app that declared none: any name, values `unknown`. */
// biome-ignore lint/complexity/noBannedTypes: as NoHelpers
export type NoVariables = {};

/** A route's handler; `V` types the per-request variables (`c.get`), `Valid` what its `validate` schemas give `c.valid`. */
export type RouteHandler<P, H = NoHelpers, V extends object = NoVariables, Valid = NoHelpers> = (
  c: Context<P, V> & H & { readonly valid: Valid },
) => HandlerResult | Promise<HandlerResult>;
/** An error handler gets the error as its second argument and answers as a route does. */
export type ErrorHandler<H = NoHelpers, V extends object = NoVariables> = (
  c: Context<RouteParams, V> & H,
  error: any,
) => HandlerResult | Promise<HandlerResult>;
export type AnyErrorClass = abstract new (...args: any[]) => unknown;
export type ErrorKey = AnyErrorClass | number | readonly [number, number];

export interface RouteEntry {
  method: string;
  pattern: string | RegExp;
  /** The pattern as text, as metrics and traces name the route (`/hello/:name`). */
  label: string;
  conditions: Condition[];
  conditionSource: Conditions | undefined;
  handler: RouteHandler<any, any, any, any>;
  /** The route's `validate` schemas, checked after its conditions and before its handler. */
  validation: Validation | undefined;
  /** The HEAD twin a `get` adds; not listed in the route table. */
  implicit: boolean;
  /** The route's `maxBodySize` option: the server lets bodies this large through to it. */
  maxBodyBytes: number | undefined;
  /** The route's `formLimits` option, over the app's. */
  formLimits: FormLimits | undefined;
}

export interface Filter {
  /** Where the filter runs; compiled with the routes, with the settings in force then (CompiledFilter). */
  patterns: ReadonlyArray<string | RegExp> | undefined;
  conditions: Condition[];
  handler: RouteHandler<any, any, any>;
  /** The pattern only says where the filter runs (a namespace's prefix and below): its `*` is not a param. */
  scopeOnly: boolean;
}

export interface ErrorEntry {
  key: ErrorKey | undefined; // undefined: every error (Sinatra's `error do … end`)
  handler: ErrorHandler<any, any>;
  /** A namespace's handler: only for requests under its prefix (the patterns of the prefix and below). */
  scope: ReadonlyArray<string | RegExp> | undefined;
}

/**
 * A filter and an error handler as a dispatch runs them: their patterns compiled when the routes
 * are, with the same settings, so a guard matches exactly the paths the routes it guards match.
 */
export interface CompiledFilter extends Omit<Filter, "patterns"> {
  router: Router<true> | undefined;
}
export interface CompiledErrorEntry extends Omit<ErrorEntry, "scope"> {
  scope: Router<true> | undefined;
}

export interface Definition {
  routes: readonly RouteEntry[];
  before: readonly Filter[];
  after: readonly Filter[];
  errors: readonly ErrorEntry[];
  middleware: readonly Middleware[];
  helpers: Record<string, unknown>;
  /** Short names registered with `app.mimeType(name, type)`. */
  mimeTypes: ReadonlyMap<string, string>;
  /** Templates registered with `app.template(name, source)`. */
  templates: ReadonlyMap<string, string>;
}
